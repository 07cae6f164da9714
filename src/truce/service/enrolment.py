"""Enrolling an observer's device, and revoking a lost one.

An admin asks for a one-time code (``create_enrolment``): short-lived,
typed or scanned on the device, kept only as its SHA-256. The device makes
its own Ed25519 key pair and sends the public half with the code
(``enrol_device``); the key is registered to the observer and a new API
token is issued to the device, shown once. The private key never leaves
the device.

``revoke_device`` ends the device's key and token at once: nothing can be
signed or sent with them from then on. Reports received earlier keep their
signatures, and the key they verify against stays in the key history
(``user_keys``, valid until the revocation) and in the ledger.

An observer who had a key before (a lost device, a second device) gets a
new one only with two admins: the code one admin asks for works once a
second admin approves the enrolment (``service.keys.approve``); otherwise
one admin could enrol a device of their own and speak as the observer.

>>> # code, expires = create_enrolment(uow, "obs-north-1", now, valid_minutes=30)
>>> # user, token = enrol_device(uow, code, public_key_b64, now)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from ..domain.exceptions import ValidationError
from ..store.uow import UnitOfWork, use_case
from ..store.users import UserRecord
from . import admin_endings, keys, users
from .signing import normalise_public_key

__all__ = [
    "CODE_ALPHABET", "DEFAULT_VALID_MINUTES", "create_enrolment", "enrol_device", "normalise_code",
    "pending_enrolment", "revoke_device",
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


@use_case
def create_enrolment(uow: UnitOfWork, name: str, now: datetime, *,
                     valid_minutes: int = DEFAULT_VALID_MINUTES,
                     by: users.Principal | None = None) -> tuple[UserRecord, str, datetime]:
    """A one-time code for observer ``name`` (created if new); returns the
    user, the code as ``XXXX-XXXX-XXXX`` and when it stops working. Codes
    issued earlier and not yet used stop working. For an observer who had a
    key, ``by`` (the admin asking) proposes the re-enrolment and the code
    works once a second admin approves it (``pending_enrolment`` names the
    change). ``by`` is None only in a store with no admin yet
    (``users.require_admin``): asking for a code is an admin's act."""
    users.require_admin(uow, by, "asking for an enrolment code", f"truce users enrol {name}")
    if not 1 <= valid_minutes <= MAX_VALID_MINUTES:
        raise ValidationError(f"a code is valid for 1 to {MAX_VALID_MINUTES} minutes, not {valid_minutes}",
                              field="valid_minutes")
    repo = uow.users
    user = repo.find(name)
    if user is None:
        user, _unused_token = users.add_user(uow, name, users.Role.OBSERVER.value, now)
    elif user.role != users.Role.OBSERVER.value:
        raise ValidationError(f"{name} is {user.role}; only observers enrol a field device", field="name")
    elif not user.active:
        raise ValidationError(f"{name} was deactivated", field="name")
    change_id = None
    if uow.keys.has_history(user.id):
        if by is None:
            raise ValidationError(f"{name} had a device key before: a new device needs a second admin's approval",
                                  field="name", remedy="ask for the code with your admin token (--token or "
                                                       "TRUCE_TOKEN; POST /api/users/NAME/enrolment)")
        change_id = keys.propose_enrolment(uow, user, by, now).id
    uow.enrolments.expire_unused(user.id, now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))
    expires = now + timedelta(minutes=valid_minutes)
    uow.enrolments.add(_hash(code), user.id, now, expires, change_id)
    uow.record("user.enrolment", user.id, {"name": name, "expires_at": expires.isoformat(), "change": change_id})
    return user, code, expires


