"""API tokens: how they are made, stored and checked, and the server key.

A token is ``truce_<prefix>_<secret>``: a 48-bit prefix that finds the user
row, then 256 random bits. Random secrets need no password hash: the row
keeps a keyed hash under the server's token key, and a check is two HMACs
and a constant-time comparison (microseconds, so wrong tokens cost the
server nothing to refuse).

The stored hash is bound to its user (schema 0013): ``hmac-sha256-user$<hex>``
is HMAC-SHA256(key, ``truce-token-user/v1`` 0x00 user id 0x00 D), where D is
the token's own digest HMAC-SHA256(key, token). A hash copied onto another
user's row (with database write: "approve as them, then put the row back")
therefore never verifies there. D, not the token, goes in, so that schema
0013 binds the hashes stored before it (``hmac-sha256$`` D, unbound) without
knowing any token: it computes the same value from D and the row's id.

The token key lives outside the database, in a file of mode 0600 made on
first use (``truce init`` makes it): ``TRUCE_TOKEN_KEY_FILE``, or else beside
a SQLite database file (``truce.db`` -> ``truce.db.token-key``), or else
``truce-token.key`` in the working directory. A copy of the database alone
cannot check or forge a token. Losing the key file invalidates every token
(issue new ones with ``truce users token``).

Hashes a version before that left unbound (the upgrade found no token key,
or argon2id hashes of the oldest versions) keep working once: the first
successful use binds the row to its user, ledgered as ``user.token.bind``
(``LEGACY`` below); argon2 stays only for secrets a person chooses.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.exceptions import ValidationError
from ..store.engine import normalise_url

__all__ = ["SCHEME", "UNBOUND", "TokenCheck", "bind_hash", "check_token", "hash_token", "is_bound",
           "load_token_key", "new_token", "parse_token", "token_key_path"]

SCHEME = "hmac-sha256-user$"  # bound to the user id (schema 0013)
UNBOUND = "hmac-sha256$"  # LEGACY: the token's digest alone, as stored before schema 0013
_BINDING = b"truce-token-user/v1"
_TOKEN = re.compile(r"^truce_([0-9a-f]{12})_[A-Za-z0-9_-]{20,100}$")
_KEY_BYTES = 32
_argon2 = PasswordHasher()


def new_token() -> tuple[str, str]:
    """A fresh token and its prefix."""
    prefix = secrets.token_hex(6)
    return f"truce_{prefix}_{secrets.token_urlsafe(32)}", prefix


def parse_token(token: str) -> str | None:
    """The token's prefix, or None if it is not a truce token at all."""
    found = _TOKEN.match(token)
    return found.group(1) if found else None


def _digest(token: str, key: bytes) -> bytes:
    return hmac.new(key, token.encode(), hashlib.sha256).digest()


def _bound(digest: bytes, user_id: str, key: bytes) -> str:
    message = _BINDING + b"\x00" + user_id.encode() + b"\x00" + digest
    return SCHEME + hmac.new(key, message, hashlib.sha256).hexdigest()


def hash_token(token: str, key: bytes, user_id: str) -> str:
    """What the row of user ``user_id`` keeps of ``token`` (bound to that id)."""
    return _bound(_digest(token, key), user_id, key)


def bind_hash(stored: str, key: bytes, user_id: str) -> str | None:
    """The bound hash of an unbound ``hmac-sha256$`` one stored for ``user_id``
    (no token needed), or None if ``stored`` is not one."""
    if not stored.startswith(UNBOUND):
        return None
    try:
        digest = bytes.fromhex(stored[len(UNBOUND):])
    except ValueError:
        return None
    return _bound(digest, user_id, key) if len(digest) == hashlib.sha256().digest_size else None


def is_bound(stored: str) -> bool:
    return stored.startswith(SCHEME)


class TokenCheck:
    """The outcome of checking a token against a stored hash."""

    __slots__ = ("ok", "rehash")

    def __init__(self, ok: bool, rehash: str | None = None):
        self.ok = ok
        self.rehash = rehash  # the keyed hash to store instead of a legacy one


def check_token(token: str, stored: str, key: bytes, user_id: str) -> TokenCheck:
    """Whether ``token`` matches ``stored``, the hash kept in user ``user_id``'s
    row (bound; or, once, a legacy unbound or argon2 hash: ``rehash``)."""
    if stored.startswith(SCHEME):
        return TokenCheck(hmac.compare_digest(hash_token(token, key, user_id), stored))
    if stored.startswith(UNBOUND):  # LEGACY: stored before schema 0013, which found no key to bind it
        unbound = UNBOUND + _digest(token, key).hex()
        if not hmac.compare_digest(unbound, stored):
            return TokenCheck(False)
        return TokenCheck(True, rehash=hash_token(token, key, user_id))
    if stored.startswith("$argon2"):  # LEGACY: tokens issued before keyed hashes
        try:
            _argon2.verify(stored, token)
        except (VerificationError, InvalidHashError):
            return TokenCheck(False)
        return TokenCheck(True, rehash=hash_token(token, key, user_id))
    return TokenCheck(False)


def token_key_path(database_url: str, configured: Path | None = None) -> Path:
    """Where the token key of ``database_url`` is kept (see the module doc)."""
    if configured is not None:
        return configured
    database_url = normalise_url(database_url)
    if database_url.startswith("sqlite:///") and not database_url.endswith(":memory:"):
        database = database_url[len("sqlite:///"):]
        if database:
            return Path(database + ".token-key")
    return Path("truce-token.key")


def load_token_key(path: Path, *, create: bool = True) -> bytes:
    """The key in ``path``; with ``create``, made (mode 0600) if missing.

    A key file that others may read is refused: it would let them forge
    the hashes a stolen database copy could then be checked against.
    """
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made by another process meanwhile: read theirs
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(_KEY_BYTES) + "\n")
    try:
        mode = path.stat().st_mode
        text = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read the token key {path}: {exc}", field="token_key_file",
                              remedy="`truce init` makes it; TRUCE_TOKEN_KEY_FILE names it") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValidationError(f"the token key {path} may be read by others "
                              f"(mode {stat.S_IMODE(mode):o})", field="token_key_file",
                              remedy=f"chmod 600 {path}")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise ValidationError(f"{path} does not hold a token key (hex, 32 bytes)",
                              field="token_key_file")
    return key
