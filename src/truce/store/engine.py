"""Engines for SQLite (WAL) and PostgreSQL, from a URL or a bare path.

Every engine bounds how long a write waits for the database's lock
(``lock_timeout_s``): SQLite's busy timeout, PostgreSQL's ``lock_timeout``.
A write that cannot get the lock in that time raises ``Unavailable``
(HTTP 503 with Retry-After), never a bare driver error.

SQLite has one writer at a time. Within one process, writers queue on a
Python lock taken at a transaction's first write (or by
``begin_write``), instead of each spinning in SQLite's sleeping busy
handler; between processes SQLite's own lock and busy timeout decide.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from ..domain.exceptions import Unavailable, ValidationError

__all__ = ["SYNCHRONOUS", "begin_write", "holds_write_lock", "is_lock_timeout", "make_engine", "normalise_url",
           "translate_lock_errors", "wait_until_writable"]

SYNCHRONOUS = ("NORMAL", "FULL")
"""SQLite ``synchronous`` modes offered: NORMAL (WAL: durable across a
process crash, the last commits may be lost on power loss) or FULL (durable
across power loss, one more fsync per commit)."""

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_HELD = "truce_write_lock_held"
_DEADLINE = "truce_write_deadline"  # time.monotonic() by which the writer gives up
_BUSY_MS = "truce_busy_timeout_ms"  # the SQLite connection's busy timeout now
_WRITERS: weakref.WeakKeyDictionary[Engine, _SqliteWriters] = weakref.WeakKeyDictionary()


def normalise_url(url: str) -> str:
    """Accept SQLAlchemy URLs, and bare file paths as SQLite.

    >>> normalise_url("truce.db")
    'sqlite:///truce.db'
    >>> normalise_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a write because another
    connection held its lock for longer than the lock timeout."""
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return "database is locked" in text or "database is busy" in text
    sqlstate = getattr(orig, "sqlstate", None)
    return sqlstate == "55P03"  # PostgreSQL lock_not_available (lock_timeout)


def _busy(seconds: float) -> Unavailable:
    return Unavailable(f"the database is busy with another write (waited {seconds:g} s); "
                       "nothing was written", retry_after_s=1,
                       remedy="send the same request again; a retry is safe")


class _SqliteWriters:
    """The in-process queue of SQLite writers of one engine.

    A writer waits at most the lock timeout in all: in this queue, then in
    SQLite's busy handler for what is left of it (``busy_timeout`` is set to
    the rest before the statement that takes SQLite's lock, and back after)."""

    def __init__(self, timeout_s: float):
        self.lock = threading.Lock()
        self.timeout_s = timeout_s

    def acquire(self, info: dict[str, Any], deadline: float | None = None) -> None:
        """Take the queue's lock by ``deadline`` (``time.monotonic()``; the lock
        timeout from now when not given), else ``Unavailable``."""
        if info.get(_HELD):
            return
        deadline = time.monotonic() + self.timeout_s if deadline is None else deadline
        left = deadline - time.monotonic()
        if left <= 0 or not self.lock.acquire(timeout=left):
            raise _busy(self.timeout_s)
        info[_HELD] = True
        info[_DEADLINE] = deadline

    def release(self, info: dict[str, Any]) -> None:
        info.pop(_DEADLINE, None)
        if info.pop(_HELD, False):
            self.lock.release()

    def busy_ms(self, info: dict[str, Any]) -> int:
        """How long SQLite's busy handler may still wait for this writer: what is
        left of its deadline (at least 1 ms), in milliseconds."""
        deadline = info.get(_DEADLINE)
        if deadline is None:
            return int(self.timeout_s * 1000)
        return max(1, int((deadline - time.monotonic()) * 1000))


def _install_sqlite(engine: Engine, lock_timeout_s: float, synchronous: str) -> None:
    writers = _WRITERS[engine] = _SqliteWriters(lock_timeout_s)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, record: Any) -> None:
        record.info[_BUSY_MS] = int(lock_timeout_s * 1000)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout_s * 1000)}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "before_cursor_execute")
    def _queue_writer(conn: Connection, cursor: Any, statement: str, *_args: Any) -> None:
        if _WRITE.match(statement) and not conn.info.get(_HELD):
            writers.acquire(conn.info)
            _limit_busy_wait(conn, writers.busy_ms(conn.info), writers.timeout_s)

    @event.listens_for(engine, "commit")
    def _after_commit(conn: Connection) -> None:
        writers.release(conn.info)
        _limit_busy_wait(conn, None, lock_timeout_s)

    @event.listens_for(engine, "rollback")
    def _after_rollback(conn: Connection) -> None:
        writers.release(conn.info)
        _limit_busy_wait(conn, None, lock_timeout_s)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        writers.release(record.info)  # a connection returned mid-write never keeps the lock

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        if is_lock_timeout(context.original_exception):
            return _busy(lock_timeout_s)  # type: ignore[return-value]
        return None


def _limit_busy_wait(connection: Connection, ms: int | None, timeout_s: float) -> None:
    """SQLite's busy timeout of ``connection``: ``ms``, or the full lock timeout
    when None; set only when it changes (kept in the pooled connection's info)."""
    raw = connection.connection.dbapi_connection
    if raw is None:
        return
    wanted = int(timeout_s * 1000) if ms is None else min(ms, int(timeout_s * 1000))
    info = connection.connection.info
    if info.get(_BUSY_MS) != wanted:
        raw.execute(f"PRAGMA busy_timeout={wanted}")
        info[_BUSY_MS] = wanted


