"""The tamper-evident ledger: every accepted write, hash-chained and in an
RFC 9162 Merkle tree.

Entry ``n`` stores the SHA-256 of its canonical content and
``entry_hash = sha256(entry bytes)``, where the entry bytes are the
canonical JSON of ``{seq, at, actor, action, record_id, content_hash,
prev_hash}`` (``truce.verifier.entry_bytes``) and ``prev_hash`` is entry
``n-1``'s ``entry_hash`` (64 zeros for the first). Entry ``n`` is also leaf
``n-1`` of the Merkle tree (``leaf_hash = SHA-256(0x00 || entry bytes)``,
see ``merkle``), whose signed root (a checkpoint) is what the world holds:
``ledger_head`` lives in the same database and proves nothing on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from ..domain.canonical import canonical_bytes, sha256_hex
from ..verifier import entry_bytes, leaf_hash
from . import merkle
from .tables import ledger, ledger_head, ledger_nodes

__all__ = ["GENESIS", "OPENS", "LedgerCheck", "append", "append_many", "defer", "entry_of", "head", "mark",
           "forget_deferred", "newest_row_entries", "rebuild_tree", "restore", "tree_size", "verify",
           "write_deferred"]

GENESIS = "0" * 64


def entry_of(seq: int, at: datetime, actor: str | None, action: str, record_id: str,
             content_hash: str, prev_hash: str) -> dict[str, Any]:
    """The seven hashed fields of an entry, as the verifier reads them."""
    return {"seq": seq, "at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
            "record_id": record_id, "content_hash": content_hash, "prev_hash": prev_hash}


# Built once: an append runs on every accepted write.
_BUMP_HEAD = (update(ledger_head).where(ledger_head.c.id == 1)
              .values(seq=ledger_head.c.seq + 1)
              .returning(ledger_head.c.seq, ledger_head.c.entry_hash, ledger_head.c.frontier))
_INSERT_ENTRY = insert(ledger)
_INSERT_NODES = insert(ledger_nodes)
_SET_HEAD = (update(ledger_head).where(ledger_head.c.id == 1)
             .values(entry_hash=bindparam("new_hash"), frontier=bindparam("new_frontier")))


# -- deferred appends: a group commit writes its entries in one go ----------------

_DEFERRED = "truce_ledger_deferred"
_READ_HEAD = (select(ledger_head.c.seq, ledger_head.c.entry_hash, ledger_head.c.frontier)
              .where(ledger_head.c.id == 1).with_for_update())
_WRITE_HEAD = (update(ledger_head).where(ledger_head.c.id == 1)
               .values(seq=bindparam("new_seq"), entry_hash=bindparam("new_hash"),
                       frontier=bindparam("new_frontier")))


@dataclass
class _Deferred:
    """Entries appended but not yet written, and the head after them."""

    seq: int
    prev_hash: str
    frontier: merkle.Frontier
    entries: list[dict[str, Any]]
    nodes: list[dict[str, Any]]


def defer(connection: Connection) -> None:
    """From now on, appends on ``connection`` are computed in memory (the
    same entries, hashes and tree) and written by ``write_deferred``, in one
    statement per table, before the transaction commits. The caller holds
    the write lock (SQLite); the head row is read FOR UPDATE (PostgreSQL)."""
    if _DEFERRED in connection.info:
        return
    seq, prev_hash, blob = connection.execute(_READ_HEAD).one()
    connection.info[_DEFERRED] = _Deferred(seq, prev_hash, merkle.Frontier.decode(seq, blob), [], [])


def mark(connection: Connection) -> tuple[int, int, int, str, int, list[bytes]] | None:
    """Where the deferred appends stand now, for ``restore``; None when not deferring."""
    d = connection.info.get(_DEFERRED)
    if d is None:
        return None
    return (len(d.entries), len(d.nodes), d.seq, d.prev_hash, d.frontier.size, d.frontier.hashes)


def restore(connection: Connection, marked: tuple[int, int, int, str, int, list[bytes]] | None) -> None:
    """Drop the deferred appends made since ``mark`` (their savepoint was rolled back)."""
    d = connection.info.get(_DEFERRED)
    if d is None or marked is None:
        return
    n_entries, n_nodes, d.seq, d.prev_hash, size, hashes = marked
    del d.entries[n_entries:]
    del d.nodes[n_nodes:]
    d.frontier = merkle.Frontier(size, hashes)


def write_deferred(connection: Connection) -> None:
    """Write the deferred entries, their tree nodes and the head; appends
    are immediate again."""
    d = connection.info.pop(_DEFERRED, None)
    if d is None or not d.entries:
        return
    connection.execute(_INSERT_ENTRY, d.entries)
    if d.nodes:
        connection.execute(_INSERT_NODES, d.nodes)
    connection.execute(_WRITE_HEAD, {"new_seq": d.seq, "new_hash": d.prev_hash,
                                     "new_frontier": d.frontier.encode()})


def forget_deferred(connection: Connection) -> None:
    """Drop every deferred append (the transaction was rolled back)."""
    connection.info.pop(_DEFERRED, None)


OPENS = -1
"""``cause`` of an action entry that opens its transaction: its own sequence number."""


def _cause(cause: int | None, seq: int) -> int | None:
    return seq if cause == OPENS else cause


def _append_deferred(d: _Deferred, items: list[tuple[str, str, dict[str, Any]]], actor: str | None,
                     at: datetime, cause: int | None) -> tuple[int, str]:
    for action, record_id, content in items:
        d.seq += 1
        content_hash = sha256_hex(canonical_bytes(content))
        data = entry_bytes(entry_of(d.seq, at, actor, action, record_id, content_hash, d.prev_hash))
        entry_hash = sha256_hex(data)
        leaf = leaf_hash(data)
        d.nodes.extend({"key": k, "hash": h} for k, h in d.frontier.append(leaf))
        d.entries.append({"seq": d.seq, "at": at, "actor": actor, "action": action, "record_id": record_id,
                          "content": content, "content_hash": content_hash, "prev_hash": d.prev_hash,
                          "entry_hash": entry_hash, "leaf_hash": leaf, "cause": _cause(cause, d.seq)})
        d.prev_hash = entry_hash
    return d.seq, d.prev_hash


def append(connection: Connection, action: str, record_id: str, content: dict[str, Any],
           *, actor: str | None = None, at: datetime | None = None, cause: int | None = None) -> tuple[int, str]:
    """Append one entry in the caller's transaction; returns its sequence
    number and hash. ``cause`` is the first action entry of the entry's
    transaction (``OPENS``: this entry is; ``store.causes``).

    Bumping ``ledger_head`` first takes the write lock (a row lock on
    PostgreSQL, the database lock on SQLite), so concurrent writers queue
    instead of forking the chain; RETURNING gives the new sequence number,
    the previous entry's hash and the tree's frontier in the same statement.
    """
    at = at or datetime.now(UTC)
    deferred = connection.info.get(_DEFERRED)
    if deferred is not None:
        return _append_deferred(deferred, [(action, record_id, content)], actor, at, cause)
    seq, prev_hash, frontier_blob = connection.execute(_BUMP_HEAD).one()
    content_hash = sha256_hex(canonical_bytes(content))
    data = entry_bytes(entry_of(seq, at, actor, action, record_id, content_hash, prev_hash))
    entry_hash = sha256_hex(data)
    leaf = leaf_hash(data)
    frontier = merkle.Frontier.decode(seq - 1, frontier_blob)
    completed = frontier.append(leaf)
    connection.execute(_INSERT_ENTRY, {
        "seq": seq, "at": at, "actor": actor, "action": action, "record_id": record_id,
        "content": content, "content_hash": content_hash, "prev_hash": prev_hash,
        "entry_hash": entry_hash, "leaf_hash": leaf, **({"cause": _cause(cause, seq)} if cause else {}),
    })
    if completed:
        connection.execute(_INSERT_NODES, [{"key": k, "hash": h} for k, h in completed])
    connection.execute(_SET_HEAD, {"new_hash": entry_hash, "new_frontier": frontier.encode()})
    return seq, entry_hash


def append_many(connection: Connection, items: list[tuple[str, str, dict[str, Any]]], *,
                actor: str | None = None, at: datetime | None = None, cause: int | None = None) -> None:
    """Append ``(action, record_id, content)`` entries in order, bumping the
    head once for all of them (the same lock as ``append``). ``cause`` is
    the sequence number of the action entry that made row entries (``causes``)."""
    if not items:
        return
    at = at or datetime.now(UTC)
    deferred = connection.info.get(_DEFERRED)
    if deferred is not None:
        _append_deferred(deferred, items, actor, at, cause)
        return
    bump = (update(ledger_head).where(ledger_head.c.id == 1).values(seq=ledger_head.c.seq + len(items))
            .returning(ledger_head.c.seq, ledger_head.c.entry_hash, ledger_head.c.frontier))
    last_seq, prev_hash, frontier_blob = connection.execute(bump).one()
    seq = last_seq - len(items)
    frontier = merkle.Frontier.decode(seq, frontier_blob)
    entries, nodes = [], []
    for action, record_id, content in items:
        seq += 1
        content_hash = sha256_hex(canonical_bytes(content))
        data = entry_bytes(entry_of(seq, at, actor, action, record_id, content_hash, prev_hash))
        entry_hash = sha256_hex(data)
        leaf = leaf_hash(data)
        nodes.extend({"key": k, "hash": h} for k, h in frontier.append(leaf))
        entries.append({"seq": seq, "at": at, "actor": actor, "action": action, "record_id": record_id,
                        "content": content, "content_hash": content_hash, "prev_hash": prev_hash,
                        "entry_hash": entry_hash, "leaf_hash": leaf, **({"cause": cause} if cause else {})})
        prev_hash = entry_hash
    connection.execute(_INSERT_ENTRY, entries)
    if nodes:
        connection.execute(_INSERT_NODES, nodes)
    connection.execute(_SET_HEAD, {"new_hash": prev_hash, "new_frontier": frontier.encode()})


def head(connection: Connection) -> tuple[int, str]:
    """The sequence number and hash of the newest entry."""
    seq, entry_hash = connection.execute(select(ledger_head.c.seq, ledger_head.c.entry_hash)).one()
    return seq, entry_hash


def tree_size(connection: Connection) -> tuple[int, bytes]:
    """The number of entries and the current Merkle root, from the frontier."""
    seq, blob = connection.execute(select(ledger_head.c.seq, ledger_head.c.frontier)).one()
    return seq, merkle.Frontier.decode(seq, blob).root()


def newest_row_entries(connection: Connection, record_ids: list[str], *, chunk: int = 500) -> dict[str, int]:
    """record_id -> sequence number of the newest ``row.*`` entry of each
    (the row as it stands); records never ledgered are left out."""
    found: dict[str, int] = {}
    for start in range(0, len(record_ids), chunk):
        part = record_ids[start:start + chunk]
        found.update(connection.execute(select(ledger.c.record_id, func.max(ledger.c.seq))
                                        .where(ledger.c.record_id.in_(part), ledger.c.action.like("row.%"))
                                        .group_by(ledger.c.record_id)).all())
    return found


_ENTRY_COLUMNS = (ledger.c.seq, ledger.c.at, ledger.c.actor, ledger.c.action, ledger.c.record_id,
                  ledger.c.content_hash, ledger.c.prev_hash)


def rebuild_tree(connection: Connection, batch: int = 10_000) -> None:
    """Hash every existing entry into the tree, in order (used once, by the
    migration that introduced it)."""
    frontier = merkle.Frontier(0, [])
    last = 0
    while True:
        rows = connection.execute(select(*_ENTRY_COLUMNS).where(ledger.c.seq > last)
                                  .order_by(ledger.c.seq).limit(batch)).all()
        if not rows:
            break
        leaves, nodes = [], []
        for row in rows:
            leaf = leaf_hash(entry_bytes(entry_of(*row)))
            leaves.append({"key_seq": row.seq, "leaf": leaf})
            nodes.extend({"key": k, "hash": h} for k, h in frontier.append(leaf))
        connection.execute(update(ledger).where(ledger.c.seq == bindparam("key_seq"))
                           .values(leaf_hash=bindparam("leaf")), leaves)
        if nodes:
            connection.execute(insert(ledger_nodes), nodes)
        last = rows[-1].seq
    connection.execute(update(ledger_head).where(ledger_head.c.id == 1).values(frontier=frontier.encode()))


@dataclass(frozen=True)
class LedgerCheck:
    """What ``verify`` found: ``first_bad``, the first entry that is wrong
    (one past the last for a tail that is gone), and ``reason``, which names
    the entries it is about itself (``entry 5: content was altered``,
    ``entries 2301..2340 differ …``): print it as it is."""

    entries: int
    head: str
    first_bad: int | None = None
    reason: str | None = None
    root: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def _rewritten(count: int, head_hash: str, known: dict[int, tuple[bytes, str]], matched: list[int],
               differ: list[int]) -> LedgerCheck:
    """The narrowest range a rewrite lies in: after the newest known root that
    still matches, up to the oldest that does not."""
    bad = min(differ)
    good = max((size for size in matched if size < bad), default=0)
    still = (f"; the checkpoint at {good} entries ({known[good][1]}) still matches, so entries 1..{good} are "
             "as witnessed" if good else "")
    gone = f" (the ledger now has {count})" if bad > count else ""
    return LedgerCheck(count, head_hash, good + 1,
                       f"entries {good + 1}..{bad} differ from what the checkpoint at {bad} entries "
                       f"({known[bad][1]}) committed{gone}{still}: history was rewritten after it was signed")


def _truncated(count: int, head_hash: str, known: dict[int, tuple[bytes, str]], matched: list[int],
               size: int) -> LedgerCheck:
    """Every known root up to ``count`` still matches, but one covered ``size`` > ``count`` entries."""
    good = max(matched, default=0)
    still = (f"; the checkpoint at {good} entries ({known[good][1]}) still matches, so entries 1..{good} are "
             "as witnessed" if good else "")
    return LedgerCheck(count, head_hash, count + 1,
                       f"the ledger has {count} entries, a checkpoint ({known[size][1]}) had {size} > {count}: "
                       f"entries {count + 1}..{size} were removed (the ledger was truncated){still}")


NODE_PAGE = 900  # stored Merkle nodes compared per query


def _stored_nodes_differ(connection: Connection, built: dict[int, tuple[int, bytes]]) -> tuple[int, str] | None:
    """Compare the stored ``ledger_nodes`` with the nodes the entries give
    (``built``, emptied): (the entry that completed the first that differs
    or is missing, what is wrong), or None. Proofs and roots are read from
    the stored nodes, so one that differs would make every proof through it
    fail for a reader while the entries themselves verify."""
    if not built:
        return None
    stored = dict(connection.execute(select(ledger_nodes.c.key, ledger_nodes.c.hash)
                                     .where(ledger_nodes.c.key.in_(list(built)))).all())
    wrong = None
    for key, (seq, node) in built.items():
        have = stored.get(key)
        if have is None or not isinstance(have, bytes | memoryview) or bytes(have) != node:  # text written by SQL
            level, index = merkle.node_level_index(key)
            what = "is missing" if have is None else "does not match the entries"
            found = (seq, f"entry {seq}: the stored Merkle node at level {level}, index {index} {what} "
                          "(proofs and checkpoints are read from it)")
            wrong = found if wrong is None or seq < wrong[0] else wrong
    built.clear()
    return wrong


def verify(connection: Connection, *, progress=None, checkpoint: tuple[int, bytes] | None = None,
           known: dict[int, tuple[bytes, str]] | None = None) -> LedgerCheck:
    """Walk the chain from the first entry, recomputing every hash and the
    Merkle tree; name the first entry that does not match. With a
    ``checkpoint`` (tree size, root hash) signed earlier, the first entries
    must give that root: a truncated or rewritten history is named even when
    every hash was recomputed. ``known`` adds more roots (tree size -> root
    and who vouched for it, e.g. the stored cosignatures): a rewrite is then
    placed between the newest of them that still matches and the oldest that
    does not. ``progress(n)`` is called every 10,000 entries."""
    known = dict(known or {})
    if checkpoint is not None and known.get(checkpoint[0], (None,))[0] != checkpoint[1]:
        known[checkpoint[0]] = (checkpoint[1], "the checkpoint signed earlier")
    matched: list[int] = []
    differ: list[int] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    frontier = merkle.Frontier(0, [])
    built: dict[int, tuple[int, bytes]] = {}  # node key -> (the entry that completed it, its hash): one page
    rows = connection.execution_options(yield_per=5000).execute(
        select(*_ENTRY_COLUMNS, ledger.c.content, ledger.c.entry_hash, ledger.c.leaf_hash)
        .order_by(ledger.c.seq)).mappings()
    for row in rows:
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(count)
        seq = row["seq"]
        if seq != expected_seq:
            return LedgerCheck(count, expected_prev, expected_seq,
                               f"entry {expected_seq} is missing (next found is {seq})")
        if row["prev_hash"] != expected_prev:
            return LedgerCheck(count, expected_prev, seq,
                               f"entry {seq} does not point at entry {seq - 1}")
        if sha256_hex(canonical_bytes(row["content"])) != row["content_hash"]:
            return LedgerCheck(count, expected_prev, seq, f"entry {seq}: content was altered")
        data = entry_bytes(entry_of(seq, row["at"], row["actor"], row["action"], row["record_id"],
                                    row["content_hash"], row["prev_hash"]))
        if sha256_hex(data) != row["entry_hash"]:
            return LedgerCheck(count, expected_prev, seq, f"entry {seq}: entry hash does not match")
        leaf = leaf_hash(data)
        if row["leaf_hash"] is None or bytes(row["leaf_hash"]) != leaf:
            return LedgerCheck(count, expected_prev, seq, f"entry {seq}: Merkle leaf hash does not match")
        for key, node in frontier.append(leaf):
            built[key] = (seq, node)
        if len(built) >= NODE_PAGE:
            wrong = _stored_nodes_differ(connection, built)
            if wrong is not None:
                return LedgerCheck(count, expected_prev, wrong[0], wrong[1])
        if frontier.size in known:
            (matched if frontier.root() == known[frontier.size][0] else differ).append(frontier.size)
        expected_prev = row["entry_hash"]
        expected_seq += 1
    wrong = _stored_nodes_differ(connection, built)
    if wrong is not None:
        return LedgerCheck(count, expected_prev, wrong[0], wrong[1])
    if checkpoint is not None and count < checkpoint[0]:
        return LedgerCheck(count, expected_prev, count + 1,
                           f"the ledger has {count} entries but a checkpoint signed earlier covers "
                           f"{checkpoint[0]}: entries {count + 1}..{checkpoint[0]} were removed")
    gone = sorted(size for size in known if size > count)  # a witness saw entries that are no longer there
    if differ:
        return _rewritten(count, expected_prev, known, matched, differ + gone)
    if gone:
        return _truncated(count, expected_prev, known, matched, max(gone))
    head_seq, head_hash = head(connection)
    if head_seq != count or head_hash != expected_prev:
        # the first entry the head is wrong about: one it claims that is gone, one past it, or the last
        wrong = count + 1 if head_seq > count else head_seq + 1 if head_seq < count else count
        said = (f"the head records entry {head_seq} but the chain ends at entry {count}" if head_seq != count
                else f"the head records another hash for entry {count}, where the chain ends")
        return LedgerCheck(count, expected_prev, wrong, said)
    root = frontier.root()
    if tree_size(connection)[1] != root:
        return LedgerCheck(count, expected_prev, count,
                           f"the stored Merkle frontier does not match the tree of the {count} entries")
    return LedgerCheck(count, expected_prev, root=root)
