"""RFC 9162 section 2.1: the published reference vectors (RFC 6962's, as
the certificate-transparency implementations test them), property tests over
random tree sizes, and the stored tree agreeing with the RFC's definitions."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.store import ledger, merkle
from truce.store.uow import UnitOfWork
from truce.verifier import (
    VerificationFailed,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")]
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# (leaf index 0-based, tree size, proof)
INCLUSION = [
    (0, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]
CONSISTENCY = [
    (1, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]


# -- the RFC's recursive definitions, written out literally: the reference ---------

def mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(leaves[0])
    k = 1 << ((n - 1).bit_length() - 1)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def test_reference_roots_match_the_vectors():
    assert [mth(LEAVES[:n]) for n in range(1, 9)] == ROOTS
    assert mth([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_incremental_frontier_gives_every_vector_root():
    frontier = merkle.Frontier(0, [])
    for n, leaf in enumerate(LEAVES, 1):
        frontier.append(leaf_hash(leaf))
        assert frontier.root() == ROOTS[n - 1]
        assert merkle.Frontier.decode(n, frontier.encode()).root() == ROOTS[n - 1]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_vectors_verify_and_match_the_reference(index, size, proof):
    assert path(index, LEAVES[:size]) == proof
    verify_inclusion(index, size, leaf_hash(LEAVES[index]), proof, ROOTS[size - 1])


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_corrupted_inclusion_vectors_fail(index, size, proof):
    leaf, root = leaf_hash(LEAVES[index]), ROOTS[size - 1]
    probes = [(index + 1, size, leaf, proof, root), (index, size * 2, leaf, proof, root),
              (index, size, leaf_hash(b"WrongLeaf"), proof, root),
              (index, size, leaf, proof, hashlib.sha256(b"").digest()),
              (index, size, leaf, [*proof, root], root), (index, size, leaf, [root, *proof], root),
              (index, size, leaf, proof[:-1], root)]
    if index > 0:
        probes.append((index - 1, size, leaf, proof, root))
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        probes.append((index, size, leaf, bad, root))
    for probe in probes:
        with pytest.raises(VerificationFailed):
            verify_inclusion(*probe)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_vectors_verify_and_match_the_reference(first, second, proof):
    assert subproof(first, LEAVES[:second], True) == proof
    verify_consistency(first, second, ROOTS[first - 1], ROOTS[second - 1], proof)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_corrupted_consistency_vectors_fail(first, second, proof):
    r1, r2 = ROOTS[first - 1], ROOTS[second - 1]
    probes = [(first - 1, second, r1, r2, proof), (first + 1, second, r1, r2, proof),
              (first, second * 2, r1, r2, proof), (first, second, r2, r1, proof),
              (first, second, r1, r2, []), (first, second, r1, r2, [*proof, r1]),
              (first, second, r1, r2, [r2, *proof]), (first, second, r1, r2, proof[:-1])]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
        probes.append((first, second, r1, r2, bad))
    for probe in probes:
        with pytest.raises(VerificationFailed):
            verify_consistency(*probe)


def test_trivial_consistency_cases_follow_the_rfc():
    some = hashlib.sha256(b"x").digest()
    verify_consistency(0, 5, some, ROOTS[4], [])
    verify_consistency(3, 3, ROOTS[2], ROOTS[2], [])
    for bad in [(3, 3, ROOTS[2], ROOTS[3], []), (3, 3, ROOTS[2], ROOTS[2], [some]), (4, 3, ROOTS[3], ROOTS[2], [])]:
        with pytest.raises(VerificationFailed):
            verify_consistency(*bad)


# -- properties over random trees --------------------------------------------------

def _leaves(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def _flip(data: bytes, position: int) -> bytes:
    position %= len(data)
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))), st.integers(0, 10_000))
def test_inclusion_proofs_verify_and_any_changed_byte_fails(size_index, where):
    size, index = size_index
    leaves = _leaves(size)
    root, proof = mth(leaves), path(index, leaves)
    leaf = leaf_hash(leaves[index])
    verify_inclusion(index, size, leaf, proof, root)
    with pytest.raises(VerificationFailed):
        verify_inclusion(index, size, leaf_hash(leaves[index] + b"!"), proof, root)
    if proof:
        i = where % len(proof)
        bad = [*proof[:i], _flip(proof[i], where // len(proof)), *proof[i + 1:]]
        with pytest.raises(VerificationFailed):
            verify_inclusion(index, size, leaf, bad, root)
    with pytest.raises(VerificationFailed):
        verify_inclusion(index, size, leaf, proof, _flip(root, where))


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 300).flatmap(lambda n: st.tuples(st.integers(1, n - 1), st.just(n))), st.integers(0, 10_000))
def test_consistency_proofs_verify_and_any_changed_byte_fails(sizes, where):
    first, second = sizes
    leaves = _leaves(second)
    r1, r2, proof = mth(leaves[:first]), mth(leaves), subproof(first, leaves, True)
    verify_consistency(first, second, r1, r2, proof)
    i = where % len(proof)
    bad = [*proof[:i], _flip(proof[i], where // len(proof)), *proof[i + 1:]]
    with pytest.raises(VerificationFailed):
        verify_consistency(first, second, r1, r2, bad)
    changed = [*leaves[:first - 1], b"rewritten", *leaves[first:]]
    with pytest.raises(VerificationFailed):  # a history rewritten below the old size
        verify_consistency(first, second, r1, mth(changed), subproof(first, changed, True))


# -- the stored tree, on SQLite and PostgreSQL -------------------------------------

def test_stored_tree_gives_the_rfc_root_and_proofs_for_every_size(engine):
    contents = [{"n": n} for n in range(45)]
    with UnitOfWork(engine, actor="test") as uow:
        for n, content in enumerate(contents):
            uow.record("test.write", f"r{n}", content)
        uow.commit()
    with engine.connect() as c:
        entries = [bytes(b) for (b,) in c.execute(ledger.ledger.select().with_only_columns(
            ledger.ledger.c.leaf_hash).order_by(ledger.ledger.c.seq))]
        size, root = ledger.tree_size(c)
        assert size == 45

        def tree(n):  # the reference over leaf hashes already computed
            if n == 1:
                return entries[0]
            return _mth_hashes(entries[:n])

        assert root == tree(45)
        for n in (1, 2, 7, 8, 9, 32, 33, 45):
            assert merkle.root_at(c, n) == tree(n)
            for index in {0, n // 2, n - 1}:
                proof = merkle.inclusion_proof(c, index, n)
                verify_inclusion(index, n, entries[index], proof, tree(n))
            for first in {1, n // 3 or 1, n - 1 or 1}:
                if first <= n:
                    verify_consistency(first, n, tree(first), tree(n), merkle.consistency_proof(c, first, n))
        assert ledger.verify(c).ok


def _mth_hashes(hashes: list[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return node_hash(_mth_hashes(hashes[:k]), _mth_hashes(hashes[k:]))


def test_root_from_inclusion_proof_refuses_an_index_outside_the_tree():
    with pytest.raises(VerificationFailed, match="outside"):
        root_from_inclusion_proof(8, 8, leaf_hash(b""), [])
