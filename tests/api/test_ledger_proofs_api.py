"""The public checkpoint and proofs over real HTTP, checked with nothing but
the standalone verifier."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from truce.verifier import (
    canonical_bytes,
    entry_bytes,
    leaf_hash,
    parse_vkey,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)


def _log_key(live):
    return parse_vkey(Path(f"{live.settings.log_key}.pub").read_text())


def _checkpoint(client, live, size=None):
    response = client.get("/api/ledger/checkpoint", params={} if size is None else {"size": size})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return verify_checkpoint(response.text, _log_key(live))


def test_anyone_gets_an_inclusion_proof_and_only_staff_the_entry(live):
    with live.client() as public, live.client("analyst1") as staff:
        note = _checkpoint(public, live)
        shown = public.get("/api/ledger/proof/inclusion", params={"seq": 1, "size": note.size}).json()
        assert "entry" not in shown and "content" not in shown  # entries may name observers
        verify_inclusion(0, note.size, base64.b64decode(shown["leaf_hash"]),
                         [base64.b64decode(p) for p in shown["proof"]], note.root)
        full = staff.get("/api/ledger/proof/inclusion", params={"seq": 1, "size": note.size}).json()
        assert leaf_hash(entry_bytes(full["entry"])) == base64.b64decode(shown["leaf_hash"])


def test_inclusion_proof_of_an_entry_verifies_against_the_signed_checkpoint(live):
    with live.client("admin1") as client:
        note = _checkpoint(client, live)
        assert note.size >= 3
        for seq in (1, note.size // 2, note.size):
            body = client.get("/api/ledger/proof/inclusion", params={"seq": seq, "size": note.size}).json()
            assert body["entry"]["seq"] == seq
            assert hashlib.sha256(canonical_bytes(body["content"])).hexdigest() == body["entry"]["content_hash"]
            proof = [base64.b64decode(p) for p in body["proof"]]
            verify_inclusion(seq - 1, note.size, leaf_hash(entry_bytes(body["entry"])), proof, note.root)


def test_consistency_proof_links_an_earlier_checkpoint_to_the_current_one(live):
    with live.client() as client:
        now = _checkpoint(client, live)
        earlier = _checkpoint(client, live, size=2)
        assert earlier.size == 2
        body = client.get("/api/ledger/proof/consistency", params={"from": 2, "to": now.size}).json()
        assert body["from"] == 2 and body["to"] == now.size
        verify_consistency(2, now.size, earlier.root, now.root, [base64.b64decode(p) for p in body["proof"]])


def test_proofs_outside_the_tree_are_refused_naming_the_field(live):
    before = live.counts()
    with live.client() as client:
        size = _checkpoint(client, live).size
        cases = [("/api/ledger/proof/inclusion", {"seq": size + 1, "size": size}, "seq"),
                 ("/api/ledger/proof/inclusion", {"seq": 1, "size": size + 10}, "size"),
                 ("/api/ledger/proof/consistency", {"from": 3, "to": 2}, "from"),
                 ("/api/ledger/checkpoint", {"size": size + 10}, "size")]
        for path, params, field in cases:
            response = client.get(path, params=params)
            assert 400 <= response.status_code < 500, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert field in response.text
    assert live.counts() == before
