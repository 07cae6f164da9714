"""Reading the ledger: its head, entries, Merkle roots and proofs for any past
size, and the witnesses' cosignatures kept beside it. Writing it is
``ledger.append`` (through ``UnitOfWork.record``) and, for cosignatures,
``service.checkpoints.store_cosignature``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from . import ledger, merkle
from . import tables as t

__all__ = ["BOOKKEEPING", "LedgerRepository", "Uncovered", "trusted_cosignatures", "uncovered"]

_l = t.ledger.c
_cs = t.cosignatures.c

BOOKKEEPING = frozenset({"webhook.attempt"})
"""Actions that record an outbox's bookkeeping, not the record: a webhook
delivery attempt changes no record table (``webhook_deliveries`` is exempt)
and no check of `truce ledger verify` reads it. They are ledgered like any
write, but the warning about entries no cosigned checkpoint covers yet does
not count them: a server retrying a failing receiver appends one every few
seconds, and the warning would never clear. Row entries after one are
counted as any row entry is."""


def _key_id(vkey: str) -> str:
    """The key id of a C2SP verifier key ``name+keyid+key`` (a name holds no ``+``; the key's base64 may)."""
    parts = vkey.split("+", 2)
    return parts[1] if len(parts) == 3 else vkey


def trusted_cosignatures(connection: Connection) -> tuple[list[Any], list[str]]:
    """The stored cosignatures to trust when no reader pinned the witnesses'
    keys (rows of tree_size, witness, root_hash, line, vkey, smallest tree
    first), and a finding for each witness name stored with more than one key.

    A witness's name is bound to the key of its earliest stored cosignature
    (its smallest tree): a cosignature under that name by another key was
    made by someone else (database write can add one, with a key of their
    own, to "cover" what they forged) or by a key the witness changed, and
    vouches for nothing here. A witness whose key changes takes a new name;
    a reader who pins the keys (`truce ledger verify --witness`) decides by
    them instead. One rule for both what truce writes (a key signs approvals
    once a trusted cosignature covers it) and what verify re-reads."""
    rows = connection.execute(select(_cs.tree_size, _cs.witness, _cs.root_hash, _cs.line, _cs.vkey)
                              .order_by(_cs.tree_size, _cs.witness)).all()
    first: dict[str, str] = {}
    sizes: dict[str, dict[str, list[int]]] = {}
    trusted = []
    for row in rows:
        if first.setdefault(row.witness, row.vkey) == row.vkey:
            trusted.append(row)
        sizes.setdefault(row.witness, {}).setdefault(row.vkey, []).append(row.tree_size)
    findings = []
    for name, by_key in sizes.items():
        if len(by_key) < 2:
            continue
        held = "; ".join(f"key {_key_id(vkey)} ({'checkpoint' if len(n) == 1 else 'checkpoints'} of "
                         f"{', '.join(map(str, n))} entries)" for vkey, n in by_key.items())
        findings.append(f"witness {name} appears with more than one key: {held}. Someone who can write the "
                        "database cosigned in its name, or the witness changed its key (a new key takes a new "
                        f"name): only the first key's cosignatures (key {_key_id(first[name])}) are trusted; "
                        "pin the witness's key with --witness")
    return trusted, findings


class Uncovered:
    """The entries after a cosigned tree size that change the record
    (``count`` of them, from ``first`` to ``last``), and the bookkeeping
    entries among them that do not (``bookkeeping``)."""

    __slots__ = ("bookkeeping", "count", "first", "last")

    def __init__(self, count: int, first: int | None, last: int | None, bookkeeping: int):
        self.count, self.first, self.last, self.bookkeeping = count, first, last, bookkeeping


def uncovered(connection: Connection, size: int) -> Uncovered:
    """What no cosigned checkpoint of ``size`` entries covers yet (one range scan)."""
    count, first, last = connection.execute(
        select(func.count(), func.min(_l.seq), func.max(_l.seq))
        .where(_l.seq > size, _l.action.not_in(sorted(BOOKKEEPING)))).one()
    total = connection.execute(select(func.count()).where(_l.seq > size)).scalar_one()
    return Uncovered(count, first, last, total - count)


class LedgerRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def head(self) -> tuple[int, str]:
        """(sequence number, entry hash) of the newest entry."""
        return ledger.head(self.connection)

    def tree_size(self) -> tuple[int, bytes]:
        """(number of entries, current Merkle root)."""
        return ledger.tree_size(self.connection)

    def root_at(self, size: int) -> bytes:
        """The Merkle root of the tree of the first ``size`` entries."""
        return merkle.root_at(self.connection, size)

    def verify(self) -> ledger.LedgerCheck:
        return ledger.verify(self.connection)

    def entry(self, seq: int) -> Any:
        """The whole row of entry ``seq`` (which must exist)."""
        return self.connection.execute(t.ledger.select().where(_l.seq == seq)).mappings().one()

    def hashed_entry(self, seq: int) -> tuple[dict[str, Any], Any]:
        """The seven hashed fields of entry ``seq``, and its content."""
        row = self.entry(seq)
        return (ledger.entry_of(row["seq"], row["at"], row["actor"], row["action"], row["record_id"],
                                row["content_hash"], row["prev_hash"]), row["content"])

    def entries_about(self, record_ids: list[str], limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` entries about these records (seq, action, at, entry hash)."""
        query = (select(_l.seq, _l.action, _l.at, _l.entry_hash).where(_l.record_id.in_(record_ids))
                 .order_by(_l.seq.desc()).limit(limit))
        return [dict(r._mapping) for r in self.connection.execute(query)]

    def newest_entry(self, record_id: str, action: str) -> tuple[int, dict[str, Any]] | None:
        """(seq, content) of the newest ``action`` entry about ``record_id``, or None."""
        row = self.connection.execute(select(_l.seq, _l.content).where(_l.record_id == record_id, _l.action == action)
                                      .order_by(_l.seq.desc()).limit(1)).first()
        return None if row is None else (row.seq, row.content)

    def first_row_entry(self, record_id: str) -> int | None:
        """The seq of the first row entry of ``record_id`` (where the ledger
        first holds that row), or None."""
        return self.connection.execute(select(func.min(_l.seq)).where(
            _l.record_id == record_id, _l.action.in_(("row.insert", "row.update")))).scalar_one()

    def newest_row_entries(self, record_ids: list[str]) -> dict[str, int]:
        """record_id -> seq of the newest ``row.*`` entry of each; records never ledgered are left out."""
        return ledger.newest_row_entries(self.connection, record_ids)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 9162 inclusion proof of leaf ``index`` (zero-based) in the tree of ``size``."""
        return merkle.inclusion_proof(self.connection, index, size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """RFC 9162 consistency proof between the trees of ``first`` and ``second`` entries."""
        return merkle.consistency_proof(self.connection, first, second)

    def cosignature_lines(self, size: int, root: bytes) -> list[str]:
        """The stored cosignature lines of the tree of ``size`` entries with ``root``, by witness."""
        query = select(_cs.line).where(_cs.tree_size == size, _cs.root_hash == root).order_by(_cs.witness)
        return [line for (line,) in self.connection.execute(query)]

    def witness_keys(self, size: int) -> list[str]:
        """The verifier keys of the witnesses who cosigned the tree of ``size`` entries."""
        query = select(_cs.vkey).where(_cs.tree_size == size).order_by(_cs.witness)
        return [vkey for (vkey,) in self.connection.execute(query)]

    def newest_cosigned_size(self) -> int | None:
        """The largest tree size a witness has cosigned (``trusted_cosignatures``), or None."""
        trusted, _findings = trusted_cosignatures(self.connection)
        return max((row.tree_size for row in trusted), default=None)

    def row_images(self, table: str) -> list[tuple[int, str, dict[str, Any]]]:
        """(seq, primary key, row image) of every insert or update entry of
        ``table``, in ledger order (the order a forged ``at`` cannot move)."""
        rows = self.connection.execute(select(_l.seq, _l.record_id, _l.content).where(
            _l.record_id >= f"{table}/", _l.record_id < f"{table}0",
            _l.action.in_(("row.insert", "row.update"))).order_by(_l.seq))
        return [(seq, record_id.split("/", 1)[1], (content or {}).get("row") or {}) for seq, record_id, content in rows]

    def action_entries(self, action: str) -> list[tuple[int, str, dict[str, Any]]]:
        """(seq, record id, content) of every ``action`` entry, in ledger order."""
        rows = self.connection.execute(select(_l.seq, _l.record_id, _l.content).where(_l.action == action)
                                       .order_by(_l.seq))
        return [(seq, record_id, content or {}) for seq, record_id, content in rows]
