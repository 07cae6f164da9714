"""The canonical serialisation used for hashes and signatures.

Canonical JSON: UTF-8, keys sorted, no insignificant whitespace
(separators "," and ":"), non-ASCII characters kept as they are, no NaN.
Any language with a JSON library can reproduce it: this is what an
observer's field app signs and what each ledger entry hashes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["canonical_bytes", "sha256_hex"]


def canonical_bytes(value: Any) -> bytes:
    """Serialise ``value`` (JSON types only) in the canonical form."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
