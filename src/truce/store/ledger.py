"""The tamper-evident ledger: every accepted write, hash-chained.

Entry ``n`` stores the SHA-256 of its canonical content and
``entry_hash = sha256(canonical({seq, at, actor, action, record_id,
content_hash, prev_hash}))`` where ``prev_hash`` is entry ``n-1``'s
``entry_hash`` (64 zeros for the first). ``ledger_head`` holds the last
sequence number and hash, so deleting the newest rows is detected too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from ..domain.canonical import canonical_bytes, sha256_hex
from .tables import ledger, ledger_head

__all__ = ["GENESIS", "LedgerCheck", "append", "head", "verify"]

GENESIS = "0" * 64


def _entry_hash(seq: int, at: datetime, actor: str | None, action: str, record_id: str,
                content_hash: str, prev_hash: str) -> str:
    return sha256_hex(canonical_bytes({
        "seq": seq, "at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
        "record_id": record_id, "content_hash": content_hash, "prev_hash": prev_hash,
    }))


# Built once: an append runs on every accepted write.
_BUMP_HEAD = (update(ledger_head).where(ledger_head.c.id == 1)
              .values(seq=ledger_head.c.seq + 1)
              .returning(ledger_head.c.seq, ledger_head.c.entry_hash))
_INSERT_ENTRY = insert(ledger)
_SET_HEAD_HASH = (update(ledger_head).where(ledger_head.c.id == 1)
                  .values(entry_hash=bindparam("new_hash")))


def append(connection: Connection, action: str, record_id: str, content: dict[str, Any],
           *, actor: str | None = None, at: datetime | None = None) -> str:
    """Append one entry in the caller's transaction; returns its hash.

    Bumping ``ledger_head`` first takes the write lock (a row lock on
    PostgreSQL, the database lock on SQLite), so concurrent writers queue
    instead of forking the chain; RETURNING gives the new sequence number
    and the previous entry's hash in the same statement.
    """
    at = at or datetime.now(UTC)
    seq, prev_hash = connection.execute(_BUMP_HEAD).one()
    content_hash = sha256_hex(canonical_bytes(content))
    entry_hash = _entry_hash(seq, at, actor, action, record_id, content_hash, prev_hash)
    connection.execute(_INSERT_ENTRY, {
        "seq": seq, "at": at, "actor": actor, "action": action, "record_id": record_id,
        "content": content, "content_hash": content_hash, "prev_hash": prev_hash,
        "entry_hash": entry_hash,
    })
    connection.execute(_SET_HEAD_HASH, {"new_hash": entry_hash})
    return entry_hash


def head(connection: Connection) -> tuple[int, str]:
    """The sequence number and hash of the newest entry."""
    seq, entry_hash = connection.execute(select(ledger_head.c.seq, ledger_head.c.entry_hash)).one()
    return seq, entry_hash


@dataclass(frozen=True)
class LedgerCheck:
    entries: int
    head: str
    first_bad: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def verify(connection: Connection) -> LedgerCheck:
    """Walk the chain from the first entry; name the first that does not match."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    rows = connection.execute(select(ledger).order_by(ledger.c.seq)).mappings()
    for row in rows:
        count += 1
        seq = row["seq"]
        if seq != expected_seq:
            return LedgerCheck(count, expected_prev, expected_seq,
                               f"entry {expected_seq} is missing (next found is {seq})")
        if row["prev_hash"] != expected_prev:
            return LedgerCheck(count, expected_prev, seq,
                               f"entry {seq} does not point at entry {seq - 1}")
        if sha256_hex(canonical_bytes(row["content"])) != row["content_hash"]:
            return LedgerCheck(count, expected_prev, seq, f"entry {seq}: content was altered")
        recomputed = _entry_hash(seq, row["at"], row["actor"], row["action"], row["record_id"],
                                 row["content_hash"], row["prev_hash"])
        if recomputed != row["entry_hash"]:
            return LedgerCheck(count, expected_prev, seq, f"entry {seq}: entry hash does not match")
        expected_prev = row["entry_hash"]
        expected_seq += 1
    head_seq, head_hash = head(connection)
    if head_seq != expected_seq - 1 or head_hash != expected_prev:
        return LedgerCheck(count, expected_prev, expected_seq,
                           f"the head records entry {head_seq} but the chain ends at {expected_seq - 1}")
    return LedgerCheck(count, expected_prev)
