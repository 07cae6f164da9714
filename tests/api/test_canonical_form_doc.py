"""docs/canonical-form.md's worked example is true: the canonical bytes, the
hash and the signature it prints are what truce computes and verifies."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from truce.domain.canonical import sha256_hex
from truce.service.signing import public_key_text, sign, signed_bytes, verify

DOC = Path(__file__).parents[2] / "docs" / "canonical-form.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)\n```", DOC.read_text("utf-8"), flags=re.S)


def test_worked_example_matches_the_implementation():
    public, canonical, digest, signature = _blocks("text")
    (report_text,) = _blocks("json")
    report = json.loads(report_text)
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    assert public_key_text(key) == public
    assert signed_bytes(report).decode("utf-8") == canonical
    assert len(canonical.encode("utf-8")) == 404
    assert sha256_hex(canonical.encode("utf-8")) == digest
    assert sign(report, key)["signature"] == signature
    assert verify({**json.loads(canonical), "signature": signature}, public)
