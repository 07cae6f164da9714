"""Users, roles and API tokens.

A token is ``truce_<prefix>_<secret>``: shown once when made, stored only as
its keyed hash under the server's token key (``truce.service.tokens``).
``prefix`` finds the row; one HMAC checks the rest. The user row is read on
every request, so deactivation, expiry, role and key changes take effect at
once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Connection

from ..domain.exceptions import Conflict, PermissionDenied, ValidationError
from ..store.uow import UnitOfWork, use_case
from ..store.users import UserRecord, UserRepository
from .signing import normalise_public_key
from .tokens import check_token, hash_token, new_token, parse_token

__all__ = [
    "AuthError", "BOOTSTRAP_ADMINS", "Principal", "Role", "STAFF", "add_user", "admin_needs_approval",
    "authenticate", "authenticate_in", "bind_token", "check_admins_remain", "check_expiry", "check_role",
    "deactivate", "end_account", "has_admin",
    "install_token", "list_users", "new_token_hash", "register_key", "require_admin", "rotate_token",
    "set_public_key",
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
    """A token that is missing, malformed, unknown, expired or revoked.

    ``prefix`` is the token's prefix when it had one (for rate limits) and
    ``wrong_secret`` says a known prefix came with the wrong secret."""

    def __init__(self, message: str, *, prefix: str | None = None, wrong_secret: bool = False):
        super().__init__(message)
        self.prefix = prefix
        self.wrong_secret = wrong_secret


MAX_TOKEN_DAYS = 3650
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$")


def _ledger_view(user: UserRecord) -> dict:
    return {"name": user.name, "role": user.role, "party": user.party,
            "public_key": user.public_key, "active": user.active,
            "token_expires_at": user.token_expires_at.isoformat() if user.token_expires_at else None}


def _key(uow: UnitOfWork, token_key: bytes | None) -> bytes:
    """``token_key``, or the key kept for the unit of work's database."""
    if token_key is not None:
        return token_key
    from ..settings import get_settings
    from .tokens import load_token_key, token_key_path

    url = uow.engine.url.render_as_string(hide_password=False)
    return load_token_key(token_key_path(url, get_settings().token_key_file))


BOOTSTRAP_ADMINS = 2
"""The first two admins of a store are each one act: until there are two,
nobody could approve a second. From then on a new admin is a proposal."""


def admin_needs_approval(uow: UnitOfWork) -> bool:
    """Whether a new admin is a proposal a second admin approves (the store
    already has ``BOOTSTRAP_ADMINS`` admins, active or not)."""
    return sum(1 for u in uow.users.list() if u.role == Role.ADMIN.value) >= BOOTSTRAP_ADMINS


def has_admin(uow: UnitOfWork) -> bool:
    """Whether the store has an admin (active or not): from then on, issuing
    a token or deactivating a user is an admin's act, proven by their token."""
    return any(u.role == Role.ADMIN.value for u in uow.users.list())


def require_admin(uow: UnitOfWork, by: Principal | None, doing: str, command: str) -> None:
    """PermissionDenied unless ``by`` is an admin; a store with no admin yet
    (bootstrap: nobody could prove to be one) lets ``by`` be None."""
    if by is None:
        if has_admin(uow):
            raise PermissionDenied(f"{doing} needs an admin's token: this store has admins",
                                   remedy=f"run `{command} --token $T` with your own admin token "
                                          "(or set TRUCE_TOKEN)")
        return
    if by.role is not Role.ADMIN:
        raise PermissionDenied(f"{doing} needs an admin; {by.name} is {by.role.value}")


