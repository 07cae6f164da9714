"""The RFC 9162 Merkle tree over the ledger, stored as it grows.

Leaf ``i`` (zero-based) is ledger entry ``i + 1``; its hash lives in the
entry's own row (``ledger.leaf_hash``). Every complete subtree above the
leaves, covering leaves ``[idx * 2**level, (idx + 1) * 2**level)``, is one
row of ``ledger_nodes`` keyed by ``node_key(level, idx)``; it is written
once, when its last leaf arrives, and never changes. ``ledger_head.frontier``
keeps the roots of the complete subtrees the current tree is made of (one
per set bit of the size, smallest level first), so an append reads nothing
and writes on average one node row.

Any proof or root, for any past size, is a few dozen stored hashes: every
subtree a proof names is either complete (one row) or the ragged right
edge of the tree, itself at most one complete subtree per level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select

from ..verifier import node_hash
from .tables import ledger, ledger_nodes

__all__ = [
    "Frontier",
    "consistency_proof",
    "inclusion_proof",
    "node_key",
    "node_level_index",
    "root_at",
]

_LEVEL_SHIFT = 40  # up to 2**40 leaves per level index


def node_key(level: int, index: int) -> int:
    return (level << _LEVEL_SHIFT) | index


def node_level_index(key: int) -> tuple[int, int]:
    """The (level, index) a ``node_key`` names."""
    return key >> _LEVEL_SHIFT, key & ((1 << _LEVEL_SHIFT) - 1)


class Frontier:
    """The compact range of a tree of ``size`` leaves: one hash per set bit."""

    def __init__(self, size: int, hashes: Sequence[bytes]):
        self.size = size
        self.hashes = list(hashes)  # ascending level, one per set bit of size

    @classmethod
    def decode(cls, size: int, blob: bytes | None) -> Frontier:
        blob = blob or b""
        return cls(size, [blob[i:i + 32] for i in range(0, len(blob), 32)])

    def encode(self) -> bytes:
        return b"".join(self.hashes)

    def append(self, leaf: bytes) -> list[tuple[int, bytes]]:
        """Add one leaf; returns the (node key, hash) of each subtree it completes."""
        index, carry, level, completed = self.size, leaf, 0, []
        pos = 0  # position in self.hashes of the current level's hash
        while (index >> level) & 1:
            carry = node_hash(self.hashes[pos], carry)
            pos += 1
            level += 1
            completed.append((node_key(level, index >> level), carry))
        self.hashes = [carry, *self.hashes[pos:]]
        self.size += 1
        return completed

    def root(self) -> bytes:
        from hashlib import sha256

        if not self.hashes:
            return sha256(b"").digest()
        root = self.hashes[0]
        for h in self.hashes[1:]:
            root = node_hash(h, root)
        return root


# -- subtrees named by proofs --------------------------------------------------------

Range = tuple[int, int]


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_ranges(m: int, start: int, end: int) -> list[Range]:
    ranges: list[Range] = []
    while end - start > 1:
        k = _split(end - start)
        if m < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()  # leaf upwards
    return ranges


def _consistency_ranges(m: int, start: int, end: int) -> list[Range]:
    """RFC 9162 2.1.4.1 SUBPROOF(m, D[start:end], true), as ranges."""
    ranges: list[Range] = []
    complete = True
    while True:
        n = end - start
        if m == n:
            if not complete:
                ranges.append((start, end))
            break
        k = _split(n)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    ranges.reverse()
    return ranges


def _complete_parts(start: int, end: int) -> list[tuple[int, int]]:
    """(level, index) of the complete subtrees making up ``[start, end)``, left to right."""
    parts = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        parts.append((level, start >> level))
        start += 1 << level
    return parts


def _fetch(connection: Connection, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    wanted = set(wanted)
    leaves = [idx + 1 for level, idx in wanted if level == 0]
    nodes = [node_key(level, idx) for level, idx in wanted if level > 0]
    found: dict[tuple[int, int], bytes] = {}
    if leaves:
        query = select(ledger.c.seq, ledger.c.leaf_hash).where(ledger.c.seq.in_(leaves))
        for seq, h in connection.execute(query):
            found[(0, seq - 1)] = bytes(h)
    if nodes:
        query = select(ledger_nodes.c.key, ledger_nodes.c.hash).where(ledger_nodes.c.key.in_(nodes))
        for key, h in connection.execute(query):
            found[(key >> _LEVEL_SHIFT, key & ((1 << _LEVEL_SHIFT) - 1))] = bytes(h)
    if len(found) != len(wanted):
        missing = sorted(wanted - found.keys())[0]
        raise LookupError(f"the Merkle tree lacks the node at level {missing[0]}, index {missing[1]}")
    return found


def _hash_ranges(connection: Connection, ranges: Sequence[Range]) -> list[bytes]:
    parts = [_complete_parts(s, e) for s, e in ranges]
    found = _fetch(connection, (p for ps in parts for p in ps))
    hashes = []
    for ps in parts:
        h = found[ps[-1]]
        for p in reversed(ps[:-1]):
            h = node_hash(found[p], h)
        hashes.append(h)
    return hashes


def root_at(connection: Connection, size: int) -> bytes:
    """The root hash of the tree of the first ``size`` entries."""
    if size == 0:
        from hashlib import sha256

        return sha256(b"").digest()
    return _hash_ranges(connection, [(0, size)])[0]


def inclusion_proof(connection: Connection, index: int, size: int) -> list[bytes]:
    """RFC 9162 2.1.3.1 PATH(index, D[0:size]), leaf upwards."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is outside a tree of {size} entries")
    return _hash_ranges(connection, _inclusion_ranges(index, 0, size))


def consistency_proof(connection: Connection, first: int, second: int) -> list[bytes]:
    """RFC 9162 2.1.4.1 PROOF(first, D[0:second])."""
    if not 0 <= first <= second:
        raise ValueError(f"tree size {first} cannot precede {second}")
    if first == 0 or first == second:
        return []
    return _hash_ranges(connection, _consistency_ranges(first, 0, second))
