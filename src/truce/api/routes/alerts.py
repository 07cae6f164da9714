"""Alerts: mission staff list them; analysts acknowledge them with a note."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ...service.alerts import acknowledge_alert, list_alerts
from ...store.monitoring import StoredAlert
from ..deps import CurrentPrincipal, Role, UowDep, require, require_staff

router = APIRouter(prefix="/api/alerts", tags=["alerts"], dependencies=[require_staff])


class AlertPublic(BaseModel):
    id: str
    kind: str
    raised_at: datetime
    message: str
    incident_ids: list[str]
    agreement_id: str | None
    sector: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str | None


class AlertList(BaseModel):
    data: list[AlertPublic]
    count: int


class AckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=5000)


def alert_public(s: StoredAlert) -> AlertPublic:
    a = s.alert
    return AlertPublic(id=a.id, kind=a.kind.value, raised_at=a.raised_at, message=a.message,
                       incident_ids=list(a.incident_ids), agreement_id=a.agreement,
                       sector=a.sector, acknowledged_at=s.acknowledged_at,
                       acknowledged_by=s.acknowledged_by, note=s.note)


@router.get("", response_model=AlertList)
def get_alerts(uow: UowDep, unacknowledged: bool = False, kind: str | None = None) -> AlertList:
    found = list_alerts(uow, unacknowledged=unacknowledged, kind=kind)
    return AlertList(data=[alert_public(s) for s in found], count=len(found))


@router.post("/{alert_id}/ack", response_model=AlertPublic,
             dependencies=[require(Role.ANALYST)])
def ack_alert(alert_id: str, body: AckBody, uow: UowDep, principal: CurrentPrincipal) -> AlertPublic:
    stored = acknowledge_alert(uow, alert_id, body.note, principal.name, datetime.now(UTC))
    uow.commit()
    return alert_public(stored)
