"""Incidents: lists with filters and one incident in full.

The public, liaisons and observers see published incidents only; mission
staff (analysts, admins) see drafts and merged ones too. Statements a
liaison submitted are shown only to staff and to that party until reviewed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...domain.incidents import Incident
from ...geo.incident_place import where_fields
from ...service.bounded import Day, Offset
from ...service.exchange import incidents_actor_columns
from ...service.incidents import incident_detail, list_incidents, make_filter
from ...store.visibility import Visibility
from ..deps import OptionalPrincipal, SettingsDep, UowDep
from ..schemas import (
    CasualtyFigurePublic,
    ClaimPublic,
    IncidentDetailPublic,
    IncidentPublic,
    ListOf,
    ReportPublic,
)

router = APIRouter(prefix="/api/incidents", tags=["incidents"])


def incident_public(i: Incident, actors: dict[str, str] | None = None) -> IncidentPublic:
    """``actors``: its actor columns (``exchange.incidents_actor_columns``), as every output names them."""
    actors = actors or {}
    return IncidentPublic(
        actor1=actors.get("actor1") or None, actor2=actors.get("actor2") or None,
        id=i.id, title=i.title, event_type=i.event_type, sub_type=i.sub_type, start=i.start,
        end=i.end, time_precision=i.time_precision.value, place_id=i.place,
        place_name=i.place_name, latitude=i.latitude, longitude=i.longitude,
        geo_precision=i.geo_precision.value, country=i.country, weapon_class=i.weapon_class.value,
        target_type=i.target_type.value, status=i.status.value,
        grade=i.effective_grade.value if i.effective_grade else None,
        grade_computed=i.grade.value if i.grade else None, grade_reasons=list(i.grade_reasons),
        grade_override_reason=i.grade_override_reason, **where_fields(i),
    )


def _name(d, source_id: str | None) -> str | None:
    if source_id is None:
        return None
    source = d.sources.get(source_id)
    return source.name if source else source_id


@router.get("", response_model=ListOf[IncidentPublic])
def get_incidents(
    uow: UowDep,
    settings: SettingsDep,
    principal: OptionalPrincipal,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
    type: str | None = None,
    party: str | None = None,
    place: str | None = None,
    grade: str | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Offset = 0,
) -> ListOf[IncidentPublic]:
    filters = make_filter(start=from_, end=to, event_type=type, party=party, place=place,
                          grade=grade, seen_by=Visibility.of(principal), limit=limit,
                          offset=offset, tz=settings.tz)
    incidents = list_incidents(uow, filters)
    filters.limit, filters.offset = None, 0
    actors = incidents_actor_columns(uow, incidents)
    return ListOf[IncidentPublic](data=[incident_public(i, actors[i.id]) for i in incidents],
                                  count=uow.incidents.count(filters))


@router.get("/{incident_id}", response_model=IncidentDetailPublic)
def get_incident(incident_id: str, uow: UowDep,
                 principal: OptionalPrincipal) -> IncidentDetailPublic:
    d = incident_detail(uow, incident_id, Visibility.of(principal))
    claims = []
    for c in d.claims:
        actor = d.actors.get(c.actor)
        source = d.sources.get(c.source) if c.source else None
        claims.append(ClaimPublic(
            id=c.id, actor_id=c.actor, actor_name=actor.name if actor else c.actor,
            actor_party=actor.party if actor else None, stance=c.stance.value,
            proposition=c.proposition.value, value=c.value, text=c.text, source_id=c.source,
            source_name=source.name if source else None, status=c.status.value,
            status_words=c.status.describe(c.status_reason, _name(d, c.refuted_by))))
    reports = [ReportPublic(
        id=r.id, kind=r.kind, source_id=r.source, source_name=d.sources[r.source].name,
        source_kind=d.sources[r.source].kind.value, affiliation=d.sources[r.source].affiliation,
        received=r.received, summary=r.summary) for r in d.reports if r.source in d.sources]
    casualties = [CasualtyFigurePublic(category=f.category.value, kind=f.kind, value=f.value,
                                       qualifier=f.qualifier.value, scope=f.scope, source_id=f.source)
                  for f in d.casualties]
    actors = incidents_actor_columns(uow, [d.incident], {d.incident.id: d.reports})[d.incident.id]
    return IncidentDetailPublic(incident=incident_public(d.incident, actors), reports=reports,
                                claims=claims, casualties=casualties)
