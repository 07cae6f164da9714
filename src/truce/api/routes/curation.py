"""An analyst's decisions on incidents: create from reports, merge, split,
attach a claim, override a grade, publish. Analysts only; each is ledgered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ...domain.claims import Claim, Proposition, Stance
from ...domain.exceptions import ValidationError
from ...domain.grades import Grade
from ...domain.incident_input import incident_from
from ...domain.incidents import TargetType
from ...domain.precision import GeoPrecision, TimePrecision
from ...domain.taxonomy import WeaponClass
from ...service import curation
from ...service.bounded import Moment
from ...service.grading import override_grade
from ..deps import Role, UowDep, require
from ..schemas import IncidentPublic
from .incidents import incident_public

router = APIRouter(prefix="/api/incidents", tags=["incidents"],
                   dependencies=[require(Role.ANALYST)])

Id = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class IncidentCreate(_Request):
    title: Annotated[str, Field(min_length=1, max_length=500)]
    event_type: Annotated[str, Field(min_length=1, max_length=64)]
    sub_type: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    start: Moment
    end: Moment
    time_precision: TimePrecision = TimePrecision.DAY
    place_id: Id | None = None
    place_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geo_precision: GeoPrecision = GeoPrecision.SETTLEMENT
    country: Annotated[str, Field(pattern="^[A-Z]{2}$")] | None = None
    weapon_class: WeaponClass = WeaponClass.UNKNOWN
    target_type: TargetType = TargetType.UNKNOWN
    report_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)]


class MergeRequest(_Request):
    other_id: Id
    reason: Reason


class SplitRequest(_Request):
    report_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)]
    title: Annotated[str, Field(min_length=1, max_length=500)]
    claim_ids: list[Id] | None = None


class ClaimAttach(_Request):
    actor_id: Id
    source_id: Id
    stance: Stance
    proposition: Proposition = Proposition.HAPPENED
    value: Annotated[str, Field(max_length=200)] | None = None
    text: Annotated[str, Field(max_length=10_000)] | None = None


class ClaimAttached(BaseModel):
    id: str
    incident: IncidentPublic


class GradeOverride(_Request):
    grade: Grade | None = Field(description="null clears the override")
    reason: Annotated[str, Field(max_length=2000)] | None = None


def _now() -> datetime:
    return datetime.now(UTC)


@router.post("", status_code=201, response_model=IncidentPublic)
def create_incident(body: IncidentCreate, uow: UowDep) -> IncidentPublic:
    """A new draft incident built from stored reports, graded at once."""
    incident = incident_from(body.model_dump(exclude={"report_ids"}), incident_id=f"inc-{uuid.uuid4().hex[:12]}")
    if body.place_id and not uow.places.get_many([body.place_id]):
        raise ValidationError(f"unknown place {body.place_id!r}", field="place_id")
    created = curation.create_from_reports(uow, incident, list(dict.fromkeys(body.report_ids)), _now())
    return incident_public(created)


@router.post("/{incident_id}/merge", response_model=IncidentPublic)
def merge(incident_id: str, body: MergeRequest, uow: UowDep) -> IncidentPublic:
    """Fold ``other_id`` into this incident; the other stays on record as merged."""
    kept = curation.merge_incidents(uow, incident_id, body.other_id, body.reason)
    return incident_public(kept)


@router.post("/{incident_id}/split", status_code=201, response_model=IncidentPublic)
def split(incident_id: str, body: SplitRequest, uow: UowDep) -> IncidentPublic:
    """Move some reports (and claims) of this incident to a new draft incident."""
    new = curation.split_incident(uow, incident_id, list(dict.fromkeys(body.report_ids)),
                                  f"inc-{uuid.uuid4().hex[:12]}", body.title, _now(),
                                  body.claim_ids)
    return incident_public(new)


@router.post("/{incident_id}/claims", status_code=201, response_model=ClaimAttached)
def attach_claim(incident_id: str, body: ClaimAttach, uow: UowDep) -> ClaimAttached:
    """Attach an actor's claim (from a stored source) to this incident; regrades it."""
    claim = Claim(id=f"clm-{uuid.uuid4().hex[:12]}", actor=body.actor_id, stance=body.stance,
                  proposition=body.proposition, incident=incident_id, source=body.source_id,
                  value=body.value, text=body.text)
    incident = curation.attach_claim(uow, claim, _now())
    return ClaimAttached(id=claim.id, incident=incident_public(incident))


@router.put("/{incident_id}/grade", response_model=IncidentPublic)
def set_grade(incident_id: str, body: GradeOverride, uow: UowDep) -> IncidentPublic:
    """Override the computed grade with a written reason (null grade clears it)."""
    override_grade(uow, incident_id, body.grade, body.reason, _now())
    return incident_public(uow.incidents.get(incident_id))


@router.post("/{incident_id}/publish", response_model=IncidentPublic)
def publish(incident_id: str, uow: UowDep) -> IncidentPublic:
    """Make a graded draft visible to the public and the parties."""
    published = curation.publish(uow, incident_id)
    return incident_public(published)
