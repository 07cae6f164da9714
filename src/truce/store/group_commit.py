"""Group commit: one writer thread stores the writes waiting at that moment
in one transaction.

SQLite has one writer at a time, and a commit costs the same for one row as
for fifty. Writes handed to ``GroupCommit.submit`` queue; the writer thread
takes every write waiting (at most ``max_batch``), runs each one's checks
(``check(uow)``: reads only, no lock), then takes the write lock once and
runs each one's store (``store(uow, checked)``) in a savepoint of its own,
and commits once. A future answers each write only after that commit: an
answer means the write is durably committed.

One write going wrong does not touch the others:

- a refusal from its checks or its store (a domain error) answers that write
  only, with nothing of it kept (its savepoint is rolled back);
- an integrity error in its store (the same key written meanwhile by another
  process) is retried alone after the batch, in a transaction of its own;
- if the batch's commit fails, every write that had succeeded is run again
  alone, each in a transaction of its own;
- if the write lock cannot be had within the lock timeout, the whole batch is
  answered ``Unavailable`` (503, nothing written, a retry is safe), as is a
  write that waited in the queue for longer than the lock timeout.

Each write's ledger entries are those it would leave committed alone: its
action entries, then its row entries caused by the first of them, under its
own actor's name (``UnitOfWork.savepoint``, ``UnitOfWork.act_as``). A check
may name the actor itself (``uow.act_as``), when it is the check that finds
out who is writing (a report submission authenticates its token there).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from ..domain.exceptions import Unavailable
from .uow import UnitOfWork

__all__ = ["GroupCommit"]

log = logging.getLogger(__name__)


@dataclass
class _Write:
    actor: str | None
    check: Callable[[UnitOfWork], Any]
    store: Callable[[UnitOfWork, Any], Any]
    deadline: float
    future: Future = field(default_factory=Future)
    checked: Any = None
    result: Any = None


def _waited_too_long(timeout_s: float) -> Unavailable:
    return Unavailable(f"the server is busy with other writes (waited {timeout_s:g} s); nothing "
                       "was written", retry_after_s=1,
                       remedy="send the same request again; a retry is safe")


class GroupCommit:
    """The writer thread of one engine. ``start()`` it, ``submit`` writes,
    ``stop()`` it (the writes already queued are finished first)."""

    def __init__(self, engine: Engine, *, lock_timeout_s: float, max_batch: int = 64):
        self.engine = engine
        self.lock_timeout_s = lock_timeout_s
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        # for tests and benchmarks: batches committed, writes committed, the
        # largest batch, the writer thread's CPU time
        self.batches = 0
        self.writes = 0
        self.largest = 0
        self.cpu_s = 0.0

    def start(self) -> GroupCommit:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout_s: float = 30) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=timeout_s)
            self._thread = None

    def submit(self, actor: str | None, check: Callable[[UnitOfWork], Any],
               store: Callable[[UnitOfWork, Any], Any]) -> Future:
        """Queue a write; its future gives ``store``'s result once committed,
        or the exception that refused it. Writes queued before ``start`` are
        the first batch."""
        write = _Write(actor, check, store, time.monotonic() + self.lock_timeout_s)
        write.future.set_running_or_notify_cancel()  # a caller that gives up cannot cancel a write under way
        self._queue.put(write)
        return write.future

    # -- the writer thread

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stopping = False
            while len(batch) < self.max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            started = time.thread_time()
            try:
                self._batch(batch)
            except BaseException as exc:  # never leave a request waiting
                log.exception("group commit failed")
                for write in batch:
                    if not write.future.done():
                        write.future.set_exception(exc)
            self.cpu_s += time.thread_time() - started
            if stopping:
                return

    def _batch(self, batch: list[_Write]) -> None:
        now = time.monotonic()
        waiting = []
        for write in batch:
            if now > write.deadline:
                write.future.set_exception(_waited_too_long(self.lock_timeout_s))
            else:
                waiting.append(write)
        if not waiting:
            return
        alone: list[_Write] = []  # to run again in a transaction of their own
        stored: list[_Write] = []
        with UnitOfWork(self.engine) as uow, uow.holding_commit():  # the batch commits
            checked = []
            for write in waiting:
                uow.act_as(write.actor)
                try:
                    write.checked = write.check(uow)
                except Exception as exc:
                    write.future.set_exception(exc)
                    continue
                write.actor = uow.actor  # a check that authenticates the caller names it (act_as)
                checked.append(write)
            if not checked:
                return
            try:
                # the batch's oldest write waits no longer than the lock timeout in all
                uow.begin_write(deadline=min(write.deadline for write in checked))
                uow.defer_ledger()  # the batch's entries in one statement at commit
            except Unavailable as exc:
                for write in checked:
                    write.future.set_exception(exc)
                return
            for write in checked:
                uow.act_as(write.actor)
                try:
                    with uow.savepoint():
                        write.result = write.store(uow, write.checked)
                except IntegrityError:
                    alone.append(write)
                except Exception as exc:
                    write.future.set_exception(exc)
                else:
                    stored.append(write)
            try:
                uow.commit()
            except Exception as exc:
                if isinstance(exc, Unavailable):
                    for write in stored:
                        write.future.set_exception(exc)
                    stored = []
                else:
                    log.warning("a batch of %d writes failed to commit (%s); each is run alone",
                                len(stored), exc)
                    alone = stored + alone
                    stored = []
        self.batches += 1
        self.writes += len(stored)
        self.largest = max(self.largest, len(stored))
        for write in stored:
            write.future.set_result(write.result)
        for write in alone:
            self._alone(write)

    def _alone(self, write: _Write) -> None:
        """Run one write in a transaction of its own; answer it either way."""
        try:
            with UnitOfWork(self.engine, actor=write.actor) as uow, uow.holding_commit():
                uow.act_as(write.actor)
                checked = write.check(uow)
                uow.begin_write()
                result = write.store(uow, checked)
                uow.commit()
        except Exception as exc:
            write.future.set_exception(exc)
            return
        self.writes += 1
        write.future.set_result(result)
