"""Enrolling an observer's device, and revoking a lost one.

An admin asks for a one-time code (``create_enrolment``): short-lived,
typed or scanned on the device, kept only as its SHA-256. The device makes
its own Ed25519 key pair and sends the public half with the code
(``enrol_device``); the key is registered to the observer and a new API
token is issued to the device, shown once. The private key never leaves
the device.

``revoke_device`` ends the device's key and token at once: nothing can be
signed or sent with them from then on. Reports received earlier keep their
signatures, and the key they verify against stays in the ledger
("user.key" and "user.revoke" entries).

>>> # code, expires = create_enrolment(uow, "obs-north-1", now, valid_minutes=30)
>>> # user, token = enrol_device(uow, code, public_key_b64, now)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from ..domain.exceptions import ValidationError
from ..store import tables as t
from ..store.uow import UnitOfWork
from ..store.users import UserRecord, UserRepository
from . import users
from .signing import normalise_public_key

__all__ = [
    "CODE_ALPHABET", "DEFAULT_VALID_MINUTES", "create_enrolment", "enrol_device", "normalise_code",
    "revoke_device",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed from a screen
CODE_LENGTH = 12  # 60 bits
DEFAULT_VALID_MINUTES = 30
MAX_VALID_MINUTES = 7 * 24 * 60


def normalise_code(text: str) -> str:
    """Upper case without spaces or dashes: ``abcd-efgh-jkmn`` -> ``ABCDEFGHJKMN``."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def _expire_pending(uow: UnitOfWork, user_id: str, now: datetime) -> None:
    e = t.enrolments.c
    uow.connection.execute(update(t.enrolments).where(e.user_id == user_id, e.used_at.is_(None),
                                                      e.expires_at > now).values(expires_at=now))


def create_enrolment(uow: UnitOfWork, name: str, now: datetime, *,
                     valid_minutes: int = DEFAULT_VALID_MINUTES) -> tuple[UserRecord, str, datetime]:
    """A one-time code for observer ``name`` (created if new); returns the
    user, the code as ``XXXX-XXXX-XXXX`` and when it stops working. Codes
    issued earlier and not yet used stop working."""
    if not 1 <= valid_minutes <= MAX_VALID_MINUTES:
        raise ValidationError(f"a code is valid for 1 to {MAX_VALID_MINUTES} minutes, not {valid_minutes}",
                              field="valid_minutes")
    repo = UserRepository(uow.connection)
    user = repo.find(name)
    if user is None:
        user, _unused_token = users.add_user(uow, name, users.Role.OBSERVER.value, now)
    elif user.role != users.Role.OBSERVER.value:
        raise ValidationError(f"{name} is {user.role}; only observers enrol a field device", field="name")
    elif not user.active:
        raise ValidationError(f"{name} was deactivated", field="name")
    _expire_pending(uow, user.id, now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))
    expires = now + timedelta(minutes=valid_minutes)
    uow.connection.execute(insert(t.enrolments).values(code_hash=_hash(code), user_id=user.id,
                                                       created_at=now, expires_at=expires))
    uow.record("user.enrolment", user.id, {"name": name, "expires_at": expires.isoformat()})
    return user, code, expires


def enrol_device(uow: UnitOfWork, code: str, public_key: str, now: datetime) -> tuple[UserRecord, str]:
    """Register the device's public key with a valid code; returns the user
    and its new API token (shown once). The code cannot be used again."""
    e = t.enrolments.c
    row = uow.connection.execute(select(t.enrolments).where(e.code_hash == _hash(code))).mappings().first()
    if row is None:
        raise ValidationError("unknown enrolment code", field="code",
                              remedy="check it for typos, or ask an admin for a new one")
    if row["used_at"] is not None:
        raise ValidationError("this enrolment code was already used", field="code",
                              remedy="ask an admin for a new one (`truce users enrol NAME`)")
    if row["expires_at"] <= now:
        raise ValidationError(f"this enrolment code expired at {row['expires_at'].isoformat()}",
                              field="code", remedy="ask an admin for a new one (`truce users enrol NAME`)")
    key = normalise_public_key(public_key)
    repo = UserRepository(uow.connection)
    user = repo.get_by_id(row["user_id"])
    if not user.active:
        raise ValidationError(f"{user.name} was deactivated", field="code")
    uow.connection.execute(update(t.enrolments).where(e.code_hash == row["code_hash"]).values(used_at=now))
    users.set_public_key(uow, user.name, key)
    user, token = users.rotate_token(uow, user.name, now)
    uow.record("user.enrol", user.id, {"name": user.name, "public_key": key, "at": now.isoformat()})
    return user, token


def revoke_device(uow: UnitOfWork, name: str, now: datetime) -> UserRecord:
    """End the key and the token of ``name``'s device (lost or stolen): from
    now on nothing signed with that key is accepted, and its token is
    refused. Earlier reports are untouched; the key stays in the ledger.
    The observer enrols a new device with a new code."""
    repo = UserRepository(uow.connection)
    user = repo.get(name)
    if user.role != users.Role.OBSERVER.value:
        raise ValidationError(f"{name} is {user.role}; only an observer's device is revoked", field="name")
    ended = user.public_key
    users.rotate_token(uow, name, now)  # the new token is never shown: the old one is dead
    repo.update(user.id, public_key=None)
    _expire_pending(uow, user.id, now)
    uow.record("user.revoke", user.id, {"name": name, "public_key": ended, "at": now.isoformat()})
    return repo.get(name)
