"""Key history, and who may change a user's key or role: nobody speaks as someone else.

A user's signing keys are append-only (``store.keys``): each is valid from
when it was registered until it is replaced or revoked, and a report is
checked against the key valid when it was received, forever.

The first key is registered by one admin (``users.add_user``,
``users.set_public_key``, a first device enrolment). After that:

- the user replaces it with a request signed by the current key
  (``replace_key_signed``), or
- one admin proposes a new key, a re-enrolled device or a new role
  (``propose_key``, ``propose_role``, ``propose_enrolment``; a new admin
  once the store has two: ``users.add_user``; a new token for another
  admin once the store has two: ``issue_token``) and a second,
  different admin, whose account existed when it was proposed, approves
  it (``approve``); until then nothing changes. Either admin may reject it.

Revocation (``end_key``) is one admin's act: it only ends a key's validity,
which lets nobody speak as anyone; except for an admin who signs approvals,
whose deactivation or key revocation is proposed and approved, signed
(``propose_ending``, ``admin_endings``), as unsigned approvals would pass
without them. Each step is a ledger entry
(``user.change.propose``, ``user.change.approve``, ``user.change.reject``,
``user.key``, ``user.key.signed``, ``user.role``) besides the row entries.

>>> # change = propose_role(uow, "liaison-arm", "admin", None, alice, "joins HQ", now)
>>> # approve(uow, change.id, bob, now)   # bob != alice: applied
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..domain.exceptions import Conflict, PermissionDenied, ValidationError
from ..store.keys import KeyRecord
from ..store.uow import UnitOfWork, use_case
from ..store.user_changes import ChangeRecord
from ..store.users import UserRecord
from . import approvals, signing
from . import users as accounts
from .users import Principal, Role, check_role

__all__ = [
    "KEY_REQUEST_TYPE", "approve", "end_key", "issue_token", "key_history", "list_changes", "propose_ending",
    "propose_enrolment", "propose_key", "propose_role", "reject", "replace_key", "replace_key_signed",
]

KEY_REQUEST_TYPE = "truce.key-replacement/v1"
MAX_REASON = 2000


def key_history(uow: UnitOfWork, name: str) -> tuple[UserRecord, list[KeyRecord]]:
    """The user and every key they have had, oldest first."""
    user = uow.users.get(name)
    return user, uow.keys.history(user.id)


CHANGE_STATUSES = ("pending", "approved", "rejected", "superseded", "signed")


def list_changes(uow: UnitOfWork, *, status: str | None = None, name: str | None = None) -> list[ChangeRecord]:
    """Key and role changes, of one user if ``name``; an unknown ``status`` is an error."""
    if status is not None and status not in CHANGE_STATUSES:
        raise ValidationError(f"unknown status {status!r}; one of: {', '.join(CHANGE_STATUSES)}", field="status")
    user_id = uow.users.get(name).id if name else None
    return uow.user_changes.list(status=status, user_id=user_id)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError("say why (a reason is kept with the change)", field="reason")
    if len(text) > MAX_REASON:
        raise ValidationError(f"a reason is at most {MAX_REASON} characters", field="reason")
    return text


def _admin(principal: Principal, doing: str) -> None:
    if principal.role is not Role.ADMIN:
        raise PermissionDenied(f"{doing} needs an admin; {principal.name} is {principal.role.value}")


def replace_key(uow: UnitOfWork, user: UserRecord, public_key: str, now: datetime, *, by: str, reason: str,
                change_id: str | None) -> KeyRecord:
    """Close the user's open key at ``now`` and open ``public_key`` (the
    caller has checked who may); users.public_key follows."""
    keys = uow.keys
    current = keys.open_key(user.id)
    if current is not None:
        keys.close(current.id, now, ended_by=by, reason=f"replaced ({change_id})" if change_id else "replaced")
    added = keys.add(user.id, public_key, now, added_by=by, reason=reason, change_id=change_id)
    uow.users.update(user.id, public_key=public_key)
    uow.record("user.key", user.id, {"name": user.name, "public_key": public_key,
                                      "replaces": current.public_key if current else None,
                                      "change": change_id, "at": now.isoformat()}, at=now)
    return added


def end_key(uow: UnitOfWork, user: UserRecord, now: datetime, *, by: str, reason: str) -> KeyRecord | None:
    """End the user's open key at ``now`` (revocation); the key stays in the
    history and keeps verifying what it signed while it was valid."""
    keys = uow.keys
    current = keys.open_key(user.id)
    if current is not None:
        keys.close(current.id, now, ended_by=by, reason=reason)
    uow.users.update(user.id, public_key=None)
    return current


def _propose(uow: UnitOfWork, user: UserRecord, kind: str, proposer: Principal, reason: str, now: datetime,
             request: dict[str, Any] | None = None, **values: Any) -> ChangeRecord:
    changes = uow.user_changes
    waiting = changes.pending(user.id, kind)
    if waiting:
        raise Conflict(f"change {waiting[0].id} ({kind} of {user.name}, proposed by {waiting[0].proposed_by}) "
                       "is still waiting", field="change",
                       remedy=f"approve or reject it first (`truce users approve {waiting[0].id}` / "
                              f"`truce users reject {waiting[0].id}`)")
    change = changes.add(user.id, kind, reason=reason, proposed_by=proposer.name, at=now, status="pending",
                         request=request, **values)
    uow.record("user.change.propose", change.id, {"name": user.name, "kind": kind, "by": proposer.name,
                                                   "reason": reason, **values, "at": now.isoformat()}, at=now)
    return change


@use_case
def propose_key(uow: UnitOfWork, name: str, public_key: str, proposer: Principal, reason: str | None,
                now: datetime) -> ChangeRecord:
    """Propose a new signing key for ``name``; a second admin approves it."""
    _admin(proposer, "proposing a key")
    user = uow.users.get(name)
    key = signing.normalise_public_key(public_key)
    why = _reason(reason)
    current = uow.keys.open_key(user.id)
    if current is not None and current.public_key == key:
        raise ValidationError(f"{name} already signs with this key", field="public_key")
    return _propose(uow, user, "key", proposer, why, now, public_key=key)


def propose_ending(uow: UnitOfWork, user: UserRecord, kind: str, proposer: Principal, reason: str | None,
                   now: datetime) -> ChangeRecord:
    """Propose deactivating an admin who signs approvals (``kind``
    "deactivate"), or revoking their key ("revoke", the key named in the
    change): a second admin approves it, signed (``admin_endings``)."""
    _admin(proposer, "proposing this")
    why = _reason(reason)
    current = uow.keys.open_key(user.id)
    return _propose(uow, user, kind, proposer, why, now, public_key=current.public_key if current else None)


@use_case
def propose_role(uow: UnitOfWork, name: str, role: str, party: str | None, proposer: Principal,
                 reason: str | None, now: datetime) -> ChangeRecord:
    """Propose a new role (and party, for a liaison) for ``name``; a second admin approves it."""
    _admin(proposer, "proposing a role change")
    user = uow.users.get(name)
    role_ = check_role(uow, role, party)
    why = _reason(reason)
    if role_.value == user.role and party == user.party:
        raise ValidationError(f"{name} already is {role_.value}{' of ' + party if party else ''}", field="role")
    return _propose(uow, user, "role", proposer, why, now, role=role_.value, party_id=party)


def propose_enrolment(uow: UnitOfWork, user: UserRecord, proposer: Principal, now: datetime) -> ChangeRecord:
    """A new device for an observer who had a key: the enrolment code works
    once a second admin approves this. An earlier waiting one is superseded."""
    _admin(proposer, "re-enrolling a device")
    changes = uow.user_changes
    for old in changes.pending(user.id, "enrolment"):
        changes.decide(old.id, "superseded", proposer.name, now)
    return _propose(uow, user, "enrolment", proposer, "a new device replaces the observer's key", now)


@use_case
def issue_token(uow: UnitOfWork, name: str, now: datetime, by: Principal | None, *,
                expires_days: int | None = None, token_key: bytes | None = None,
                reason: str | None = None) -> tuple[UserRecord, str, ChangeRecord | None]:
    """Issue ``name`` a new token (shown once, to ``by``); returns the user,
    the token and, when it waits for a second admin, the change.

    ``by`` is the admin issuing it (None only in a store with no admin yet).
    A token for another admin, once the store has two, is a proposal, like a
    new admin: its token works (and the old one stops) when a second admin
    who existed then approves the change; else one admin could mint a
    second admin's token and approve their own changes as them. An admin
    replaces their own token, and any admin a non-admin's, at once."""
    accounts.require_admin(uow, by, "issuing a token", f"truce users token {name}")
    user = uow.users.get(name)
    accounts.check_expiry(expires_days)
    other_admin = user.role == Role.ADMIN.value and by is not None and by.name != user.name
    if not (other_admin and accounts.admin_needs_approval(uow)):
        user, token = accounts.rotate_token(uow, name, now, expires_days, token_key=token_key,
                                            by=by.name if by else None)
        return user, token, None
    assert by is not None
    why = _reason(reason)
    token, prefix, token_hash = accounts.new_token_hash(uow, user, token_key)
    expires = now + timedelta(days=expires_days) if expires_days else None
    # the waiting token's hash is kept in the change (never served; a users row's hash is ledgered alike)
    change = _propose(uow, user, "token", by, why, now, request={
        "token_hash": token_hash, "token_prefix": prefix,
        "token_expires_at": expires.isoformat() if expires else None})
    return user, token, change


