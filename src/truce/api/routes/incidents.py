"""Incidents: lists with filters and one incident in full.

The public, liaisons and observers see published incidents only; mission
staff (analysts, admins) see drafts and merged ones too. Statements a
liaison submitted are shown only to staff and to that party until reviewed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from ...domain.exceptions import NotFound
from ...domain.incidents import Incident
from ...service.incidents import incident_detail, list_incidents, make_filter
from ..deps import OptionalPrincipal, Principal, SettingsDep, UowDep
from ..schemas import (
    CasualtyFigurePublic,
    ClaimPublic,
    IncidentDetailPublic,
    IncidentPublic,
    ListOf,
    ReportPublic,
)

router = APIRouter(prefix="/api/incidents", tags=["incidents"])


def _staff(principal: Principal | None) -> bool:
    return principal is not None and principal.is_staff


def incident_public(i: Incident) -> IncidentPublic:
    return IncidentPublic(
        id=i.id, title=i.title, event_type=i.event_type, sub_type=i.sub_type, start=i.start,
        end=i.end, time_precision=i.time_precision.value, place_id=i.place,
        place_name=i.place_name, latitude=i.latitude, longitude=i.longitude,
        geo_precision=i.geo_precision.value, country=i.country, weapon_class=i.weapon_class.value,
        target_type=i.target_type.value, status=i.status.value,
        grade=i.effective_grade.value if i.effective_grade else None,
        grade_computed=i.grade.value if i.grade else None, grade_reasons=list(i.grade_reasons),
        grade_override_reason=i.grade_override_reason,
        location_uncertainty_m=i.location_uncertainty_m,
    )


@router.get("", response_model=ListOf[IncidentPublic])
def get_incidents(
    uow: UowDep,
    settings: SettingsDep,
    principal: OptionalPrincipal,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    type: str | None = None,
    party: str | None = None,
    place: str | None = None,
    grade: str | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ListOf[IncidentPublic]:
    filters = make_filter(start=from_, end=to, event_type=type, party=party, place=place,
                          grade=grade, published_only=not _staff(principal), limit=limit,
                          offset=offset, tz=settings.tz)
    incidents = list_incidents(uow, filters)
    filters.limit, filters.offset = None, 0
    return ListOf[IncidentPublic](data=[incident_public(i) for i in incidents],
                                  count=uow.incidents.count(filters))


@router.get("/{incident_id}", response_model=IncidentDetailPublic)
def get_incident(incident_id: str, uow: UowDep,
                 principal: OptionalPrincipal) -> IncidentDetailPublic:
    missing = NotFound(f"no incident with id {incident_id!r} that you may read", field="incident_id")
    if not uow.incidents.exists(incident_id):
        raise missing
    d = incident_detail(uow, incident_id)
    if d.incident.status.value != "published" and not _staff(principal):
        raise missing
    statuses = uow.claims.statuses([c.id for c in d.claims])
    claims = []
    for c in d.claims:
        actor = d.actors.get(c.actor)
        if statuses.get(c.id) == "submitted" and not _staff(principal) and not (
                principal is not None and actor is not None and principal.party
                and actor.party == principal.party):
            continue
        source = d.sources.get(c.source) if c.source else None
        claims.append(ClaimPublic(
            id=c.id, actor_id=c.actor, actor_name=actor.name if actor else c.actor,
            actor_party=actor.party if actor else None, stance=c.stance.value,
            proposition=c.proposition.value, value=c.value, text=c.text, source_id=c.source,
            source_name=source.name if source else None))
    reports = [ReportPublic(
        id=r.id, kind=r.kind, source_id=r.source, source_name=d.sources[r.source].name,
        source_kind=d.sources[r.source].kind.value, affiliation=d.sources[r.source].affiliation,
        received=r.received, summary=r.summary) for r in d.reports if r.source in d.sources]
    casualties = [CasualtyFigurePublic(category=f.category.value, kind=f.kind, value=f.value,
                                       qualifier=f.qualifier.value, scope=f.scope, source_id=f.source)
                  for f in d.casualties]
    return IncidentDetailPublic(incident=incident_public(d.incident), reports=reports,
                                claims=claims, casualties=casualties)
