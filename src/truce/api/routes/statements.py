"""A party's formal statements, submitted by its liaison (claims awaiting review)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from ...service.statements import (
    Statement,
    list_statements,
    publish_statement,
    read_statement,
    reject_statement,
    submit_statement,
)
from ..deps import CurrentPrincipal, Role, UowDep, require
from ..reporting_schemas import StatementCreate, StatementPublic, StatementRejection
from ..schemas import ListOf

router = APIRouter(prefix="/api/statements", tags=["statements"])

_readers = [require(Role.LIAISON, Role.ANALYST, Role.ADMIN)]


def statement_public(s: Statement) -> StatementPublic:
    return StatementPublic(id=s.id, incident_id=s.incident_id, actor_id=s.actor_id, party=s.party,
                           stance=s.stance, proposition=s.proposition, value=s.value, text=s.text,
                           status=s.status, status_words=s.status_words, created_at=s.created_at)


@router.post("", status_code=201, response_model=StatementPublic,
             dependencies=[require(Role.LIAISON)])
def submit(body: StatementCreate, uow: UowDep, principal: CurrentPrincipal,
           response: Response) -> StatementPublic:
    """Submit your party's statement about a published incident. With a
    client-made ``id``, a retry gets the same answer and stores nothing."""
    statement, new = submit_statement(
        uow, principal, incident_id=body.incident_id, actor_id=body.actor_id, stance=body.stance,
        proposition=body.proposition, value=body.value, text=body.text, now=datetime.now(UTC),
        statement_id=str(body.id) if body.id else None)
    if not new:
        response.headers["Idempotent-Replayed"] = "true"
    return statement_public(statement)


@router.get("", response_model=ListOf[StatementPublic], dependencies=_readers)
def get_statements(uow: UowDep, principal: CurrentPrincipal) -> ListOf[StatementPublic]:
    """Your party's statements and other parties' published ones (staff: all)."""
    rows = list_statements(uow, principal)
    return ListOf[StatementPublic](data=[statement_public(s) for s in rows], count=len(rows))


@router.get("/{statement_id}", response_model=StatementPublic, dependencies=_readers)
def get_statement(statement_id: str, uow: UowDep, principal: CurrentPrincipal) -> StatementPublic:
    return statement_public(read_statement(uow, principal, statement_id))


@router.post("/{statement_id}/publish", response_model=StatementPublic,
             dependencies=[require(Role.ANALYST)])
def publish(statement_id: str, uow: UowDep, principal: CurrentPrincipal) -> StatementPublic:
    """Accept a submitted statement: it is published and counts towards the incident's grade."""
    statement = publish_statement(uow, principal, statement_id)
    return statement_public(statement)


@router.post("/{statement_id}/reject", response_model=StatementPublic,
             dependencies=[require(Role.ANALYST)])
def reject(statement_id: str, body: StatementRejection, uow: UowDep,
           principal: CurrentPrincipal) -> StatementPublic:
    """Refuse a submitted statement, with the reason: it never counts or appears
    in public; staff and its party see it as "rejected by an analyst (reason)"."""
    statement = reject_statement(uow, principal, statement_id, body.reason)
    return statement_public(statement)
