"""The analyst's desk for observer reports: /api/review/reports (analysts only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ...service.labels import local_time, uncertainty
from ...service.report_review import (
    QueuedReport,
    attach_reports,
    dismiss_reports,
    incident_from_reports,
    queued_reports,
)
from ..deps import CurrentPrincipal, Role, UowDep, require
from ..schemas import IncidentPublic, ListOf, UtcTime
from .incidents import incident_public

router = APIRouter(prefix="/api/review/reports", tags=["review"],
                   dependencies=[require(Role.ANALYST)])

Id = Annotated[str, Field(min_length=1, max_length=64)]
ReportIds = Annotated[list[Id], Field(min_length=1, max_length=1000)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FromReports(_Request):
    report_ids: ReportIds
    title: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    event_type: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    sub_type: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    weapon_class: Annotated[str, Field(min_length=1, max_length=32)] | None = None


class Attach(_Request):
    incident_id: Id
    report_ids: ReportIds


class Dismiss(_Request):
    report_ids: ReportIds
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class SuggestionPublic(BaseModel):
    incident_id: str
    title: str
    distance_m: float | None
    reason: str


class QueuedReportPublic(BaseModel):
    id: str
    kind: str
    observed_at: UtcTime | None
    received: UtcTime
    observed_local: str = Field(description="When it was observed (else received), in the theatre's time zone")
    summary: str
    observer_id: str | None
    observer_name: str | None = Field(default=None, description="The observer's user name")
    observer: str = Field(default="", description='Who filed it, for people: "name (id)"')
    observer_position: dict[str, Any] | None
    estimated_target: dict[str, Any] | None = Field(
        description="latitude, longitude, uncertainty_m and its label (±565 m); from_bearing false: the "
                    "observer's position")
    observations: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    restriction: dict[str, Any] | None
    suggestions: list[SuggestionPublic]
    status: str = Field(description='"waiting", or the tasks it answered ("answered task T of case C")')
    answers: list[dict[str, Any]] = Field(default_factory=list,
                                          description="The observer tasks it answered: task_id, title, case_id")


class IncidentFromReportsPublic(BaseModel):
    incident: IncidentPublic
    sector: str | None


def queued_public(q: QueuedReport) -> QueuedReportPublic:
    r, e = q.report, q.estimate
    return QueuedReportPublic(
        id=r.id, kind=r.kind, observed_at=r.observed_at, received=r.received,
        observed_local=local_time(r.observed_at or r.received), summary=r.summary,
        observer_id=r.observer, observer_name=q.observer_name, observer=q.observer_label,
        observer_position=q.observer_position,
        estimated_target=None if e is None else {
            "latitude": e.latitude, "longitude": e.longitude, "uncertainty_m": e.uncertainty_m,
            "uncertainty": uncertainty(e.uncertainty_m), "from_bearing": e.from_bearing},
        observations=q.observations, evidence=q.evidence, restriction=q.restriction,
        suggestions=[SuggestionPublic(**s.__dict__) for s in q.suggestions], status=q.status,
        answers=q.answers)


def _with_sector(uow: UowDep, incident) -> IncidentFromReportsPublic:
    facts = uow.monitoring.geo([incident.id]).get(incident.id)
    return IncidentFromReportsPublic(incident=incident_public(incident),
                                     sector=facts.sector if facts else None)


@router.get("", response_model=ListOf[QueuedReportPublic])
def get_queue(uow: UowDep) -> ListOf[QueuedReportPublic]:
    """Observer reports in no incident and not yet decided, with suggested incidents."""
    found = [queued_public(q) for q in queued_reports(uow)]
    return ListOf[QueuedReportPublic](data=found, count=len(found))


@router.post("/incident", status_code=201, response_model=IncidentFromReportsPublic)
def make_incident(body: FromReports, uow: UowDep,
                  principal: CurrentPrincipal) -> IncidentFromReportsPublic:
    """A new draft incident from observer reports, at the estimated target."""
    created = incident_from_reports(uow, list(body.report_ids), datetime.now(UTC),
                                    by=principal.name, title=body.title,
                                    event_type=body.event_type, sub_type=body.sub_type,
                                    weapon_class=body.weapon_class)
    return _with_sector(uow, created)


@router.post("/attach", response_model=IncidentFromReportsPublic)
def attach(body: Attach, uow: UowDep, principal: CurrentPrincipal) -> IncidentFromReportsPublic:
    """Add observer reports to an incident on record."""
    incident = attach_reports(uow, body.incident_id, list(body.report_ids), datetime.now(UTC),
                              by=principal.name)
    return _with_sector(uow, incident)


@router.post("/dismiss", status_code=204)
def dismiss(body: Dismiss, uow: UowDep, principal: CurrentPrincipal) -> None:
    """Mark observer reports "no incident", with the reason."""
    dismiss_reports(uow, list(body.report_ids), body.reason, datetime.now(UTC), by=principal.name)
