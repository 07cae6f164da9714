"""Alerts: mission staff list them; analysts acknowledge them with a note."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ...service.alerts import AlertView, acknowledge_alert, alert_fields, alert_views, list_alerts
from ...service.labels import local_time
from ..deps import CurrentPrincipal, Role, UowDep, require, require_staff
from ..schemas import UtcTime

router = APIRouter(prefix="/api/alerts", tags=["alerts"], dependencies=[require_staff])


class AlertIncidentPublic(BaseModel):
    id: str
    title: str
    start: UtcTime
    start_local: str = Field(description="The incident's start in the theatre's time zone.")
    grade: str | None
    place: str | None


class AlertPublic(BaseModel):
    id: str
    kind: str
    event_at: UtcTime = Field(description="The time of what the alert concerns.")
    event_local: str = Field(description="event_at in the theatre's time zone, for people.")
    raised_at: UtcTime
    raised_local: str
    message: str
    incident_ids: list[str]
    agreement_id: str | None
    sector: str | None = Field(description="The sector as the theatre's naming setting names it, "
                               "both parties' names (e.g. 'Varanda / Fuzuli').")
    sector_key: str | None = Field(None, description="The sector of the line as stored and filtered on.")
    acknowledged_at: UtcTime | None
    acknowledged_by: str | None
    note: str | None
    incidents: list[AlertIncidentPublic] = Field(
        description="Title, date, grade and place of each incident that raised it.")


class AlertList(BaseModel):
    data: list[AlertPublic]
    count: int


class AckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=5000)


def alert_public(view: AlertView) -> AlertPublic:
    a = view.alert
    return AlertPublic(**alert_fields(view.stored), event_local=local_time(a.when),
                       raised_local=local_time(a.raised_at),
                       incidents=[AlertIncidentPublic(id=i.id, title=i.title, start=i.start,
                                                      start_local=local_time(i.start),
                                                      grade=i.grade, place=i.place)
                                  for i in view.incidents])


@router.get("", response_model=AlertList)
def get_alerts(uow: UowDep, unacknowledged: bool = False, kind: str | None = None) -> AlertList:
    found = list_alerts(uow, unacknowledged=unacknowledged, kind=kind)
    return AlertList(data=[alert_public(v) for v in alert_views(uow, found)], count=len(found))


@router.post("/{alert_id}/ack", response_model=AlertPublic,
             dependencies=[require(Role.ANALYST)])
def ack_alert(alert_id: str, body: AckBody, uow: UowDep, principal: CurrentPrincipal) -> AlertPublic:
    stored = acknowledge_alert(uow, alert_id, body.note, principal.name, datetime.now(UTC))
    return alert_public(alert_views(uow, [stored])[0])
