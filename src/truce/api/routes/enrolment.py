"""Enrolling a field device with a one-time code; revoking a lost one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response

from ...domain.exceptions import ValidationError
from ...service import enrolment as service
from ...service.users import Principal
from ..deps import Role, UowDep, require
from ..field_schemas import Enrolled, EnrolmentCode, EnrolmentCreate, EnrolRequest
from ..reporting_schemas import UserChanged, UserEnding
from .users import changed

router = APIRouter(tags=["enrolment"])


@router.post("/api/users/{name}/enrolment", status_code=201, response_model=EnrolmentCode)
def create_enrolment(name: str, uow: UowDep, request: Request, principal: Annotated[Principal, require(Role.ADMIN)],
                     body: EnrolmentCreate | None = None) -> EnrolmentCode:
    """A one-time enrolment code for observer ``name`` (created if new),
    valid for ``valid_minutes``; shown once. For an observer who had a key,
    the code works once a second admin approves ``approval``."""
    user, code, expires = service.create_enrolment(uow, name, datetime.now(UTC), by=principal,
                                                   valid_minutes=(body or EnrolmentCreate()).valid_minutes)
    waiting = service.pending_enrolment(uow, user.id)
    server = request.app.state.settings.public_url or str(request.base_url).rstrip("/")
    url = f"{server}/field/#enrol={code}"
    return EnrolmentCode(name=user.name, code=code, expires_at=expires, url=url,
                         approval=waiting.id if waiting else None)


@router.post("/api/enrol", status_code=201, response_model=Enrolled)
def enrol(body: EnrolRequest, uow: UowDep, request: Request) -> Enrolled:
    """A device registers its public key with a one-time code and receives
    its API token (shown once). No token needed: the code is the credential."""
    try:
        user, token = service.enrol_device(uow, body.code, body.public_key, datetime.now(UTC))
    except ValidationError as exc:
        if exc.field == "code":  # a guess at a code counts like a wrong token (429 past the limit)
            client = request.client.host if request.client else "unknown"
            request.app.state.auth_throttle.failed(client, None, False, checked="enrolment code")
        raise
    return Enrolled(name=user.name, role=user.role, token=token)


@router.post("/api/users/{name}/revoke", response_model=UserChanged)
def revoke(name: str, uow: UowDep, principal: Annotated[Principal, require(Role.ADMIN)], response: Response,
           body: UserEnding | None = None) -> UserChanged:
    """End the key and token of an observer's lost device; earlier reports stay.
    An admin's signing key is revoked by a proposal (202, give a ``reason``):
    ``change`` names what a second admin approves, signed."""
    user = service.revoke_device(uow, name, datetime.now(UTC), by=principal, reason=body.reason if body else None)
    return changed(uow, user, "revoke", response)