@use_case
def enrol_device(uow: UnitOfWork, code: str, public_key: str, now: datetime) -> tuple[UserRecord, str]:
    """Register the device's public key with a valid code; returns the user
    and its new API token (shown once). The code cannot be used again."""
    row = uow.enrolments.find(_hash(code))
    if row is None:
        raise ValidationError("unknown enrolment code", field="code",
                              remedy="check it for typos, or ask an admin for a new one")
    if row.used_at is not None:
        raise ValidationError("this enrolment code was already used", field="code",
                              remedy="ask an admin for a new one (`truce users enrol NAME`)")
    if row.expires_at <= now:
        raise ValidationError(f"this enrolment code expired at {row.expires_at.isoformat()}",
                              field="code", remedy="ask an admin for a new one (`truce users enrol NAME`)")
    key = normalise_public_key(public_key)
    repo = uow.users
    user = repo.get_by_id(row.user_id)
    if not user.active:
        raise ValidationError(f"{user.name} was deactivated", field="code")
    if uow.keys.has_history(user.id):
        change = _approved_change(uow, row.change_id)
        uow.enrolments.use(row.code_hash, now)
        keys.replace_key(uow, user, key, now, by=change.proposed_by, change_id=change.id,
                         reason=f"device enrolled (approved by {change.decided_by})")
    else:
        uow.enrolments.use(row.code_hash, now)
        users.set_public_key(uow, user.name, key, now, reason="device enrolled")
    user, token = users.rotate_token(uow, user.name, now)
    uow.record("user.enrol", user.id, {"name": user.name, "public_key": key, "at": now.isoformat()})
    return user, token


def pending_enrolment(uow: UnitOfWork, user_id: str):
    """The re-enrolment of ``user_id`` waiting for a second admin, if any."""
    waiting = uow.user_changes.pending(user_id, "enrolment")
    return waiting[-1] if waiting else None


def _approved_change(uow: UnitOfWork, change_id: str | None):
    if change_id is None:
        raise ValidationError("this code does not carry a second admin's approval, which a new device of an "
                              "observer who had a key needs", field="code",
                              remedy="ask an admin for a new code; a second admin approves it")
    change = uow.user_changes.get(change_id)
    if change.status == "pending":
        raise ValidationError(f"this code waits for a second admin to approve change {change.id}", field="code",
                              remedy=f"ask another admin than {change.proposed_by}: `truce users approve {change.id}`")
    if change.status != "approved":
        raise ValidationError(f"change {change.id} behind this code was {change.status}", field="code",
                              remedy="ask an admin for a new code")
    return change


@use_case
def revoke_device(uow: UnitOfWork, name: str, now: datetime, *, by: users.Principal | None,
                  reason: str | None = None) -> UserRecord:
    """End the key and the token of ``name``'s device (lost or stolen): from
    now on nothing signed with that key is accepted, and its token is
    refused. Earlier reports are untouched; the key stays in the ledger.
    The observer enrols a new device with a new code. ``by`` is the admin
    revoking it (None only in a store with no admin yet).

    An admin's signing key is revoked by a change: ``by`` proposes it with a
    ``reason`` and a second admin approves it, signed (``admin_endings``);
    only the key ends, and the change is
    ``uow.user_changes.pending(user.id, "revoke")``."""
    users.require_admin(uow, by, "revoking a device", f"truce users revoke {name}")
    repo = uow.users
    user = repo.get(name)
    if user.role == users.Role.ADMIN.value and by is not None:
        if admin_endings.signing_key(uow, user) is None:
            raise ValidationError(f"{name} has no signing key to revoke")
        keys.propose_ending(uow, user, "revoke", by, reason, now)
        return repo.get(name)
    if user.role != users.Role.OBSERVER.value:
        raise ValidationError(f"{name} is {user.role}; only an observer's device is revoked", field="name")
    ended = user.public_key
    users.rotate_token(uow, name, now)  # the new token is never shown: the old one is dead
    keys.end_key(uow, user, now, by=by.name if by else uow.actor or "cli", reason="device revoked")
    uow.enrolments.expire_unused(user.id, now)
    uow.record("user.revoke", user.id, {"name": name, "public_key": ended, "at": now.isoformat()})
    return repo.get(name)
