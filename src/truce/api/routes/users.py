"""Users, roles, keys and tokens (admin), and who am I (anyone with a token)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from ...service import users as service
from ...store.users import UserRecord
from ..deps import CurrentPrincipal, Role, TokenKeyDep, UowDep, require
from ..reporting_schemas import (
    Me,
    UserChanged,
    UserCreate,
    UserCreated,
    UserEnding,
    UserKey,
    UserKeyRegistered,
    UserPublic,
    UserTokenRequest,
)
from ..schemas import ListOf

router = APIRouter(prefix="/api/users", tags=["users"])
admin = [require(Role.ADMIN)]


def user_public(u: UserRecord) -> UserPublic:
    return UserPublic(id=u.id, name=u.name, role=u.role, party=u.party, public_key=u.public_key,
                      active=u.active, created_at=u.created_at, token_expires_at=u.token_expires_at)


@router.get("/me", response_model=Me)
def me(principal: CurrentPrincipal) -> Me:
    """The user behind the token: name, role, party."""
    return Me(id=principal.id, name=principal.name, role=principal.role.value,
              party=principal.party, has_signing_key=principal.public_key is not None,
              public_key=principal.public_key)


@router.post("", status_code=201, response_model=UserCreated,
             dependencies=admin)
def add_user(body: UserCreate, uow: UowDep, token_key: TokenKeyDep, principal: CurrentPrincipal) -> UserCreated:
    """Create a user; the response holds its token, which is never shown again.
    An admin, once the store has two, is a proposal (give a ``reason``): the
    user is made inactive and ``change`` names what a second admin approves
    (``POST /api/users/changes/{id}/approve``) before its token works."""
    user, token = service.add_user(uow, body.name, body.role.value, datetime.now(UTC),
                                   token_key=token_key, party=body.party, public_key=body.public_key,
                                   expires_days=body.expires_days, by=principal, reason=body.reason)
    waiting = None if user.active else uow.user_changes.pending(user.id, "admin")[0].id
    return UserCreated(user=user_public(user), token=token, change=waiting)


@router.get("", response_model=ListOf[UserPublic], dependencies=admin)
def list_users(uow: UowDep) -> ListOf[UserPublic]:
    users = service.list_users(uow)
    return ListOf[UserPublic](data=[user_public(u) for u in users], count=len(users))


@router.put("/{name}/key", response_model=UserKeyRegistered, dependencies=admin)
def set_key(name: str, body: UserKey, uow: UowDep, principal: CurrentPrincipal,
            response: Response) -> UserKeyRegistered:
    """Register the first Ed25519 public key a user signs reports with (a later one: a change).
    An admin's own first key, once another admin signs approvals, is a
    proposal (202): ``change`` names what a second admin approves, with a
    signed approval (``POST /api/users/changes/{id}/approve``)."""
    user, waiting = service.register_key(uow, name, body.public_key, datetime.now(UTC), by=principal)
    if waiting is not None:
        response.status_code = 202
    return UserKeyRegistered(**user_public(user).model_dump(), change=waiting.id if waiting else None)


@router.post("/{name}/token", status_code=201, response_model=UserCreated,
             dependencies=admin)
def rotate_token(name: str, uow: UowDep, token_key: TokenKeyDep, principal: CurrentPrincipal,
                 body: UserTokenRequest | None = None) -> UserCreated:
    """Issue a new token (shown once); the old one stops working. A token for
    another admin, once the store has two, is a proposal (give a ``reason``):
    ``change`` names what a second admin approves
    (``POST /api/users/changes/{id}/approve``) before it works."""
    from ...service.keys import issue_token

    user, token, waiting = issue_token(uow, name, datetime.now(UTC), principal,
                                       expires_days=body.expires_days if body else None, token_key=token_key,
                                       reason=body.reason if body else None)
    return UserCreated(user=user_public(user), token=token, change=waiting.id if waiting else None)


@router.post("/{name}/deactivate", response_model=UserChanged, dependencies=admin)
def deactivate(name: str, uow: UowDep, principal: CurrentPrincipal, response: Response,
               body: UserEnding | None = None) -> UserChanged:
    """Stop a user's token from working. Nothing they wrote is changed. An
    admin who signs approvals is a proposal (202, give a ``reason``):
    ``change`` names what a second admin approves, signed."""
    user = service.deactivate(uow, name, datetime.now(UTC), by=principal, reason=body.reason if body else None)
    return changed(uow, user, "deactivate", response)


def changed(uow: UowDep, user: UserRecord, kind: str, response: Response) -> UserChanged:
    """The user, and the change of ``kind`` waiting for a second admin, if any (then 202)."""
    waiting = uow.user_changes.pending(user.id, kind)
    if waiting:
        response.status_code = 202
    return UserChanged(**user_public(user).model_dump(), change=waiting[-1].id if waiting else None)
