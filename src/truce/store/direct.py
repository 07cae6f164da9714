"""A one-row SELECT, and a record row's INSERT, sent straight to SQLite's driver.

The look-ups every report submission makes (its token's user, its
observer's key, whether its id is stored) cost 60-160 µs each through
SQLAlchemy's execution layer and about 10 µs through the driver: the same
statement, compiled once per dialect by SQLAlchemy, with SQLAlchemy's own
type processors for the parameters and the row (so a moment comes back as
the same time-zone-aware datetime). On other back ends the statement goes
through SQLAlchemy as usual.

``DirectInsert`` is the same for the one INSERT every submission makes (its
report row): ``INSERT ... RETURNING`` every column, as the row ledger asks
of SQLAlchemy on SQLite, and the row that comes back handed to the row
ledger (``row_ledger.note_insert``) exactly as its listener would have
taken it: the same row image, the same entry at flush. Only in a
transaction holding the write lock (``engine.holds_write_lock``), and with
every column given (no Python-side defaults run here); otherwise through
SQLAlchemy.

    _BY_ID = DirectSelect(select(t.users).where(t.users.c.id == bindparam("id")))
    row = _BY_ID.first(connection, {"id": "u-1"})   # a dict of column -> value, or None
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Select, Table, insert
from sqlalchemy.exc import IntegrityError

from . import row_ledger
from .engine import holds_write_lock

__all__ = ["DirectInsert", "DirectSelect"]

class _Plan:
    """The statement compiled for one dialect, with its parameter and column processors."""

    def __init__(self, statement: Any, dialect: Any, columns: list[Any], column_keys: list[str] | None = None):
        self.dialect = dialect
        self.compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        self.sql = self.compiled.string
        self.names = list(self.compiled.positiontup or [])
        self.binds = [self.compiled.binds[name].type._cached_bind_processor(dialect) for name in self.names]
        self.keys = [c.key for c in columns]
        self.results = [c.type._cached_result_processor(dialect, None) for c in columns]


class DirectSelect:
    def __init__(self, statement: Select[Any]):
        self.statement = statement
        self._plans: dict[int, _Plan] = {}

    def _plan(self, dialect: Any) -> _Plan:
        plan = self._plans.get(id(dialect))
        if plan is None or plan.dialect is not dialect:
            plan = self._plans[id(dialect)] = _Plan(self.statement, dialect, list(self.statement.selected_columns))
        return plan

    def first(self, connection: Connection, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row for ``params`` as {column key: value}, or None."""
        dialect = connection.dialect
        raw = connection.connection.dbapi_connection if dialect.name == "sqlite" else None
        if raw is None:
            row = connection.execute(self.statement, dict(params)).mappings().first()
            return None if row is None else dict(row)
        plan = self._plan(dialect)
        values = plan.compiled.construct_params(dict(params))
        args = [values[n] if p is None else p(values[n]) for n, p in zip(plan.names, plan.binds, strict=True)]
        found = raw.execute(plan.sql, args).fetchone()
        if found is None:
            return None
        return {k: v if p is None else p(v) for k, v, p in zip(plan.keys, found, plan.results, strict=True)}


class DirectInsert:
    def __init__(self, table: Table):
        self.table = table
        self.statement = insert(table)
        self._returning = insert(table).returning(*table.c)
        self._plans: dict[int, _Plan] = {}

    def insert(self, connection: Connection, values: dict[str, Any]) -> None:
        """Insert one row of ``values`` (every column), ledgered as a record row."""
        dialect = connection.dialect
        direct = dialect.name == "sqlite" and holds_write_lock(connection) and set(values) == set(self.table.c.keys())
        if not direct:  # through SQLAlchemy, which queues the writer and takes the lock
            connection.execute(self.statement, values)
            return
        raw = connection.connection.dbapi_connection
        plan = self._plans.get(id(dialect))
        if plan is None or plan.dialect is not dialect:
            plan = self._plans[id(dialect)] = _Plan(self._returning, dialect, list(self.table.c),
                                                    list(self.table.c.keys()))
        args = [values[n] if p is None else p(values[n]) for n, p in zip(plan.names, plan.binds, strict=True)]
        try:
            found = raw.execute(plan.sql, args).fetchone()
        except sqlite3.IntegrityError as exc:  # as SQLAlchemy raises it: what callers catch
            raise IntegrityError(plan.sql, args, exc) from None
        row = {k: v if p is None else p(v) for k, v, p in zip(plan.keys, found, plan.results, strict=True)}
        row_ledger.note_insert(connection, self.table, row)

