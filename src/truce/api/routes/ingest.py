"""Text ingestion and the review queue: POST /api/ingest, /api/proposals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ...geo.naming import place_label
from ...service.bounded import Day, Offset
from ...service.review import (
    Proposal,
    accept_proposal,
    count_proposals,
    edit_and_accept,
    get_proposal,
    ingest_text,
    list_proposals,
    reject_proposal,
)
from ..deps import CurrentPrincipal, Role, UowDep, require
from ..schemas import ListOf, UtcTime

router = APIRouter(prefix="/api", tags=["ingest"], dependencies=[require(Role.ANALYST)])


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200_000)
    published: Day
    source: str = Field(min_length=1, max_length=200,
                        description="The source's id or name (`truce sources list`); an unknown one is a 422 "
                                    "unless new_source is true")
    new_source: StrictBool = Field(False, description="Add an unknown source as a new news outlet (not party-"
                                                "affiliated): a misspelt name would count as one more voice")
    language: str = "auto"


class AcceptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edits: dict[str, Any] = Field(default_factory=dict)


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


class ProposalPublic(BaseModel):
    id: str
    kind: str
    payload: dict[str, Any]
    sentence: str
    confidence: float
    source_id: str | None
    status: str
    decided_by: str | None
    decided_at: UtcTime | None
    result_id: str | None
    created_at: UtcTime
    place_label: str | None = None  # an event's place, named as every output names it


def proposal_public(p: Proposal) -> ProposalPublic:
    place = p.payload.get("place") if isinstance(p.payload.get("place"), dict) else None
    label = place_label(place.get("place_id"), place.get("name")) if place else None
    return ProposalPublic(**p.__dict__, place_label=label or None)


@router.post("/ingest", status_code=201, response_model=ListOf[ProposalPublic])
def ingest(body: IngestRequest, uow: UowDep) -> ListOf[ProposalPublic]:
    """Extract proposals from one article or statement; they wait for review."""
    ids = set(ingest_text(uow, body.text, body.published, body.source, datetime.now(UTC),
                          language=body.language, new_source=body.new_source, isolated=True))
    made = [proposal_public(p) for p in list_proposals(uow, status=None) if p.id in ids]
    return ListOf[ProposalPublic](data=made, count=len(made))


@router.get("/proposals", response_model=ListOf[ProposalPublic])
def get_proposals(uow: UowDep, status: Annotated[str, Query()] = "pending",
                  limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
                  offset: Offset = 0) -> ListOf[ProposalPublic]:
    """Proposals oldest first, a page at a time; ``count`` is how many match in all."""
    chosen = None if status == "all" else status
    found = list_proposals(uow, status=chosen, limit=limit, offset=offset)
    return ListOf[ProposalPublic](data=[proposal_public(p) for p in found], count=count_proposals(uow, chosen))


@router.post("/proposals/{proposal_id}/accept", response_model=ProposalPublic)
def accept(proposal_id: str, uow: UowDep, principal: CurrentPrincipal,
           body: AcceptRequest | None = None) -> ProposalPublic:
    """Accept (with optional edits): creates the incident, claim or report. The
    decision is recorded as the signed-in analyst's."""
    body = body or AcceptRequest()
    now = datetime.now(UTC)
    if body.edits:
        edit_and_accept(uow, proposal_id, body.edits, principal.name, now)
    else:
        accept_proposal(uow, proposal_id, principal.name, now)
    return proposal_public(get_proposal(uow, proposal_id))


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalPublic)
def reject(proposal_id: str, uow: UowDep, principal: CurrentPrincipal,
           body: RejectRequest | None = None) -> ProposalPublic:
    """Reject, with a reason; recorded as the signed-in analyst's decision."""
    body = body or RejectRequest()
    reject_proposal(uow, proposal_id, principal.name, datetime.now(UTC), body.reason)
    return proposal_public(get_proposal(uow, proposal_id))