def _install_postgres(engine: Engine, lock_timeout_s: float) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        if is_lock_timeout(context.original_exception):
            return _busy(lock_timeout_s)  # type: ignore[return-value]
        return None


def begin_write(connection: Connection, deadline: float | None = None) -> None:
    """Take the database's write lock now, waiting at most the engine's lock
    timeout (``Unavailable`` after it), or until ``deadline``
    (``time.monotonic()``) when given, so that what this transaction reads
    next is what it writes on, across threads and processes alike.

    SQLite: ``BEGIN IMMEDIATE`` (after the in-process writer queue);
    PostgreSQL: nothing to do (row locks and constraints serialise writers).
    """
    if connection.dialect.name != "sqlite" or connection.info.get(_HELD):
        return
    writers = _WRITERS[connection.engine]
    writers.acquire(connection.info, deadline)
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        try:
            _limit_busy_wait(connection, writers.busy_ms(connection.info), writers.timeout_s)
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            writers.release(connection.info)
            if is_lock_timeout(exc):
                raise _busy(writers.timeout_s) from None
            raise


def holds_write_lock(connection: Connection) -> bool:
    """Whether this SQLite connection's transaction holds the write lock now
    (``begin_write``, or a write made in it): a statement sent to the driver
    then neither waits nor needs the in-process writer queue."""
    raw = connection.connection.dbapi_connection
    return bool(connection.info.get(_HELD)) and raw is not None and raw.in_transaction


def wait_until_writable(connection: Connection) -> None:
    """Wait, at most the engine's lock timeout, until nobody holds the database's
    write lock, without keeping it (``Unavailable`` after the timeout). A use
    case with slow work before its writes (extracting a text) asks first, so
    that under a held lock it is refused after the timeout, not after its
    work and the timeout. PostgreSQL, or a transaction already writing: nothing
    to wait for."""
    if connection.dialect.name != "sqlite" or connection.info.get(_HELD):
        return
    raw = connection.connection.dbapi_connection
    if raw is None or raw.in_transaction:
        return
    writers = _WRITERS[connection.engine]
    writers.acquire(connection.info)
    try:
        _limit_busy_wait(connection, writers.busy_ms(connection.info), writers.timeout_s)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if is_lock_timeout(exc):
            raise _busy(writers.timeout_s) from None
        raise
    finally:
        writers.release(connection.info)
        _limit_busy_wait(connection, None, writers.timeout_s)


@contextmanager
def translate_lock_errors() -> Iterator[None]:
    """Turn a driver's lock timeout raised outside SQLAlchemy's error
    handling (a commit, say) into ``Unavailable``."""
    try:
        yield
    except (OperationalError, DBAPIError, sqlite3.OperationalError) as exc:
        if is_lock_timeout(exc):
            raise _busy(0) from None
        raise


def _in_memory(url: str) -> bool:
    return url in ("sqlite://", "sqlite:///:memory:") or ":memory:" in url


def make_engine(url: str, *, check: bool = True, lock_timeout_s: float = 10.0,
                synchronous: str = "NORMAL") -> Engine:
    """Create an engine; with ``check``, fail now with a clear message if the
    database cannot be reached. ``lock_timeout_s`` bounds a write's wait for
    the lock; ``synchronous`` (SQLite) is NORMAL or FULL."""
    url = normalise_url(url)
    synchronous = synchronous.upper()
    if synchronous not in SYNCHRONOUS:
        raise ValidationError(f"synchronous must be one of {', '.join(SYNCHRONOUS)}, "
                              f"not {synchronous!r}", field="sqlite_synchronous")
    if not (0 < lock_timeout_s <= 600):
        raise ValidationError("the lock timeout is between 0 and 600 seconds",
                              field="db_lock_timeout_s")
    try:
        if url.startswith("sqlite"):
            # as many pooled connections as the thread pool has threads (40): a
            # connection opened and closed per request costs more than its query
            engine = create_engine(url, connect_args={"check_same_thread": False},
                                   **({} if _in_memory(url) else {"pool_size": 40, "max_overflow": 20}))
            _install_sqlite(engine, lock_timeout_s, synchronous)
        else:
            options = f"-c lock_timeout={int(lock_timeout_s * 1000)}"
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                   connect_args={"options": options})
            _install_postgres(engine, lock_timeout_s)
    except (ArgumentError, ImportError) as exc:
        raise ValidationError(
            f"cannot use database URL {url!r}: {exc}",
            field="database_url",
            remedy="give a SQLite path or postgresql+psycopg://user@host/db",
        ) from None
    if check:
        try:
            with engine.connect():
                pass
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            if engine.dialect.name == "sqlite":  # a file, not a server: say which folder to fix
                path = engine.url.database or ""
                folder = os.path.dirname(os.path.abspath(path)) if path else "."
                why = "does not exist" if not os.path.isdir(folder) else "cannot be written to"
                raise ValidationError(
                    f"cannot open the SQLite file {path}: {reason} (the folder {folder} {why})",
                    field="database_url",
                    remedy="give --db a path in an existing folder you can write to",
                ) from None
            raise ValidationError(
                f"cannot reach database {engine.url.render_as_string(hide_password=True)}: {reason}",
                field="database_url",
                remedy="check the server is running and the URL is right",
            ) from None
    return engine
