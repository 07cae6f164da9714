"""Raise escalation alerts from stored violations and facts; list and acknowledge them.

Rules live in ``truce.domain.escalation``; thresholds in
``truce/data/monitoring.toml``. Every alert raised and every
acknowledgement is ledgered; each new alert is queued for every active
webhook in the same transaction, so none is lost if delivery fails later.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..domain.agreements import Agreement
from ..domain.alerts import Alert, AlertKind
from ..domain.casualties import casualty_ranges
from ..domain.escalation import Signal, escalation_alerts
from ..domain.exceptions import Conflict, ValidationError
from ..domain.grades import Grade
from ..domain.incidents import CasualtyCategory, Incident, Status
from ..domain.violations import GeoFacts, is_hostile
from ..geo.naming import place_label, sector_label
from ..settings import get_settings
from ..store.monitoring import StoredAlert
from ..store.uow import UnitOfWork, use_case
from .case_board import overdue_alerts
from .monitoring_config import get_monitoring_config
from .records import plain
from .violations import incident_pages, local_day
from .webhooks import enqueue_alert

__all__ = [
    "AlertIncident", "AlertView", "acknowledge_alert", "alert_views", "alerts_of_day",
    "list_alerts", "raise_alerts", "signals_for",
]


def _period_days(agreement: Agreement, now: datetime) -> list[date]:
    tz = get_settings().tz
    first = local_day(agreement.start, tz)
    end = agreement.end if agreement.end is not None and agreement.end < now else now
    last = local_day(end, tz)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def signals_for(uow: UnitOfWork, agreement: Agreement) -> list[Signal]:
    """One escalation signal per published, not discounted incident begun in force."""
    tz = get_settings().tz
    store = uow.monitoring
    violating = {v.incident for v, _, _ in store.violations(agreement.id)}
    found: list[Signal] = []
    for page in incident_pages(uow, agreement):
        page = [i for i in page if i.status is Status.PUBLISHED and agreement.in_force(i.start)
                and i.effective_grade is not Grade.DISCOUNTED]
        ids = [i.id for i in page]
        geo = store.geo(ids)
        figures = uow.incidents.casualties(ids)
        observed = _observed_by_mission(uow, ids)
        for incident in page:
            facts = geo.get(incident.id, GeoFacts())
            killed, injured = _civilians(figures[incident.id])
            found.append(Signal(
                incident=incident.id, start=incident.start, day=local_day(incident.start, tz),
                weapon_class=incident.weapon_class.value, strike=_is_strike(incident),
                violation=incident.id in violating, sector=facts.sector,
                sovereign_country=facts.sovereign_country,
                in_disputed_region=facts.in_disputed_region,
                distance_to_line_m=facts.distance_to_line_m, side=facts.side,
                civilians_killed=killed, civilians_injured=injured,
                endangers_observers=is_hostile(incident) and incident.id in observed,
            ))
    return found


def _is_strike(incident: Incident) -> bool:
    return incident.event_type == "Explosions/Remote violence"


def _civilians(figures: list) -> tuple[int, int]:
    ranges = casualty_ranges([f for f in figures if f.scope == "incident"])
    killed = ranges.get((CasualtyCategory.CIVILIAN, "killed"))
    injured = ranges.get((CasualtyCategory.CIVILIAN, "injured"))
    return (killed.best if killed else 0), (injured.best if injured else 0)


def _observed_by_mission(uow: UnitOfWork, ids: list[str]) -> set[str]:
    """Incidents with a report from the mission's own observers or cameras on the spot."""
    reports = uow.reports.for_incidents(ids)
    sources = uow.directory.sources({r.source for rs in reports.values() for r in rs})
    return {i for i, rs in reports.items()
            if any(r.observer or (r.source in sources and sources[r.source].kind.is_mission)
                   for r in rs)}


def raise_alerts(uow: UnitOfWork, now: datetime) -> list[Alert]:
    """Evaluate escalation for every agreement; store, ledger and queue the new alerts.

    Reads stored violations and geometry facts (``evaluate_all`` computes
    them first); also raises an alert for each case of the joint commission
    past its finding's deadline. Alerts already stored (same id: same cause) are not raised again.
    """
    rules = get_monitoring_config().escalation.rules()
    store = uow.monitoring
    rows = store.violation_days()
    agreements = uow.agreements.list()
    periods = {a.id: _period_days(a, now) for a in agreements}
    observed = {d for days in periods.values() for d in days}
    existing = store.alert_ids()
    raised: list[Alert] = []
    for agreement in agreements:
        history = _sector_series(rows, agreement.id, set(periods[agreement.id]))
        for alert in escalation_alerts(agreement.id, signals_for(uow, agreement), rules, now,
                                       sector_history=history, observed=observed,
                                       days=periods[agreement.id], sector_name=sector_label):
            if alert.id in existing:
                continue
            existing.add(alert.id)
            store.add_alert(alert)
            uow.record("alert.raise", alert.id, plain(alert))
            enqueue_alert(uow, alert.id, now)
            raised.append(alert)
    raised += overdue_alerts(uow, now, existing)  # the joint commission's deadlines
    return raised


