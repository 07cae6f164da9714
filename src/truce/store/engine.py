"""Engines for SQLite (WAL) and PostgreSQL, from a URL or a bare path."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, OperationalError

from ..domain.exceptions import ValidationError

__all__ = ["make_engine", "normalise_url"]


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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, *, check: bool = True) -> Engine:
    """Create an engine; with ``check``, fail now with a clear message if the
    database cannot be reached."""
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
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
            raise ValidationError(
                f"cannot reach database {engine.url.render_as_string(hide_password=True)}: {reason}",
                field="database_url",
                remedy="check the server is running and the URL is right",
            ) from None
    return engine
