"""Text extraction in a process of its own, for the server.

Extracting a long text is seconds of CPU in Python and in spaCy's compiled
code, which holds the interpreter lock for long stretches; in the server's
process it made every other request (health checks included) wait for the
lock, up to half a second at a time for a 200,000-character article. Here it
runs in one child process (started on first use with ``spawn``, never
``fork``: the server has threads), which loads the model once and reads the
store's places itself, through its own engine, keeping the index while the
places stay the same. The server's process only waits on a pipe.

    extraction = extract_isolated(url, text, published, "Wire", zone=zone, language=None)

A database the child cannot open (SQLite in memory: ``can_isolate`` is
False) is for the caller to extract in its own thread. A child that dies is replaced on the next call; the
call it was serving answers ``Unavailable`` (503: nothing was written). The
child exits by itself when the server's process is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date, tzinfo
from typing import Any

from ..domain.exceptions import Unavailable

__all__ = ["can_isolate", "extract_isolated", "shutdown"]

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_engines: dict[str, Any] = {}  # in the child: one engine per database URL


def can_isolate(url: str) -> bool:
    """Whether another process can open the database at ``url`` (not SQLite in memory)."""
    return not (url.startswith("sqlite") and (":memory:" in url or url.split("?")[0].rstrip("/") in (
        "sqlite:", "sqlite+pysqlite:")))


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_follow_parent, initargs=(os.getpid(),))
        return _pool


def _follow_parent(parent: int) -> None:
    """In the child: exit as soon as the server process is gone (killed with
    -9, it cannot stop its pool), rather than live on as an orphan."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def _reset(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop the child (at server shutdown); the next call starts a new one."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _extract_in_child(url: str, text: str, published: date, source_name: str, zone: tzinfo | None,
                      language: str | None) -> Any:
    from ..ingest.text.pipeline import extract
    from ..store.engine import make_engine
    from ..store.uow import UnitOfWork
    from .review import place_index  # the parent's rule for the index, kept per process

    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = make_engine(url)
    with UnitOfWork(engine, actor="extraction") as uow:  # reads only; rolled back
        places = place_index(uow)
    return extract(text, published, source_name, places=places, zone=zone, language=language)


def extract_isolated(url: str, text: str, published: date, source_name: str, *,
                     zone: tzinfo | None, language: str | None) -> Any:
    """``pipeline.extract`` of ``text`` run in the extraction process, with the
    places of the database at ``url`` (``can_isolate``); its ``Extraction``."""
    pool = _executor()
    try:
        return pool.submit(_extract_in_child, url, text, published, source_name, zone, language).result()
    except BrokenProcessPool:
        _reset(pool)
        raise Unavailable("the text extraction process stopped; nothing was written",
                          remedy="send the text again") from None