def _sector_series(rows: list[tuple[str, str, date, str]], agreement_id: str,
                   period: set[date]) -> dict[str, dict[date, list[str]]]:
    """Violations per sector per day: on the agreement's own days only its own
    (the day one truce ends and the next begins is shared), elsewhere any agreement's."""
    series: dict[str, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))
    for owner, sector, day, incident_id in rows:
        if day not in period or owner == agreement_id:
            series[sector][day].append(incident_id)
    return series


def list_alerts(uow: UnitOfWork, *, unacknowledged: bool = False,
                kind: str | None = None) -> list[StoredAlert]:
    """The alerts, oldest first; an unknown ``kind`` is an error, not an empty list."""
    kinds = [k.value for k in AlertKind]
    if kind is not None and kind not in kinds:
        raise ValidationError(f"unknown alert kind {kind!r}; one of: {', '.join(kinds)}", field="kind")
    return uow.monitoring.alerts(unacknowledged=unacknowledged, kind=kind)


@use_case
def acknowledge_alert(uow: UnitOfWork, alert_id: str, note: str, by: str | None,
                      now: datetime) -> StoredAlert:
    """Mark an alert seen by an analyst, with a note; ledgered. An alert is acknowledged once."""
    if not note or not note.strip():
        raise ValidationError("an acknowledgement needs a note saying what was done",
                              field="note")
    store = uow.monitoring
    current = store.alert(alert_id)
    if current.acknowledged_at is not None:
        raise Conflict(f"alert {alert_id} was already acknowledged by "
                       f"{current.acknowledged_by or 'someone'} at {current.acknowledged_at}",
                       field="alert_id")
    store.acknowledge(alert_id, by, note.strip(), now)
    uow.record("alert.acknowledge", alert_id, {"by": by, "note": note.strip(), "at": now.isoformat()},
               at=now)
    return store.alert(alert_id)


@dataclass(frozen=True)
class AlertIncident:
    """What an alert is about, as a person needs to see it."""

    id: str
    title: str
    start: datetime
    grade: str | None
    place: str | None
    status: str


@dataclass(frozen=True)
class AlertView:
    stored: StoredAlert
    incidents: tuple[AlertIncident, ...]

    @property
    def alert(self) -> Alert:
        return self.stored.alert


def alert_fields(stored: StoredAlert) -> dict:
    """An alert as every machine-readable output gives it (the API, the CLI's
    JSON and CSV, a webhook's body): one set of field names, the time of what
    it concerns as ``event_at``, the sector by its neutral name with the
    stored key beside it."""
    a = stored.alert
    return {"id": a.id, "kind": a.kind.value, "event_at": a.when, "raised_at": a.raised_at,
            "message": a.message, "incident_ids": list(a.incident_ids), "agreement_id": a.agreement,
            "sector": sector_label(a.sector) or None, "sector_key": a.sector,
            "acknowledged_at": stored.acknowledged_at, "acknowledged_by": stored.acknowledged_by,
            "note": stored.note}


def alert_views(uow: UnitOfWork, stored: list[StoredAlert], *,
                published_only: bool = False) -> list[AlertView]:
    """Each alert with the title, date, grade and place of its incidents
    (``published_only`` leaves drafts out)."""
    ids = sorted({i for s in stored for i in s.alert.incident_ids})
    briefs: dict[str, AlertIncident] = {}
    for incident_id in ids:
        if not uow.incidents.exists(incident_id):
            continue
        i = uow.incidents.get(incident_id)
        if published_only and i.status is not Status.PUBLISHED:
            continue
        grade = i.effective_grade
        briefs[i.id] = AlertIncident(i.id, i.title, i.start, grade.value if grade else None,
                                     place_label(i.place, i.place_name, i.latitude, i.longitude) or None,
                                     i.status.value)
    return [AlertView(s, tuple(briefs[i] for i in s.alert.incident_ids if i in briefs))
            for s in stored]


def alerts_of_day(uow: UnitOfWork, day: date) -> list[AlertView]:
    """The alerts whose event falls on ``day`` in the theatre's time zone."""
    tz = get_settings().tz
    lo = datetime.combine(day, time(), tzinfo=tz)
    found = uow.monitoring.alerts(event_from=lo, event_to=lo + timedelta(days=1))
    return alert_views(uow, found)
