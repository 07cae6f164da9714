"""Key history (staff) and changes of a user's key or role: proposed by one
admin, approved by another; or a key replaced by its user with a request
signed by the current key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from ...domain.exceptions import ValidationError
from ...service import keys as service
from ...service.users import Principal
from ...store.keys import KeyRecord
from ...store.user_changes import ChangeRecord
from ..deps import CurrentPrincipal, Role, UowDep, require, require_staff
from ..key_schemas import ApprovalSigned, ChangeCreate, ChangeKind, ChangePublic, KeyPublic, KeyReplacement
from ..schemas import ListOf

router = APIRouter(prefix="/api/users", tags=["keys"])
Admin = Annotated[Principal, require(Role.ADMIN)]


def key_public(k: KeyRecord, name: str) -> KeyPublic:
    return KeyPublic(id=k.id, user=name, public_key=k.public_key, valid_from=k.valid_from,
                     valid_until=k.valid_until, added_by=k.added_by, reason=k.reason, change_id=k.change_id,
                     ended_by=k.ended_by, end_reason=k.end_reason)


def change_public(uow, c: ChangeRecord) -> ChangePublic:
    name = uow.users.get_by_id(c.user_id).name
    return ChangePublic(id=c.id, user=name, kind=c.kind, public_key=c.public_key, role=c.role, party=c.party_id,
                        reason=c.reason, proposed_by=c.proposed_by, proposed_at=c.proposed_at, status=c.status,
                        decided_by=c.decided_by, decided_at=c.decided_at)


@router.get("/changes", response_model=ListOf[ChangePublic], dependencies=[require_staff])
def list_changes(uow: UowDep, status: Annotated[str | None, Query(
        pattern="^(pending|approved|rejected|superseded|signed)$", description="only changes in this state")] = None,
                 ) -> ListOf[ChangePublic]:
    """Key and role changes, oldest first: who proposed, who approved."""
    changes = service.list_changes(uow, status=status)
    return ListOf[ChangePublic](data=[change_public(uow, c) for c in changes], count=len(changes))


@router.get("/{name}/keys", response_model=ListOf[KeyPublic], dependencies=[require_staff])
def key_history(name: str, uow: UowDep) -> ListOf[KeyPublic]:
    """Every signing key the user has had, oldest first, with when each was valid."""
    user, history = service.key_history(uow, name)
    return ListOf[KeyPublic](data=[key_public(k, user.name) for k in history], count=len(history))


@router.post("/{name}/changes", status_code=201, response_model=ChangePublic)
def propose(name: str, body: ChangeCreate, uow: UowDep, principal: Admin) -> ChangePublic:
    """Propose a new key or role for ``name``; it takes effect when a second admin approves it."""
    now = datetime.now(UTC)
    if body.kind is ChangeKind.KEY:
        if body.public_key is None:
            raise ValidationError("a key change gives the new public_key", field="public_key")
        change = service.propose_key(uow, name, body.public_key, principal, body.reason, now)
    else:
        if body.role is None:
            raise ValidationError("a role change gives the new role", field="role")
        change = service.propose_role(uow, name, body.role.value, body.party, principal, body.reason, now)
    out = change_public(uow, change)
    return out


@router.post("/changes/{change_id}/approve", response_model=ChangePublic)
def approve(change_id: str, uow: UowDep, principal: Admin, body: ApprovalSigned | None = None) -> ChangePublic:
    """Approve a change another admin proposed; it takes effect at once. An
    admin with a signing key sends ``signature``: theirs over the change's
    approval payload (``truce.approval/v1``, docs/ledger.md)."""
    change = service.approve(uow, change_id, principal, datetime.now(UTC),
                             signature=body.signature if body else None)
    out = change_public(uow, change)
    return out


@router.post("/changes/{change_id}/reject", response_model=ChangePublic)
def reject(change_id: str, uow: UowDep, principal: Admin) -> ChangePublic:
    """Reject a waiting change; nothing changes."""
    change = service.reject(uow, change_id, principal, datetime.now(UTC))
    out = change_public(uow, change)
    return out


@router.post("/me/key", response_model=KeyPublic)
def replace_own_key(body: KeyReplacement, uow: UowDep, principal: CurrentPrincipal) -> KeyPublic:
    """Replace your signing key with a request signed by your current key."""
    key = service.replace_key_signed(uow, principal, body.body(), datetime.now(UTC))
    return key_public(key, principal.name)
