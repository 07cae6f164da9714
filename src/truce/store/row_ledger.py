"""Every write to a record table is ledgered as the row it leaves behind.

This is the one place where record-table writes become ledger content, so
no service writes a content dict by hand and no new write path can forget
it: a listener on every engine sees each INSERT, UPDATE and DELETE that a
unit of work's connection executes (SQLAlchemy Core statements, whoever
builds them) and, in the same transaction,

- INSERT: asks for the new rows' primary keys (``return_defaults``); on
  SQLite for every column (RETURNING), so that the rows need no read back;
- UPDATE and DELETE: finds the rows the WHERE clause matches before it runs
  (for an UPDATE by primary key, straight from the parameters);

and when the unit of work commits (``flush``), reads every row it touched
back and appends one entry per row: ``row.insert`` or ``row.update`` with
content ``{"table", "key", "row"}`` (the row image: every column), or
``row.delete``. Each row entry's ``cause`` column holds the sequence
number of the transaction's first action entry (``uow.record``): the
decision that wrote the row, checked by ``store.causes``.

The entry's ``record_id`` is ``<table>/<primary key>`` (composite keys joined
with ``/``), so the newest entry for a row is one indexed lookup, and
``truce ledger verify`` (``store.reconcile``) compares every row with it.

Tables outside ``RECORD_TABLES`` are exempt and listed with the reason in
``EXEMPT_TABLES``; a test fails when a table is in neither. Raw SQL text is
not seen here; nothing in truce writes record tables that way, and
reconciliation reports any row it produced as having no ledger entry.
"""

from __future__ import annotations

import base64
import functools
import warnings
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Delete, Engine, Float, Insert, Table, Update, event, inspect, select, tuple_
from sqlalchemy.exc import SAWarning
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from . import ledger
from . import tables as t

__all__ = ["EXEMPT_TABLES", "RECORD_TABLES", "SCHEMA_ROWS", "cause_of", "disable", "enable", "flush", "forget",
           "key_clause", "ledger_existing_rows", "note_cause", "record_id", "row_content", "row_image"]

RECORD_TABLES: dict[str, Table] = {table.name: table for table in (
    t.parties, t.actors, t.sources, t.places, t.incidents, t.reports, t.incident_reports, t.claims,
    t.casualty_figures, t.controls, t.agreements, t.line_versions, t.alerts, t.users,
    t.evidence, t.incident_geo, t.violations, t.report_reviews, t.user_changes, t.user_keys,
    t.commission_rules, t.commission_members, t.cases, t.case_evidence, t.case_requests, t.findings,
    t.finding_approvals, t.case_replies, t.tasks, t.task_reports,
)}

EXEMPT_TABLES: dict[str, str] = {
    "place_names": "derived from places (every spelling folded); `ledger verify` re-derives and compares them",
    "proposals": "extraction's suggestions awaiting review (each ledgered as proposal.add); what a reviewer "
                 "accepts becomes records",
    "webhooks": "receivers' URLs and secrets: a secret is never ledgered (webhook.add records the receiver)",
    "enrolments": "one-time enrolment codes (hashes of secrets); the enrolment itself is ledgered (user.enrol, "
                  "user_keys)",
    "uploads": "resumable evidence uploads in progress; a finished one becomes an evidence row, ledgered",
    "webhook_deliveries": "delivery attempts, an outbox (each ledgered as webhook.attempt)",
    "ledger": "the ledger itself", "ledger_head": "the ledger itself",
    "ledger_nodes": "the ledger's Merkle tree, checked against the entries by `ledger verify`",
    "cosignatures": "witnesses' signatures over the ledger, checked against the tree by `ledger verify`",
}

_ENABLED = "truce_ledger_rows"
_PENDING = "truce_ledger_pending"
_TOUCHED = "truce_ledger_touched"
_CAUSE = "truce_ledger_cause"
_IMAGES = "truce_ledger_images"  # rows as an INSERT ... RETURNING gave them back, not changed since
SCHEMA_ROWS = "schema.rows"  # the action entry before the rows a migration ledgers


def enable(connection: Connection, actor: str | None) -> None:
    """Ledger every record-table write made on this connection, as ``actor``."""
    connection.info[_ENABLED] = True
    connection.info["truce_actor"] = actor


def disable(connection: Connection) -> None:
    """Stop (the DBAPI connection goes back to the pool with its ``info``)."""
    connection.info.pop(_ENABLED, None)
    connection.info.pop(_PENDING, None)
    connection.info.pop(_TOUCHED, None)
    connection.info.pop(_IMAGES, None)
    connection.info.pop(_CAUSE, None)
    connection.info.pop("truce_actor", None)


def forget(connection: Connection) -> None:
    """Drop the rows noted for the ledger (their transaction was rolled back)."""
    connection.info.pop(_PENDING, None)
    connection.info.pop(_TOUCHED, None)
    connection.info.pop(_IMAGES, None)
    connection.info.pop(_CAUSE, None)


def note_cause(connection: Connection, seq: int) -> None:
    """Action entry ``seq`` was appended in this transaction: the first one
    becomes the ``cause`` of the row entries it leaves."""
    connection.info.setdefault(_CAUSE, seq)


