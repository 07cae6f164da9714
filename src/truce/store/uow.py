"""The unit of work: one transaction, its repositories, and the ledger.

Services own their transaction (Cosmic Python's ``services.py``): a service
function decorated ``@use_case`` commits the unit of work it was given when
it returns, so a route or a CLI command that calls it cannot forget to, and
never commits itself. A use case called by another commits with the
outermost one; one that raises keeps nothing. Leaving the ``with`` block
without a commit rolls everything back, ledger entries included.

The connection is private to ``truce.store``: everything else reads and
writes through the repositories below.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine

from . import ledger, row_ledger
from .casework import CaseStore
from .daily import DayRepository
from .enrolments import EnrolmentRepository
from .keys import KeyRepository
from .ledger_reads import LedgerRepository
from .monitoring import MonitoringStore
from .proposals import ProposalRepository
from .receipts import ReceiptRepository
from .repositories import (
    AgreementRepository,
    ClaimRepository,
    ControlRepository,
    DirectoryRepository,
    IncidentRepository,
    PlaceRepository,
    ReportRepository,
)
from .tasks import TaskRepository
from .uploads import UploadRepository
from .user_changes import ChangeRepository
from .users import UserRepository

__all__ = ["UnitOfWork", "use_case"]

P = ParamSpec("P")
R = TypeVar("R")


class UnitOfWork:
    _connection: Connection

    def __init__(self, engine: Engine, *, actor: str | None = None):
        self.engine = engine
        self.actor = actor
        self._depth = 0  # use cases running in this unit of work

    def __enter__(self) -> UnitOfWork:
        self._connection = self.engine.connect()
        self._transaction = self._connection.begin()
        row_ledger.enable(self._connection, self.actor)
        conn = self._connection
        self.places = PlaceRepository(conn)
        self.directory = DirectoryRepository(conn)
        self.incidents = IncidentRepository(conn)
        self.reports = ReportRepository(conn)
        self.claims = ClaimRepository(conn)
        self.controls = ControlRepository(conn)
        self.agreements = AgreementRepository(conn)
        self.monitoring = MonitoringStore(conn)
        self.users = UserRepository(conn)
        self.keys = KeyRepository(conn)
        self.cases = CaseStore(conn)
        self.user_changes = ChangeRepository(conn)
        self.days = DayRepository(conn)
        self.proposals = ProposalRepository(conn)
        self.enrolments = EnrolmentRepository(conn)
        self.uploads = UploadRepository(conn)
        self.tasks = TaskRepository(conn)
        self.receipts = ReceiptRepository(conn)
        self.ledger = LedgerRepository(conn)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()
        ledger.forget_deferred(self._connection)
        row_ledger.disable(self._connection)
        self._connection.close()

    def commit(self) -> None:
        """Commit what was done so far; the unit of work stays open for more."""
        row_ledger.flush(self._connection)  # the rows written, into the ledger, in this transaction
        ledger.write_deferred(self._connection)
        self._transaction.commit()
        self._transaction = self._connection.begin()

    def rollback(self) -> None:
        """Drop what was done since the last commit; the unit of work stays open."""
        self._transaction.rollback()
        row_ledger.forget(self._connection)
        ledger.forget_deferred(self._connection)
        self._transaction = self._connection.begin()

    def act_as(self, actor: str | None) -> None:
        """Ledger what follows as ``actor``'s (a group commit stores several
        principals' writes in one transaction, each under its own name)."""
        self.actor = actor
        row_ledger.enable(self._connection, actor)

    @contextmanager
    def holding_commit(self) -> Iterator[None]:
        """Within this block no use case commits (each is nested in the
        caller's, as in ``use_case``); the caller commits."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """One write among several in this transaction: on success its rows
        are ledgered at once (so its entries follow its own action entry,
        as if it had committed alone); if it raises, what it did is undone
        and the rest of the transaction stays."""
        # SAVEPOINT sent as it is, on SQLite straight to the driver: one per write
        # of a batch, and SQLAlchemy's nested transaction objects, even its
        # execution layer, cost more than the statement (both back ends take it)
        conn = self._connection
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        send = raw.execute if raw is not None else conn.exec_driver_sql
        send("SAVEPOINT truce_write")
        marked = ledger.mark(conn)
        try:
            yield
            row_ledger.flush(conn)
        except BaseException:
            send("ROLLBACK TO SAVEPOINT truce_write")
            send("RELEASE SAVEPOINT truce_write")
            row_ledger.forget(conn)
            ledger.restore(conn, marked)
            raise
        send("RELEASE SAVEPOINT truce_write")

    def defer_ledger(self) -> None:
        """Compute this transaction's ledger entries in memory from now on and
        write them all at commit, in one statement per table (a group commit
        of many writes). Call it holding the write lock (``begin_write``);
        the ledger read in this transaction meanwhile does not show them."""
        ledger.defer(self._connection)

    def record(self, action: str, record_id: str, content: dict[str, Any], *,
               at: datetime | None = None) -> str:
        """Append a ledger entry for a write made in this unit of work, stamped
        ``at`` (the use case's ``now``; the clock when not given). This entry
        and the row entries this transaction leaves point at its first
        action entry (``cause``)."""
        opened = row_ledger.cause_of(self._connection)  # the transaction's first action entry, if any yet
        seq, entry_hash = ledger.append(self._connection, action, record_id, content, actor=self.actor, at=at,
                                        cause=ledger.OPENS if opened is None else opened)
        row_ledger.note_cause(self._connection, seq)
        return entry_hash

    @property
    def connection(self) -> Connection:
        """For the services not yet moved onto repositories (see
        tests/store/test_layers.py, ``NOT_YET_MOVED``); nothing new uses it."""
        return self._connection

    def begin_write(self, deadline: float | None = None) -> None:
        """Take the write lock now, waiting at most the lock timeout, or until
        ``deadline`` (``time.monotonic()``) when given (``Unavailable`` after it):
        what this transaction reads next is what it writes on. See
        ``engine.begin_write``."""
        from .engine import begin_write

        begin_write(self._connection, deadline)

    def wait_until_writable(self) -> None:
        """Wait at most the lock timeout until the database can be written
        (``Unavailable`` after it), keeping no lock: see ``engine.wait_until_writable``."""
        from .engine import wait_until_writable

        wait_until_writable(self._connection)

    def ledger_head(self) -> tuple[int, str]:
        """(sequence number, entry hash) of the newest ledger entry."""
        return self.ledger.head()

    def verify_ledger(self) -> ledger.LedgerCheck:
        return self.ledger.verify()

    def ledger_entries(self, record_ids: list[str], limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` ledger entries about these records (seq, action, at, entry hash)."""
        return self.ledger.entries_about(record_ids, limit)

    def newest_entry(self, record_id: str, action: str) -> tuple[int, dict[str, Any]] | None:
        """(seq, content) of the newest ``action`` entry about ``record_id``, or None."""
        return self.ledger.newest_entry(record_id, action)

    @property
    def dialect(self) -> str:
        return self._connection.dialect.name


def use_case(fn: Callable[Concatenate[UnitOfWork, P], R]) -> Callable[Concatenate[UnitOfWork, P], R]:
    """Make ``fn(uow, ...)`` own its transaction: commit ``uow`` when it returns,
    roll back what it did when it raises (the outermost use case decides)."""

    @functools.wraps(fn)
    def run(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> R:
        uow._depth += 1
        try:
            result = fn(uow, *args, **kwargs)
        except BaseException:
            uow._depth -= 1
            if uow._depth == 0:
                uow.rollback()
            raise
        uow._depth -= 1
        if uow._depth == 0:
            uow.commit()
        return result

    return run
