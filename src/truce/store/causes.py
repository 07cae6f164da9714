"""Every row entry sits beside the action entry that caused it.

A unit of work appends its action entries (``uow.record``: ``user.add``,
``claim.add``, ...) as the use case runs and its row entries when it
commits; the head's lock keeps one transaction's entries contiguous. Each
row entry's ``cause`` column holds the sequence number of its transaction's
first action entry (``row_ledger.note_cause``). A row entry is explained when

- its ``cause`` is an action entry of the run of action entries just
  before the rows (``block start <= cause < seq``), or
- the row entry before it is one of the same transaction (same ``cause``), or
- it was written before schema 0012 by no action (a migration ledgering
  rows) and points forward at the ``ledger.causes`` entry that vouches for
  such rows.

Anything else is a row image no decision of truce's wrote: an entry
appended around the services (with SQL and the token key), which
``truce ledger verify`` names by table, id and sequence number. The link is
not hashed into the entry: a forger who knows of it can set it, so what
holds such an entry to account is the next cosigned checkpoint; what this
catches is a row appended on its own, the way the ledger's format invites.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update

from . import ledger
from .tables import ledger as ledger_table

__all__ = ["VOUCHER", "Unexplained", "backfill", "unexplained"]

VOUCHER = "ledger.causes"
PAGE = 10_000
_c = ledger_table.c


@dataclass(frozen=True)
class Unexplained:
    table: str
    key: str
    seq: int
    action: str

    def __str__(self) -> str:
        return (f"{self.table} {self.key}: ledger entry {self.seq} ({self.action}) has no action entry beside it "
                "(no decision of truce's wrote it: an entry appended around truce)")


def _pages(connection: Connection, *columns) -> Iterator[list]:
    last = 0
    while True:
        rows = connection.execute(select(_c.seq, *columns).where(_c.seq > last).order_by(_c.seq).limit(PAGE)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _is_row(action: str) -> bool:
    return action.startswith("row.")


def unexplained(connection: Connection, *, progress: Callable[[int], None] | None = None) -> Iterator[Unexplained]:
    """Each row entry no action entry explains, in order."""
    vouchers = set(connection.execute(select(_c.seq).where(_c.action == VOUCHER)).scalars())
    block_start = None  # the first of the action entries just before the rows being read
    prev_kind, prev_cause = None, None
    for rows in _pages(connection, _c.action, _c.record_id, _c.cause):
        for seq, action, record_id, cause in rows:
            if not _is_row(action):
                if prev_kind != "action":
                    block_start = seq
                prev_kind = "action"
                continue
            explained = cause is not None and (
                (cause > seq and cause in vouchers)
                or (prev_kind == "action" and block_start is not None and block_start <= cause < seq)
                or (prev_kind == "row" and cause == prev_cause))
            if not explained:
                table, _, key = record_id.partition("/")
                yield Unexplained(table, key, seq, action)
            prev_kind, prev_cause = "row", cause
        if progress is not None:
            progress(len(rows))


def backfill(connection: Connection, *, actor: str) -> None:
    """Link the row entries written before schema 0012 to their actions, the
    way truce wrote them: the first action entry of the contiguous run before
    them, by the same actor. Rows no action precedes (a migration's) point at
    one ``ledger.causes`` entry appended at the end, which vouches for them."""
    head_seq, _hash = ledger.head(connection)
    voucher = head_seq + 1  # nothing else appends during the migration
    linked = vouched = 0
    block_start = block_actor = None
    prev_kind, prev_cause, prev_actor = None, None, None
    statement = update(ledger_table).where(_c.seq == bindparam("key_seq")).values(cause=bindparam("new_cause"))
    for rows in _pages(connection, _c.action, _c.actor):
        links = []
        for seq, action, who in rows:
            if not _is_row(action):
                if prev_kind != "action":
                    block_start, block_actor = seq, who
                prev_kind = "action"
                continue
            if prev_kind == "action" and who == block_actor:
                cause = block_start
            elif prev_kind == "row" and who == prev_actor:
                cause = prev_cause
            else:
                cause = voucher
            if cause == voucher:
                vouched += 1
            else:
                linked += 1
            links.append({"key_seq": seq, "new_cause": cause})
            prev_kind, prev_cause, prev_actor = "row", cause, who
        if links:
            connection.execute(statement, links)
    if vouched:
        ledger.append(connection, VOUCHER, "ledger/causes",
                      {"revision": "0012", "through": head_seq, "linked": linked, "vouched": vouched}, actor=actor)
