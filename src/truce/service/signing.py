"""Ed25519 keys and signatures over the canonical form of a JSON object.

What is signed: ``canonical_bytes(body)`` of the report body with its
``signature`` field removed (see docs/canonical-form.md). Public keys travel
as the base64 of their 32 raw bytes; PEM ("BEGIN PUBLIC KEY") is accepted
too. Signatures are the base64 of their 64 raw bytes.

>>> private, public = generate_key()
>>> body = sign({"id": "x", "n": 1}, private)
>>> verify(body, public)
True
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..domain.canonical import canonical_bytes
from ..domain.exceptions import ValidationError

__all__ = [
    "SIGNATURE_FIELD", "generate_key", "load_private_key", "normalise_public_key",
    "private_key_pem", "public_key_text", "sign", "signed_bytes", "verify", "verify_bytes",
]

SIGNATURE_FIELD = "signature"


def generate_key() -> tuple[Ed25519PrivateKey, str]:
    """A new private key and its public key as base64 text."""
    private = Ed25519PrivateKey.generate()
    return private, public_key_text(private)


def public_key_text(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def private_key_pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ValidationError(f"cannot read an Ed25519 private key from {path}: {exc}",
                              field="key", remedy="make one with `truce observer keygen`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationError(f"{path} is not an Ed25519 key", field="key")
    return key


def normalise_public_key(text: str) -> str:
    """Base64 of the 32 raw bytes, from base64 or PEM; ValidationError otherwise."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode("ascii"))
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 public key")
            raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        else:
            raw = base64.b64decode(text, validate=True)
            Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise ValidationError(f"not an Ed25519 public key: {exc}", field="public_key",
                              remedy="give the base64 of the 32 raw bytes, or a PEM public key") from None
    return base64.b64encode(raw).decode("ascii")


def signed_bytes(body: dict[str, Any]) -> bytes:
    """The bytes a signature covers: the canonical body without its signature."""
    return canonical_bytes({k: v for k, v in body.items() if k != SIGNATURE_FIELD})


def sign(body: dict[str, Any], private: Ed25519PrivateKey) -> dict[str, Any]:
    """A copy of ``body`` with its ``signature`` set."""
    signature = private.sign(signed_bytes(body))
    return {**body, SIGNATURE_FIELD: base64.b64encode(signature).decode("ascii")}


def verify(body: dict[str, Any], public_key: str) -> bool:
    """Whether ``body[signature]`` is a valid signature by ``public_key``."""
    return verify_bytes(body.get(SIGNATURE_FIELD), signed_bytes(body), public_key)


def verify_bytes(signature: Any, data: bytes, public_key: str) -> bool:
    """Whether ``signature`` (base64) is a valid signature of ``data`` by
    ``public_key``: ``verify`` for a caller that has the signed bytes already."""
    try:
        raw = base64.b64decode(str(signature if signature is not None else ""), validate=True)
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(raw, data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