def cause_of(connection: Connection) -> int | None:
    """The first action entry appended in this transaction so far, or None."""
    return connection.info.get(_CAUSE)


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


@functools.cache
def _float_columns(table: Table) -> frozenset[str]:
    return frozenset(c.name for c in table.columns if isinstance(c.type, Float))


def row_image(table: Table, row: Any) -> dict[str, Any]:
    """Every column of a row as JSON values: what the ledger keeps and what
    reconciliation compares. A whole number in a floating-point column is a
    float, however the driver gave it: SQLite's ``INSERT ... RETURNING`` gives
    2000.0 back as 2000, a read gives 2000.0, and the two images must hash alike."""
    floats = _float_columns(table)
    return {c.name: jsonable(_as_float(row[c.name]) if c.name in floats else row[c.name]) for c in table.columns}


def _as_float(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def row_content(table: Table, key: Sequence[Any], image: dict[str, Any]) -> dict[str, Any]:
    """The content of a ``row.insert`` / ``row.update`` entry."""
    return {"table": table.name, "key": [jsonable(k) for k in key], "row": image}


def record_id(table: Table, key: Sequence[Any]) -> str:
    return "/".join([table.name, *(str(k) for k in key)])


def _pk(table: Table):
    return list(table.primary_key.columns)


def key_clause(table: Table, keys: Sequence[tuple]):
    cols = _pk(table)
    if len(cols) == 1:
        return cols[0].in_([k[0] for k in keys])
    return tuple_(*cols).in_(keys)


def _read_rows(connection: Connection, table: Table, keys: Sequence[tuple]) -> list[Any]:
    rows = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows.extend(connection.execute(select(table).where(key_clause(table, chunk))).mappings())
    return rows


def _bind_names(clause) -> set[str]:
    return {b.key for b in visitors.iterate(clause) if isinstance(b, BindParameter)}


def _keys_named_by_params(table: Table, where, multiparams, params) -> list[tuple] | None:
    """For ``WHERE pk = :name`` (one primary-key column), the keys straight
    from the parameters: an executemany by key needs no lookup per row."""
    pk = _pk(table)
    if (len(pk) != 1 or not isinstance(where, BinaryExpression) or where.operator is not operators.eq
            or where.left is not pk[0] or not isinstance(where.right, BindParameter)):
        return None
    name = where.right.key
    param_sets = multiparams if multiparams else [params or {}]
    if not all(name in values for values in param_sets):
        return None
    return list(dict.fromkeys((values[name],) for values in param_sets))


def _matching_keys(connection: Connection, table: Table, statement, multiparams, params) -> list[tuple]:
    where = statement.whereclause
    direct = None
    if isinstance(statement, Update) and where is not None:  # a DELETE must not tombstone rows that never were
        direct = _keys_named_by_params(table, where, multiparams, params)
    if direct is not None:
        return direct
    query = select(*_pk(table))
    if where is not None:
        query = query.where(where)
    names = _bind_names(where) if where is not None else set()
    param_sets = multiparams if multiparams else [params or {}]
    keys: list[tuple] = []
    seen: set[tuple] = set()
    for values in param_sets:
        bound = {k: v for k, v in (values or {}).items() if k in names}
        for row in connection.execute(query, bound) if bound else connection.execute(query):
            key = tuple(row)
            if key not in seen:
                seen.add(key)
                keys.append(key)
        if not bound:
            break
    return keys


def _record_table(statement) -> Table | None:
    table = getattr(statement, "table", None)
    if isinstance(table, Table) and table.name in RECORD_TABLES:
        return table
    return None


def _before_execute(connection, clauseelement, multiparams, params, execution_options):
    if not connection.info.get(_ENABLED) or not isinstance(clauseelement, Insert | Update | Delete):
        return clauseelement, multiparams, params
    table = _record_table(clauseelement)
    if table is None:
        return clauseelement, multiparams, params
    if isinstance(clauseelement, Insert):
        whole = False
        if not clauseelement._returning:
            whole = connection.dialect.name == "sqlite"  # the row as stored comes back: no read at flush
            clauseelement = (clauseelement.return_defaults(supplemental_cols=list(table.c)) if whole
                             else clauseelement.return_defaults())
        connection.info[_PENDING] = ("insert", table, whole, clauseelement)
    else:
        keys = _matching_keys(connection, table, clauseelement, multiparams, params)
        op = "update" if isinstance(clauseelement, Update) else "delete"
        connection.info[_PENDING] = (op, table, keys, clauseelement)
    return clauseelement, multiparams, params


def note_insert(connection: Connection, table: Table, row: Any) -> None:
    """A record row inserted on this connection without SQLAlchemy's execution
    (``direct.DirectInsert``), as it came back from ``INSERT ... RETURNING``:
    taken as ``_after_execute`` takes such a row, ledgered at flush."""
    if not connection.info.get(_ENABLED) or table.name not in RECORD_TABLES:
        return
    key = tuple(row[c.name] for c in _pk(table))
    connection.info.setdefault(_IMAGES, {})[(table.name, key)] = row
    connection.info.setdefault(_TOUCHED, {}).setdefault((table.name, key), "insert")


def _after_execute(connection, clauseelement, multiparams, params, execution_options, result):
    pending = connection.info.pop(_PENDING, None)
    if pending is None:
        return
    op, table, keys, statement = pending
    if statement is not clauseelement:  # that statement failed: this one is not a record write
        return
    images = connection.info.setdefault(_IMAGES, {})
    if op == "insert":
        if keys:  # RETURNING gave every column: the row images, as a read would give them
            pk_names = [c.name for c in _pk(table)]
            rows = result.mappings().all()
            keys = [tuple(row[n] for n in pk_names) for row in rows]
            for key, row in zip(keys, rows, strict=True):
                images[(table.name, key)] = row
        else:
            keys = [tuple(k) for k in result.inserted_primary_key_rows]
    else:
        for key in keys:
            images.pop((table.name, key), None)  # changed since: read at flush
    touched = connection.info.setdefault(_TOUCHED, {})
    for key in keys:
        touched.setdefault((table.name, key), op)  # the first write to a row decides insert or update


def flush(connection: Connection, *, batch: int = 5000) -> None:
    """Ledger the rows this transaction wrote, as they stand now: one entry
    per row (insert, update or delete; a row inserted and deleted again
    leaves nothing). The unit of work calls it just before committing."""
    touched: dict[tuple[str, tuple], str] = connection.info.pop(_TOUCHED, {})
    images: dict[tuple[str, tuple], Any] = connection.info.pop(_IMAGES, {})
    cause = connection.info.pop(_CAUSE, None)  # None: rows no action explains, named by `ledger verify`
    items = list(touched.items())
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        by_table: dict[str, list[tuple]] = {}
        found: dict[tuple[str, tuple], Any] = {}
        for (name, key), _op in chunk:
            if (name, key) in images:
                found[(name, key)] = images[(name, key)]
            else:
                by_table.setdefault(name, []).append(key)
        for name, keys in by_table.items():
            table = RECORD_TABLES[name]
            pk_names = [c.name for c in _pk(table)]
            for row in _read_rows(connection, table, keys):
                found[(name, tuple(row[n] for n in pk_names))] = row
        entries = []
        for (name, key), first in chunk:
            table = RECORD_TABLES[name]
            row = found.get((name, key))
            if row is not None:
                op = "insert" if first == "insert" else "update"
                entries.append((f"row.{op}", record_id(table, key), row_content(table, key, row_image(table, row))))
            elif first != "insert":
                entries.append(("row.delete", record_id(table, key),
                                {"table": name, "key": [jsonable(k) for k in key], "deleted": True}))
        ledger.append_many(connection, entries, actor=connection.info.get("truce_actor"), cause=cause)


def ledger_existing_rows(connection: Connection, actor: str, *, batch: int = 5000,
                         only: Iterable[str] | None = None) -> None:
    """Ledger every row of every record table as it stands (a ``row.update``
    each): for a migration that brings rows written before this mechanism,
    or changes a record table's columns, under the ledger. Every revision
    that changes a record table's columns ends by calling it; while the
    database lacks columns a later revision adds, it does nothing (that
    revision ledgers the rows). ``only`` names the tables to ledger (a
    revision that adds a record table ledgers the rows it wrote there)."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    tables = {n: tb for n, tb in RECORD_TABLES.items() if only is None or n in set(only)}
    for name, table in tables.items():
        if name in present:
            with warnings.catch_warnings():  # PostGIS types are unknown to the inspector; names suffice
                warnings.simplefilter("ignore", SAWarning)
                have = {c["name"] for c in inspector.get_columns(name)}
            if any(c.name not in have for c in table.columns):
                return  # a later revision adds these columns, and ledgers the rows then
    linked = "cause" in {c["name"] for c in inspector.get_columns("ledger")}  # schema 0012 links rows to actions
    cause = None
    for name, table in tables.items():
        if name not in present:
            continue
        pk = _pk(table)
        last = None
        while True:
            query = select(table).order_by(*pk).limit(batch)
            if last is not None:
                query = query.where(pk[0] > last[0] if len(pk) == 1 else tuple_(*pk) > tuple_(*last))
            rows = connection.execute(query).mappings().all()
            if not rows:
                break
            if linked and cause is None:  # one action entry explains them all; none when there are no rows
                cause, _hash = ledger.append(connection, SCHEMA_ROWS, f"schema/{actor}",
                                             {"actor": actor, "tables": sorted(n for n in tables if n in present)},
                                             actor=actor, cause=ledger.OPENS)
            entries = []
            for row in rows:
                key = tuple(row[c.name] for c in pk)
                entries.append(("row.update", record_id(table, key), row_content(table, key, row_image(table, row))))
            ledger.append_many(connection, entries, actor=actor, cause=cause)
            last = tuple(rows[-1][c.name] for c in pk)


def _install(targets: Iterable[type[Engine]]) -> None:
    for target in targets:
        if not event.contains(target, "before_execute", _before_execute):
            event.listen(target, "before_execute", _before_execute, retval=True)
            event.listen(target, "after_execute", _after_execute)


_install([Engine])