@use_case
def add_user(uow: UnitOfWork, name: str, role: str, now: datetime, *, token_key: bytes | None = None,
             party: str | None = None, public_key: str | None = None,
             expires_days: int | None = None, by: Principal | None = None,
             reason: str | None = None) -> tuple[UserRecord, str]:
    """Create a user; returns it and its token (the only time the token is seen).
    ``token_key`` is the server's token key (``tokens.load_token_key``).

    An admin, once the store has two, is a proposal: ``by`` (an admin) proposes
    it with a ``reason``, the user is made inactive, and its token works once a
    second admin who existed then approves the change (``keys.approve``); the
    change is ``uow.user_changes.pending(user.id, "admin")``."""
    if not _NAME.match(name or ""):
        raise ValidationError(f"{name!r} is not a user name (letters, digits, . _ @ -)", field="name")
    role_ = check_role(uow, role, party)
    check_expiry(expires_days)
    proposal = role_ is Role.ADMIN and admin_needs_approval(uow)
    if proposal and any(u.name == name for u in uow.users.list()):
        raise Conflict(f"a user named {name!r} already exists", field="name")
    if proposal:
        if by is None or by.role is not Role.ADMIN:
            raise PermissionDenied("this store has admins: a new admin is proposed by one admin and approved "
                                   "by another", remedy=f"run `truce users add {name} --role admin --reason WHY "
                                   "--token $T` with your admin token; a second admin then runs "
                                   "`truce users approve CHANGE`")
        why = (reason or "").strip()
        if not why:
            raise ValidationError("say why this user becomes an admin (a reason is kept with the change)",
                                  field="reason")
    if role_ is Role.ADMIN and public_key and has_admin(uow):
        raise ValidationError("an admin registers their own signing key once they have their token",
                              field="public_key", remedy=f"add {name} without --public-key; then {name} runs "
                              f"`truce users key {name} --public-key FILE --token` with their own token")
    token, prefix = new_token()
    user = UserRecord(
        id=f"usr-{uuid.uuid4().hex[:16]}", name=name, role=role_.value, party=party,
        public_key=normalise_public_key(public_key) if public_key else None, active=not proposal,
        created_at=now,
        token_expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    uow.users.add(user, hash_token(token, _key(uow, token_key), user.id), prefix)
    if user.public_key:
        uow.keys.add(user.id, user.public_key, now, added_by=uow.actor or "cli",
                                          reason="registered when the user was added")
    uow.record("user.add", user.id, _ledger_view(user), at=now)
    if proposal:
        assert by is not None
        change = uow.user_changes.add(user.id, "admin", reason=why, proposed_by=by.name, at=now,
                                      status="pending", role=Role.ADMIN.value)
        uow.record("user.change.propose", change.id, {"name": user.name, "kind": "admin", "by": by.name,
                                                       "reason": why, "role": Role.ADMIN.value,
                                                       "at": now.isoformat()}, at=now)
    return user, token


def check_role(uow: UnitOfWork, role: str, party: str | None) -> Role:
    """``role`` as a Role, if it and ``party`` go together; ValidationError otherwise."""
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
    return role_


def check_expiry(expires_days: int | None) -> None:
    if expires_days is not None and not 1 <= expires_days <= MAX_TOKEN_DAYS:
        raise ValidationError(f"a token lives 1 .. {MAX_TOKEN_DAYS} days", field="expires_days")


def list_users(uow: UnitOfWork) -> list[UserRecord]:
    return uow.users.list()


@use_case
def set_public_key(uow: UnitOfWork, name: str, public_key: str, now: datetime | None = None, *,
                   reason: str = "first key registered by an admin") -> UserRecord:
    """Register the first Ed25519 key a user signs reports with. A user who
    has (or had) a key gets a new one only by a request signed with the
    current key or with two admins (``service.keys``): Conflict here."""
    repo = uow.users
    user = repo.get(name)
    key = normalise_public_key(public_key)
    keys = uow.keys
    if keys.has_history(user.id):
        raise Conflict(f"{name} already has a signing key history; one admin cannot replace a key",
                       field="public_key",
                       remedy=f"propose it (`truce users rekey {name}`, POST /api/users/{name}/changes) for a "
                              "second admin to approve, or let the user sign the request with the current key "
                              "(`truce observer rekey`, POST /api/users/me/key)")
    now = now or datetime.now(UTC)
    keys.add(user.id, key, now, added_by=uow.actor or "cli", reason=reason)
    repo.update(user.id, public_key=key)
    uow.record("user.key", user.id, {"name": name, "public_key": key, "at": now.isoformat()}, at=now)
    return repo.get(name)


@use_case
def register_key(uow: UnitOfWork, name: str, public_key: str, now: datetime, *,
                 by: Principal | None) -> tuple[UserRecord, Any]:
    """An admin (``by``; None only in a store with no admin yet) registers the
    first key of ``name`` (``set_public_key``): an admin's act, like a token.
    Returns the user and None; or, for an admin's own first key while another
    active admin signs approvals, the user unchanged and the key change
    proposed (``keys.propose_key``), which a second admin approves with a
    signed approval (``admin_keys``)."""
    require_admin(uow, by, "registering a signing key", f"truce users key {name}")
    user = uow.users.get(name)
    if user.role == Role.ADMIN.value and by is not None and by.name != name:
        raise PermissionDenied(f"an admin registers their own signing key: {by.name} cannot register {name}'s",
                               remedy=f"{name} runs `truce users key {name} --public-key FILE --token` with "
                                      "their own token (whoever registers it could sign approvals as them)")
    from . import admin_keys, keys

    signer = admin_keys.signing_admin(uow, user.id)
    if signer is not None and by is not None and not uow.keys.has_history(user.id):
        change = keys.propose_key(uow, name, public_key, by, f"{name}'s first signing key, while {signer[0]} "
                                  "signs approvals: a second admin approves it", now)
        return user, change
    return set_public_key(uow, name, public_key, now), None


@use_case
def rotate_token(uow: UnitOfWork, name: str, now: datetime, expires_days: int | None = None, *,
                 token_key: bytes | None = None, by: str | None = None) -> tuple[UserRecord, str]:
    """Replace a user's token at once; the old one stops working. The
    primitive: who may (``keys.issue_token``) is the caller's to check;
    ``by`` is who sees the new token (default: the unit of work's actor)."""
    user = uow.users.get(name)
    check_expiry(expires_days)
    token, prefix = new_token()
    expires = now + timedelta(days=expires_days) if expires_days else None
    install_token(uow, user, hash_token(token, _key(uow, token_key), user.id), prefix, expires, now, by=by)
    return uow.users.get(name), token


def new_token_hash(uow: UnitOfWork, user: UserRecord, token_key: bytes | None = None) -> tuple[str, str, str]:
    """A fresh token for ``user``, its prefix and its keyed hash bound to them (nothing stored)."""
    token, prefix = new_token()
    return token, prefix, hash_token(token, _key(uow, token_key), user.id)


def install_token(uow: UnitOfWork, user: UserRecord, token_hash: str, prefix: str, expires: datetime | None,
                  now: datetime, *, by: str | None = None, change: str | None = None,
                  approved_by: str | None = None) -> None:
    """Make ``token_hash`` the user's token. The ``user.token`` entry names
    who saw the token (``by``): `truce ledger verify` flags an approval made
    with a token its change's proposer issued (``key_audit``)."""
    uow.users.update(user.id, token_hash=token_hash, token_prefix=prefix, token_expires_at=expires)
    content = {"name": user.name, "at": now.isoformat(), "by": by or uow.actor or "cli",
               "token_expires_at": expires.isoformat() if expires else None}
    if change is not None:
        content.update(change=change, approved_by=approved_by)
    uow.record("user.token", user.id, content, at=now)


@use_case
def deactivate(uow: UnitOfWork, name: str, now: datetime, *, by: Principal | None = None,
               reason: str | None = None) -> UserRecord:
    """Stop ``name``'s token from working; ``by`` is the admin doing it (None
    only in a store with no admin yet, ``require_admin``).

    An active admin is not deactivated if that would leave fewer than
    ``BOOTSTRAP_ADMINS`` active admins: every two-admin change (a new
    admin among them) would then wait forever for a second admin, so one
    admin could lock the other out for good. Retire one of two admins by
    first making a third (proposed and approved by the two).

    An admin who holds a signing key is not deactivated at once: ``by``
    proposes it with a ``reason`` and a second admin approves it, signed
    (``admin_endings``); the user is returned unchanged and the change is
    ``uow.user_changes.pending(user.id, "deactivate")``."""
    require_admin(uow, by, "deactivating a user", f"truce users deactivate {name}")
    user = uow.users.get(name)
    check_admins_remain(uow, user)
    from . import admin_endings, keys

    signing = admin_endings.signing_key(uow, user)
    if signing is not None and by is not None and user.active:
        keys.propose_ending(uow, user, "deactivate", by, reason, now)
        return uow.users.get(name)
    return end_account(uow, user, now, by.name if by else uow.actor or "cli")


def check_admins_remain(uow: UnitOfWork, user: UserRecord) -> None:
    """Conflict if deactivating ``user`` would leave fewer than ``BOOTSTRAP_ADMINS`` active admins."""
    if user.role != Role.ADMIN.value or not user.active:
        return
    others = [u.name for u in uow.users.list() if u.role == Role.ADMIN.value and u.active and u.id != user.id]
    if len(others) < BOOTSTRAP_ADMINS:
        left = f"only {', '.join(others)}" if others else "no admin"
        raise Conflict(f"deactivating {user.name} would leave {left} active: a change that takes two admins "
                       "could never be approved again", field="name",
                       remedy=f"first add another admin (`truce users add NAME --role admin --reason WHY "
                              f"--token $T`, approved by a second admin), then deactivate {user.name}")


def end_account(uow: UnitOfWork, user: UserRecord, now: datetime, decided_by: str, *,
                change: str | None = None) -> UserRecord:
    """Deactivate ``user`` (the caller has checked who may); ``change``: the approved change behind it."""
    uow.users.update(user.id, active=False)
    for waiting in uow.user_changes.pending(user.id, "admin"):  # a deactivated admin stays so when approved
        uow.user_changes.decide(waiting.id, "superseded", decided_by, now)
    content = {"name": user.name, "by": decided_by, "at": now.isoformat()}
    if change is not None:
        content["change"] = change
    uow.record("user.deactivate", user.id, content, at=now)
    return uow.users.get(user.name)


def authenticate(connection: Connection, token: str, now: datetime, *, token_key: bytes) -> Principal:
    """The principal holding ``token``; AuthError (with the reason) otherwise.

    A token still stored under a hash not bound to its user (argon2, or
    keyed but stored before schema 0013 and not bound by it) is bound on
    its first successful use (``bind_token``: ledgered, committed at once;
    if the database is busy it is simply tried again next time)."""
    from ..store.user_changes import ChangeRepository

    def bind(user: UserRecord, old: str, new: str) -> None:
        connection.rollback()  # this read ends; the binding is written in a unit of work of its own
        _bind(connection, user, old, new, now)

    return _authenticate(UserRepository(connection), lambda: ChangeRepository(connection), token, now,
                         token_key, bind)


def authenticate_in(uow: UnitOfWork, token: str, now: datetime, *, token_key: bytes) -> Principal:
    """``authenticate`` inside a unit of work whose transaction is the caller's
    to commit (the group commit's, for a report submission): the same checks
    and answers; a token under a hash not yet bound to its user verifies but
    is bound on its next ordinary request (nothing here may commit)."""
    return _authenticate(uow.users, lambda: uow.user_changes, token, now, token_key, None)


def _authenticate(users: UserRepository, changes: Callable[[], Any], token: str, now: datetime,
                  token_key: bytes, bind: Callable[[UserRecord, str, str], None] | None) -> Principal:
    prefix = parse_token(token)
    if prefix is None:
        raise AuthError("malformed token")
    found = users.by_prefix(prefix)
    if found is None:
        raise AuthError("unknown or wrong token", prefix=prefix)
    user, stored = found
    check = check_token(token, stored, token_key, user.id)
    if not check.ok:
        raise AuthError("unknown or wrong token", prefix=prefix, wrong_secret=True)
    if check.rehash is not None and users.ledgered_token_hash(user.id) != stored:
        # a legacy hash binds nothing to the user: it counts only as truce itself wrote it for this
        # row (the ledger's image); one written around truce (SQL) would let anyone act as the user
        raise AuthError("unknown or wrong token", prefix=prefix, wrong_secret=True)
    if check.rehash is not None and bind is not None:
        bind(user, stored, check.rehash)
    if not user.active:
        waiting = changes().pending(user.id, "admin")
        if waiting:
            raise AuthError(f"this admin awaits a second admin's approval ({waiting[0].id})", prefix=prefix)
        raise AuthError("this user was deactivated", prefix=prefix)
    if user.token_expires_at is not None and user.token_expires_at <= now:
        raise AuthError("the token has expired", prefix=prefix)
    return Principal(id=user.id, name=user.name, role=Role(user.role), party=user.party,
                     public_key=user.public_key)


def _bind(connection: Connection, user: UserRecord, old: str, new: str, now: datetime) -> None:
    from ..domain.exceptions import Unavailable

    try:
        with UnitOfWork(connection.engine, actor=user.name) as uow:
            bind_token(uow, user, old, new, now)
    except Unavailable:
        pass


@use_case
def bind_token(uow: UnitOfWork, user: UserRecord, old: str, new: str, now: datetime) -> None:
    """Replace ``user``'s legacy hash ``old`` with ``new``, the same token's
    hash bound to them, if the row still holds ``old`` (a token rotated
    meanwhile keeps its new hash). ``old`` is one the ledger's newest image
    of the row holds (``_authenticate`` checks it). The ``user.token.bind``
    entry keeps ``old`` (``replaces``) and the row image beside it the
    token's prefix: `truce ledger verify` names a binding whose legacy hash
    or prefix is not the one the ledger last held for the user, or that
    follows an image already bound (``key_audit._bindings``)."""
    if uow.users.replace_token_hash(user.id, old, new):
        uow.record("user.token.bind", user.id, {"name": user.name, "at": now.isoformat(), "replaces": old},
                   at=now)