@use_case
def approve(uow: UnitOfWork, change_id: str, approver: Principal, now: datetime, *,
            signature: str | None = None) -> ChangeRecord:
    """A second admin approves a waiting change, which then takes effect
    (a re-enrolment: its code starts to work). An approver who has a signing
    key signs the change with it (``signature``, of ``approvals.approval_payload``)."""
    _admin(approver, "approving a change")
    changes = uow.user_changes
    change = changes.get(change_id)
    if change.status != "pending":
        raise Conflict(f"change {change_id} is {change.status}, not waiting for approval", field="change")
    if approver.name == change.proposed_by:
        raise PermissionDenied(f"{approver.name} proposed {change_id}: a second, different admin must approve it",
                               remedy="ask another admin to run `truce users approve " + change_id + "`")
    users = uow.users
    if users.get(approver.name).created_at > change.proposed_at:
        raise PermissionDenied(f"{approver.name}'s account was made after {change_id} was proposed; "
                               "an admin who existed then must approve it")
    user = users.get_by_id(change.user_id)
    if change.kind == "role":
        if user.role == change.role and user.party == change.party_id:
            raise Conflict(f"{user.name} already is {change.role}", field="change")
    signed = approvals.signed_approval(uow, change, approver.id, approver.name, signature, now)
    changes.decide(change.id, "approved", approver.name, now)
    uow.record("user.change.approve", change.id, {"name": user.name, "kind": change.kind, "by": approver.name,
                                                   "proposed_by": change.proposed_by, "at": now.isoformat(),
                                                   **({"signed": signed} if signed else {})},
               at=now)
    if change.kind == "key":
        replace_key(uow, user, change.public_key or "", now, by=change.proposed_by,
                    reason=f"{change.reason} (approved by {approver.name})", change_id=change.id)
    elif change.kind == "admin":
        users.update(user.id, active=True)
        uow.record("user.admin", user.id, {"name": user.name, "change": change.id, "at": now.isoformat()},
                   at=now)
    elif change.kind == "token":
        pending = change.request or {}
        expires = pending.get("token_expires_at")
        accounts.install_token(uow, user, pending["token_hash"], pending["token_prefix"],
                               datetime.fromisoformat(expires) if expires else None, now, by=change.proposed_by,
                               change=change.id, approved_by=approver.name)
    elif change.kind == "deactivate":
        accounts.check_admins_remain(uow, user)
        accounts.end_account(uow, user, now, approver.name, change=change.id)
    elif change.kind == "revoke":
        current = uow.keys.open_key(user.id)
        if current is None or current.public_key != change.public_key:
            raise Conflict(f"{user.name}'s key valid now is not the one change {change.id} revokes", field="change",
                           remedy="reject it (`truce users reject " + change.id + "`)")
        end_key(uow, user, now, by=approver.name, reason=f"{change.reason} (approved by {approver.name})")
        uow.record("user.revoke", user.id, {"name": user.name, "public_key": current.public_key,
                                             "change": change.id, "at": now.isoformat()}, at=now)
    elif change.kind == "role":
        users.update(user.id, role=change.role, party_id=change.party_id)
        uow.record("user.role", user.id, {"name": user.name, "from": user.role, "to": change.role,
                                           "party": change.party_id, "change": change.id,
                                           "at": now.isoformat()}, at=now)
    return changes.get(change.id)


