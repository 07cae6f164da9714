"""Users, roles and API tokens.

A token is ``truce_<prefix>_<secret>``: shown once when made, stored only as
an argon2 hash. ``prefix`` finds the row; argon2 checks the rest. Checking
argon2 on every request would cost tens of milliseconds, so a token that
verified once is remembered (by its SHA-256, beside the stored hash it
matched) for this process; the user row is still read on every request, so
deactivation, expiry, role and key changes take effect at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from threading import Lock

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from ..domain.exceptions import ValidationError
from ..store.uow import UnitOfWork
from ..store.users import UserRecord, UserRepository
from .signing import normalise_public_key

__all__ = [
    "AuthError", "Principal", "Role", "STAFF", "add_user", "authenticate", "deactivate", "list_users",
    "rotate_token", "set_public_key",
]


class Role(str, Enum):
    OBSERVER = "observer"
    ANALYST = "analyst"
    LIAISON = "liaison"
    ADMIN = "admin"


STAFF = frozenset({Role.ANALYST, Role.ADMIN})
"""Mission staff: may see observer identities and exact positions."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a verified token."""

    id: str
    name: str
    role: Role
    party: str | None = None
    public_key: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


class AuthError(Exception):
    """A token that is missing, malformed, unknown, expired or revoked."""


_hasher = PasswordHasher()
_verified: OrderedDict[str, str] = OrderedDict()
_verified_lock = Lock()
_CACHE_SIZE = 10_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$")


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return f"truce_{prefix}_{secrets.token_urlsafe(32)}", prefix


def _ledger_view(user: UserRecord) -> dict:
    return {"name": user.name, "role": user.role, "party": user.party,
            "public_key": user.public_key, "active": user.active,
            "token_expires_at": user.token_expires_at.isoformat() if user.token_expires_at else None}


def add_user(uow: UnitOfWork, name: str, role: str, now: datetime, *, party: str | None = None,
             public_key: str | None = None, expires_days: int | None = None) -> tuple[UserRecord, str]:
    """Create a user; returns it and its token (the only time the token is seen)."""
    if not _NAME.match(name or ""):
        raise ValidationError(f"{name!r} is not a user name (letters, digits, . _ @ -)", field="name")
    try:
        role_ = Role(role)
    except ValueError:
        raise ValidationError(f"unknown role {role!r}; one of: {', '.join(r.value for r in Role)}",
                              field="role") from None
    if role_ is Role.LIAISON and not party:
        raise ValidationError("a liaison speaks for one party: give it", field="party")
    if role_ is not Role.LIAISON and party:
        raise ValidationError("only a liaison is bound to a party", field="party")
    if party and not uow.directory.party_exists(party):
        raise ValidationError(f"unknown party {party!r}", field="party")
    if expires_days is not None and expires_days < 1:
        raise ValidationError("a token lives at least one day", field="expires_days")
    token, prefix = _new_token()
    user = UserRecord(
        id=f"usr-{uuid.uuid4().hex[:16]}", name=name, role=role_.value, party=party,
        public_key=normalise_public_key(public_key) if public_key else None, active=True,
        created_at=now,
        token_expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    UserRepository(uow.connection).add(user, _hasher.hash(token), prefix)
    uow.record("user.add", user.id, _ledger_view(user))
    return user, token


def list_users(uow: UnitOfWork) -> list[UserRecord]:
    return UserRepository(uow.connection).list()


def set_public_key(uow: UnitOfWork, name: str, public_key: str) -> UserRecord:
    """Register (or replace) the Ed25519 key a user signs reports with."""
    repo = UserRepository(uow.connection)
    user = repo.get(name)
    key = normalise_public_key(public_key)
    repo.update(user.id, public_key=key)
    uow.record("user.key", user.id, {"name": name, "public_key": key})
    return repo.get(name)


def rotate_token(uow: UnitOfWork, name: str, now: datetime,
                 expires_days: int | None = None) -> tuple[UserRecord, str]:
    """Replace a user's token; the old one stops working at once."""
    repo = UserRepository(uow.connection)
    user = repo.get(name)
    token, prefix = _new_token()
    expires = now + timedelta(days=expires_days) if expires_days else None
    repo.update(user.id, token_hash=_hasher.hash(token), token_prefix=prefix,
                token_expires_at=expires)
    uow.record("user.token", user.id, {"name": name, "at": now.isoformat(),
                                        "token_expires_at": expires.isoformat() if expires else None})
    return repo.get(name), token


def deactivate(uow: UnitOfWork, name: str, now: datetime) -> UserRecord:
    repo = UserRepository(uow.connection)
    user = repo.get(name)
    repo.update(user.id, active=False)
    uow.record("user.deactivate", user.id, {"name": name, "at": now.isoformat()})
    return repo.get(name)


def _argon2_ok(token: str, stored_hash: str) -> bool:
    key = hashlib.sha256(token.encode()).hexdigest()
    with _verified_lock:
        if _verified.get(key) == stored_hash:
            _verified.move_to_end(key)
            return True
    try:
        _hasher.verify(stored_hash, token)
    except (VerificationError, InvalidHashError):
        return False
    with _verified_lock:
        _verified[key] = stored_hash
        if len(_verified) > _CACHE_SIZE:
            _verified.popitem(last=False)
    return True


def authenticate(connection: Connection, token: str, now: datetime) -> Principal:
    """The principal holding ``token``; AuthError (with the reason) otherwise."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "truce" or not re.fullmatch(r"[0-9a-f]{12}", parts[1]):
        raise AuthError("malformed token")
    found = UserRepository(connection).by_prefix(parts[1])
    if found is None or not _argon2_ok(token, found[1]):
        raise AuthError("unknown or wrong token")
    user = found[0]
    if not user.active:
        raise AuthError("this user was deactivated")
    if user.token_expires_at is not None and user.token_expires_at <= now:
        raise AuthError("the token has expired")
    return Principal(id=user.id, name=user.name, role=Role(user.role), party=user.party,
                     public_key=user.public_key)
