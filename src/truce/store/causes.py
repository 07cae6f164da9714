"""Every row entry sits beside the action entry that caused it.

A unit of work appends its action entries (``uow.record``: ``user.add``,
``claim.add``, ...) as the use case runs and its row entries when it
commits; the head's lock keeps one transaction's entries contiguous. Each
entry's ``cause`` column holds the sequence number of its transaction's
first action entry (``row_ledger.note_cause``; action entries carry it
since schema 0013, the first one its own number). So the transaction an
entry belongs to is known, and a row entry is explained when

- the entry before it is an action entry and the row's ``cause`` is that
  action entry's transaction (the rows follow their own actions), or
- the entry before it is a row entry of the same transaction (same ``cause``), or
- it was written before schema 0012 by no action (a migration ledgering
  rows) and points forward at the ``ledger.causes`` entry that vouches for
  such rows.

An action entry's transaction is its ``cause`` when that continues the
transaction of the action entry just before it, else its own number (it
opens one; entries before schema 0013 were linked by its upgrade,
``link_actions``). Anything else is a row image no decision of truce's
wrote: an entry appended around the services (with SQL and the token key),
or one pointing at an older action entry of another transaction, which
``truce ledger verify`` names by table, id and sequence number, with the
cause it should have. The link is not hashed into the entry: a forger who
knows of it can set it, so what holds such an entry to account is the next
cosigned checkpoint; what this catches is a row appended on its own, the
way the ledger's format invites.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update

from . import ledger
from .tables import ledger as ledger_table

__all__ = ["VOUCHER", "Unexplained", "backfill", "link_actions", "unexplained"]

VOUCHER = "ledger.causes"
PAGE = 10_000
_c = ledger_table.c


@dataclass(frozen=True)
class Unexplained:
    table: str
    key: str
    seq: int
    action: str
    cause: int | None = None  # the cause it names
    should_be: int | None = None  # the first action entry of the transaction it follows

    def __str__(self) -> str:
        if self.cause is not None and self.should_be is not None:
            return (f"{self.table} {self.key}: ledger entry {self.seq} ({self.action}) names entry {self.cause} "
                    f"as its cause, but it follows the transaction that begins at entry {self.should_be}: its "
                    f"cause should be {self.should_be} (a row entry outside the contiguous transaction of the "
                    "action it names: no decision of truce's wrote it there)")
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
    prev_kind, prev_tx = None, None  # the entry before: action or row, and its transaction
    for rows in _pages(connection, _c.action, _c.record_id, _c.cause):
        for seq, action, record_id, cause in rows:
            if not _is_row(action):
                continues = cause is not None and cause != seq and prev_kind == "action" and cause == prev_tx
                prev_kind, prev_tx = "action", cause if continues else seq
                continue
            expected = prev_tx if prev_kind is not None else None
            explained = cause is not None and ((cause > seq and cause in vouchers) or cause == expected)
            if not explained:
                table, _, key = record_id.partition("/")
                yield Unexplained(table, key, seq, action, cause, expected)
            prev_kind, prev_tx = "row", cause
        if progress is not None:
            progress(len(rows))


def link_actions(connection: Connection) -> None:
    """Give the action entries written before schema 0013 their transaction:
    those from the cause of the row entries after them up to those rows are
    that transaction's; every other one opens its own (with no rows after
    it, which it was cannot be told, and does not matter)."""
    statement = update(ledger_table).where(_c.seq == bindparam("key_seq")).values(cause=bindparam("new_cause"))
    run: list[int] = []  # the action entries since the last row entry
    for rows in _pages(connection, _c.action, _c.cause):
        links = []
        for seq, action, cause in rows:
            if not _is_row(action):
                run.append(seq)
                continue
            if run:
                links.extend({"key_seq": a, "new_cause": cause if cause is not None and cause <= a else a}
                             for a in run)
                run = []
        if links:
            connection.execute(statement, links)
    if run:
        connection.execute(statement, [{"key_seq": a, "new_cause": a} for a in run])


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