@use_case
def reject(uow: UnitOfWork, change_id: str, by: Principal, now: datetime) -> ChangeRecord:
    """An admin (the proposer too) rejects a waiting change; nothing changes."""
    _admin(by, "rejecting a change")
    changes = uow.user_changes
    change = changes.get(change_id)
    if change.status != "pending":
        raise Conflict(f"change {change_id} is {change.status}, not waiting for approval", field="change")
    changes.decide(change.id, "rejected", by.name, now)
    uow.record("user.change.reject", change.id, {"by": by.name, "at": now.isoformat()}, at=now)
    return changes.get(change.id)


def key_request(name: str, replaces: str, public_key: str, reason: str) -> dict[str, Any]:
    """The body a user signs with the current key to replace it."""
    return {"type": KEY_REQUEST_TYPE, "user": name, "replaces": replaces, "public_key": public_key,
            "reason": reason}


@use_case
def replace_key_signed(uow: UnitOfWork, principal: Principal, request: dict[str, Any],
                       now: datetime) -> KeyRecord:
    """Replace the caller's key with a request signed by the current one
    (``key_request`` plus ``signature``). A request is good once: after it,
    the key it names in ``replaces`` is no longer current."""
    if request.get("type") != KEY_REQUEST_TYPE:
        raise ValidationError(f"a key replacement request has type {KEY_REQUEST_TYPE!r}", field="type")
    if request.get("user") != principal.name:
        raise ValidationError("a signed request replaces your own key only", field="user")
    users = uow.users
    user = users.get(principal.name)
    current = uow.keys.open_key(user.id)
    if current is None:
        raise ValidationError(f"no key of {user.name} is valid now, so none can sign a replacement",
                              field="replaces", remedy="an admin re-enrols the device (two admins approve)")
    if signing.normalise_public_key(str(request.get("replaces") or "")) != current.public_key:
        raise ValidationError("the request replaces a key that is not your current one", field="replaces")
    key = signing.normalise_public_key(str(request.get("public_key") or ""))
    if key == current.public_key:
        raise ValidationError("the new key is the current one", field="public_key")
    why = _reason(request.get("reason"))
    if not signing.verify(request, current.public_key):
        raise ValidationError(f"the signature does not verify against {user.name}'s current key",
                              field="signature", remedy="sign the canonical form of the request without "
                                                        "'signature' with the current private key")
    changes = uow.user_changes
    for old in changes.pending(user.id, "key"):
        changes.decide(old.id, "superseded", user.name, now)
    change = changes.add(user.id, "key", reason=why, proposed_by=user.name, at=now, status="signed",
                         public_key=key, request=dict(request))
    uow.record("user.key.signed", change.id, {"name": user.name, "public_key": key,
                                               "replaces": current.public_key, "at": now.isoformat()}, at=now)
    return replace_key(uow, user, key, now, by=user.name, reason=why, change_id=change.id)
