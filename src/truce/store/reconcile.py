"""Every record-table row checked against the ledger, in bounded memory.

``row_ledger`` ledgers each write as the row it leaves; here each row of
each record table is compared with the newest ``row.*`` entry for it, and
each entry with its row:

- a row whose content differs from its entry: ``altered``, naming the fields;
- a row with no entry (written around truce): ``unledgered``;
- a row the ledger says was deleted: ``deleted in the ledger``;
- an entry whose row is gone: ``missing``;
- a row with a value its column's type cannot hold (``unreadable``: a date
  column holding ``'garbage'``, written by SQL around truce), naming the
  field; the other rows of its page are compared as usual;
- on SQLite, a date or moment stored as text of another shape than truce
  writes (``unreadable`` too): ``'2020-10-14T09:00:00+12:00'`` reads as the
  same moment, so its row matches its entry, but the text sorts apart from
  every other and drops the row out of the day's queries.

Rows are read a page at a time in primary-key order (keyset pagination),
entries a page at a time in ``record_id`` order, so memory does not grow
with the database. Trust in the entries themselves comes from
``ledger.verify`` (hashes, chain, Merkle root, checkpoint), run first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Date, DateTime, String, and_, func, or_, select, tuple_, type_coerce

from ..domain.canonical import canonical_bytes, sha256_hex
from . import tables
from .row_ledger import RECORD_TABLES, key_clause, record_id, row_content, row_image
from .tables import ledger

__all__ = ["Finding", "reconcile", "record_count"]

ROW_ACTIONS = ("row.insert", "row.update", "row.delete")
PAGE = 2000


@dataclass(frozen=True)
class Finding:
    table: str
    key: str
    kind: str  # altered | unledgered | deleted in the ledger | missing | unreadable
    fields: tuple[str, ...] = ()
    seq: int | None = None

    def __str__(self) -> str:
        where = f"{self.table} {self.key}"
        if self.kind == "altered":
            return (f"{where}: {', '.join(self.fields)} differ{'s' if len(self.fields) == 1 else ''} "
                    f"from ledger entry {self.seq}")
        if self.kind == "unledgered":
            return f"{where}: row has no ledger entry (written around truce)"
        if self.kind == "unreadable":
            return (f"{where}: {', '.join(self.fields)}: not a value of its column's type "
                    "(written around truce, by SQL)")
        if self.kind == "deleted in the ledger":
            return f"{where}: row is present but ledger entry {self.seq} deleted it"
        if self.kind == "not derived":
            return (f"{where}: this spelling is not one of the place's names (derived data written around "
                    "truce, by SQL: place search would find the wrong place)")
        if self.kind == "not derived missing":
            return f"{where}: a spelling of this place is missing (derived data deleted around truce, by SQL)"
        return f"{where}: row is missing (ledger entry {self.seq} wrote it)"


def record_count(connection: Connection) -> int:
    return sum(connection.execute(select(func.count()).select_from(table)).scalar_one()
               for table in RECORD_TABLES.values())


def _after(table, last: tuple | None):
    if last is None:
        return True
    cols = list(table.primary_key.columns)
    if len(cols) == 1:
        return cols[0] > last[0]
    return tuple_(*cols) > tuple_(*last)


def _latest(connection: Connection, ids: list[str]) -> dict[str, tuple[int, str, str]]:
    """record_id -> (seq, action, content_hash) of the newest row entry of each."""
    newest = (select(ledger.c.record_id, func.max(ledger.c.seq).label("seq"))
              .where(ledger.c.record_id.in_(ids), ledger.c.action.in_(ROW_ACTIONS))
              .group_by(ledger.c.record_id).subquery())
    query = (select(ledger.c.record_id, ledger.c.seq, ledger.c.action, ledger.c.content_hash)
             .join(newest, newest.c.seq == ledger.c.seq))
    return {rid: (seq, action, content_hash) for rid, seq, action, content_hash in connection.execute(query)}


def _content(connection: Connection, seq: int) -> dict[str, Any]:
    return connection.execute(select(ledger.c.content).where(ledger.c.seq == seq)).scalar_one()


def _unreadable(connection: Connection, table, key: tuple) -> tuple[str, ...]:
    """``field = 'stored value'`` for each column of the row ``key`` whose
    stored value its type cannot read (SQLite keeps whatever SQL writes:
    ``'garbage'`` in a DATE)."""
    bad = []
    where = key_clause(table, [key])
    for column in table.columns:
        try:
            connection.execute(select(column).where(where)).all()
        except (ValueError, TypeError, OverflowError):
            raw = connection.execute(select(type_coerce(column, String)).where(where)).scalar()
            bad.append(f"{column.name} = {str(raw)[:40]!r}")
    return tuple(bad)


def _page(connection: Connection, table, last: tuple | None) -> tuple[list, list[tuple], list[Finding]]:
    """The next page of ``table``'s rows after ``last``: the rows that read,
    every key of the page, and a finding for each row that does not."""
    pk = list(table.primary_key.columns)
    page = select(table).where(_after(table, last)).order_by(*pk).limit(PAGE)
    try:
        rows = connection.execute(page).mappings().all()
        return rows, [tuple(row[c.name] for c in pk) for row in rows], []
    except (ValueError, TypeError, OverflowError):
        pass  # a value no type reads: find the rows that hold one, read the others
    keys = [tuple(r) for r in connection.execute(select(*pk).where(_after(table, last)).order_by(*pk).limit(PAGE))]
    rows, broken = [], []
    for key in keys:
        try:
            rows.extend(connection.execute(select(table).where(key_clause(table, [key]))).mappings().all())
        except (ValueError, TypeError, OverflowError):
            shown = record_id(table, key).split("/", 1)[1]
            broken.append(Finding(table.name, shown, "unreadable", _unreadable(connection, table, key) or ("row",)))
    return rows, keys, broken


def _rows_against_ledger(connection: Connection, progress: Callable[[int], None] | None) -> Iterator[Finding]:
    for name, table in RECORD_TABLES.items():
        pk = list(table.primary_key.columns)
        last: tuple | None = None
        while True:
            rows, all_keys, broken = _page(connection, table, last)
            yield from broken
            if not all_keys:
                break
            keys = [tuple(row[c.name] for c in pk) for row in rows]
            ids = [record_id(table, key) for key in keys]
            entries = _latest(connection, ids)
            for row, key, rid in zip(rows, keys, ids, strict=True):
                shown = rid.split("/", 1)[1]
                found = entries.get(rid)
                if found is None:
                    yield Finding(name, shown, "unledgered")
                    continue
                seq, action, content_hash = found
                if action == "row.delete":
                    yield Finding(name, shown, "deleted in the ledger", seq=seq)
                    continue
                image = row_image(table, row)
                # the entry's content hash is covered by the verified chain: equal hashes, equal rows
                if sha256_hex(canonical_bytes(row_content(table, key, image))) == content_hash:
                    continue
                kept = _content(connection, seq).get("row", {})
                differ = tuple(c for c in image if image[c] != kept.get(c)) or ("row",)
                yield Finding(name, shown, "altered", differ, seq)
            if progress is not None:
                progress(len(all_keys))
            last = all_keys[-1]


def _ledger_against_rows(connection: Connection) -> Iterator[Finding]:
    last = ""
    while True:
        newest = (select(ledger.c.record_id, func.max(ledger.c.seq).label("seq"))
                  .where(ledger.c.action.in_(ROW_ACTIONS), ledger.c.record_id > last)
                  .group_by(ledger.c.record_id).order_by(ledger.c.record_id).limit(PAGE).subquery())
        page = connection.execute(select(ledger.c.record_id, ledger.c.seq, ledger.c.action)
                                  .join(newest, newest.c.seq == ledger.c.seq)
                                  .order_by(ledger.c.record_id)).all()
        if not page:
            return
        by_table: dict[str, list[tuple[tuple, int, str]]] = {}
        for rid, seq, action in page:
            name, _, shown = rid.partition("/")
            table = RECORD_TABLES.get(name)
            if action == "row.delete" or table is None:
                continue
            pk = list(table.primary_key.columns)
            if len(pk) == 1:
                key = (int(shown),) if pk[0].type.python_type is int else (shown,)
            else:
                key = tuple(_content(connection, seq)["key"])
            by_table.setdefault(name, []).append((key, seq, shown))
        for name, wanted in by_table.items():
            table = RECORD_TABLES[name]
            pk = list(table.primary_key.columns)
            present = {tuple(r) for r in connection.execute(
                select(*pk).where(key_clause(table, [k for k, _s, _r in wanted])))}
            for key, seq, shown in wanted:
                if key not in present:
                    yield Finding(name, shown, "missing", seq=seq)
        last = page[-1][0]


def _derived_spellings(connection: Connection) -> Iterator[Finding]:
    """``place_names`` re-derived from the (ledgered) places, a page of places
    at a time: a spelling no place gives, or one a place gives that is gone."""
    from .repositories import _place, spellings

    names = tables.place_names.c
    last = ""
    while True:
        places = connection.execute(select(tables.places).where(tables.places.c.id > last)
                                    .order_by(tables.places.c.id).limit(PAGE)).mappings().all()
        if not places:
            break
        ids = [p["id"] for p in places]
        wanted = {(r["place_id"], r["key"], r["name"]) for p in places for r in spellings(_place(p))}
        stored = {tuple(r) for r in connection.execute(
            select(names.place_id, names.key, names.name).where(names.place_id.in_(ids)))}
        for place_id, key, name in sorted(stored - wanted):
            yield Finding("place_names", f"{place_id}/{key}", "not derived", (name,))
        for place_id, key, _name in sorted(wanted - stored):
            yield Finding("place_names", f"{place_id}/{key}", "not derived missing")
        last = ids[-1]
    orphans = (select(names.place_id, names.key, names.name)
               .where(names.place_id.not_in(select(tables.places.c.id))).order_by(names.place_id, names.key))
    for place_id, key, name in connection.execute(orphans):  # spellings of no place at all
        yield Finding("place_names", f"{place_id}/{key}", "not derived", (name,))


# the text SQLAlchemy's SQLite dialect writes for each (as every truce write stores it)
_DIGITS = {n: "[0-9]" * n for n in (2, 4, 6)}
_DAY = f"{_DIGITS[4]}-{_DIGITS[2]}-{_DIGITS[2]}"
_SQLITE_SHAPES = (
    (DateTime, f"{_DAY} {_DIGITS[2]}:{_DIGITS[2]}:{_DIGITS[2]}.{_DIGITS[6]}"),
    (Date, _DAY),
)


def _misshapen_moments(connection: Connection) -> Iterator[Finding]:
    """On SQLite, each row whose date or moment is stored as text of another
    shape than truce writes, naming the field and the text."""
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL stores dates and moments as values, not text
    for name, table in RECORD_TABLES.items():
        for column in table.columns:
            stored_as = getattr(column.type, "impl", column.type)  # a TypeDecorator's (UTCDateTime's) own type
            shape = next((glob for kind, glob in _SQLITE_SHAPES if isinstance(stored_as, kind)), None)
            if shape is None:
                continue
            raw = type_coerce(column, String)
            misshapen = and_(column.isnot(None), or_(func.typeof(column) != "text", raw.op("NOT GLOB")(shape)))
            pk = list(table.primary_key.columns)
            for row in connection.execute(select(*pk, raw).where(misshapen).order_by(*pk)):
                key = tuple(row[:-1])
                shown = record_id(table, key).split("/", 1)[1]
                yield Finding(name, shown, "unreadable", (f"{column.name} = {str(row[-1])[:40]!r}",))


def reconcile(connection: Connection, *, progress: Callable[[int], None] | None = None) -> Iterator[Finding]:
    """Every disagreement between the record tables and the ledger, as found,
    then every derived spelling that its places do not give.
    ``progress(n)`` is called after each page of ``n`` rows."""
    unreadable = set()
    for finding in _rows_against_ledger(connection, progress):
        if finding.kind == "unreadable":
            unreadable.add((finding.table, finding.key))
        yield finding
    for finding in _misshapen_moments(connection):
        if (finding.table, finding.key) not in unreadable:  # named already, as a value no type reads
            yield finding
    yield from _ledger_against_rows(connection)
    yield from _derived_spellings(connection)

