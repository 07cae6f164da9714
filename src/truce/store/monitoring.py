"""Repositories for what monitoring derives and raises: geometry facts,
violations, alerts, webhooks and their deliveries. None commits.

They take the unit of work's connection: ``MonitoringStore(uow.connection)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, delete, func, insert, or_, select, update

from ..domain.agreements import TermKind, Violation
from ..domain.alerts import Alert, AlertKind
from ..domain.cases import COMMISSION
from ..domain.exceptions import NotFound
from ..domain.violations import GeoFacts
from . import rules
from . import tables as t
from .visibility import Visibility

__all__ = ["MonitoringStore", "StoredAlert", "TALLY_KEYS"]

TALLY_KEYS = {
    "party": func.coalesce(t.violations.c.responsible, t.violations.c.basis),
    "basis": t.violations.c.basis,
    "day": t.violations.c.day,
    "sector": func.coalesce(t.violations.c.sector, "(not located)"),
    "term": t.violations.c.term,
}


@dataclass(frozen=True)
class StoredAlert:
    alert: Alert
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    note: str | None = None


class MonitoringStore:
    def __init__(self, connection: Connection):
        self.connection = connection

    # -- line of contact and geometry facts --

    def line_rows(self) -> list[tuple[date, str, dict[str, Any]]]:
        c = t.line_versions.c
        query = select(c.valid_from, c.sector, c.geojson).order_by(c.valid_from, c.id)
        return [(r.valid_from, r.sector, r.geojson) for r in self.connection.execute(query)]

    def lines_on(self, day: date) -> dict[str, Any]:
        """Each sector's latest line version valid on ``day``, as a FeatureCollection."""
        lv = t.line_versions.c
        latest = (select(lv.sector, func.max(lv.valid_from).label("valid_from"))
                  .where(lv.valid_from <= day).group_by(lv.sector).subquery())
        query = (select(lv.sector, lv.valid_from, lv.geojson)
                 .join(latest, (latest.c.sector == lv.sector) & (latest.c.valid_from == lv.valid_from))
                 .order_by(lv.sector))
        features = [{"type": "Feature", "geometry": geometry,
                     "properties": {"sector": sector, "valid_from": valid_from.isoformat()}}
                    for sector, valid_from, geometry in self.connection.execute(query)]
        # a sector redrawn later replaces the earlier version only where both exist
        return {"type": "FeatureCollection", "features": features}

    def add_line_versions(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(t.line_versions), list(rows))

    def sides(self) -> dict[str, str | None]:
        """The side of the line each incident lies on, by incident id."""
        return dict(self.connection.execute(select(t.incident_geo.c.incident_id, t.incident_geo.c.side)).all())

    def postgis_facts(self, history: Any, **options: Any) -> dict[str, GeoFacts]:
        """Geometry facts computed inside PostGIS (``truce.geo.postgis``), which
        runs its SQL on this store's connection."""
        from ..geo.postgis import postgis_facts

        return postgis_facts(self.connection, history, **options)

    def sectors(self) -> list[str]:
        """Every sector the line of contact was ever drawn in, sorted."""
        return sorted({s for (s,) in self.connection.execute(select(t.line_versions.c.sector).distinct())})

    def replace_geo(self, facts: Mapping[str, GeoFacts], computed_at: datetime) -> None:
        ids = list(facts)
        for start in range(0, len(ids), 10_000):
            chunk = ids[start:start + 10_000]
            self.connection.execute(delete(t.incident_geo).where(t.incident_geo.c.incident_id.in_(chunk)))
            self.connection.execute(insert(t.incident_geo), [{
                "incident_id": i, "line_valid_from": f.line_valid_from,
                "distance_to_line_m": f.distance_to_line_m, "side": f.side, "sector": f.sector,
                "sovereign_country": f.sovereign_country, "in_disputed_region": f.in_disputed_region,
                "populated_place_id": f.populated_place_id, "computed_at": computed_at,
            } for i, f in ((i, facts[i]) for i in chunk)])

    def geo(self, incident_ids: Sequence[str] | None = None) -> dict[str, GeoFacts]:
        query = select(t.incident_geo)
        if incident_ids is not None:
            query = query.where(t.incident_geo.c.incident_id.in_(list(incident_ids)))
        return {r["incident_id"]: GeoFacts(
            distance_to_line_m=r["distance_to_line_m"], side=r["side"], sector=r["sector"],
            sovereign_country=r["sovereign_country"], in_disputed_region=bool(r["in_disputed_region"]),
            populated_place_id=r["populated_place_id"], line_valid_from=r["line_valid_from"],
        ) for r in self.connection.execute(query).mappings()}

    # -- violations --

    def violations_of(self, incident_id: str, seen_by: Visibility) -> list[dict[str, Any]]:
        """The terms this incident broke, per agreement, if ``seen_by`` may see it."""
        v, a = t.violations.c, t.agreements.c
        query = (select(a.name, v.agreement_id, v.term, v.responsible, v.basis, v.grade, v.sector)
                 .join(t.agreements, a.id == v.agreement_id)
                 .where(v.incident_id == incident_id, seen_by.of_incident_sql(v.incident_id))
                 .order_by(a.start, v.term))
        return [dict(r._mapping) for r in self.connection.execute(query)]

    def clear_violations(self, agreement_id: str) -> None:
        """Drop an agreement's derived violations before they are evaluated again."""
        self.connection.execute(delete(t.violations).where(t.violations.c.agreement_id == agreement_id))

    def clear_incident_violations(self, incident_ids: Sequence[str]) -> None:
        """Drop these incidents' derived violations before they are evaluated again."""
        if incident_ids:
            self.connection.execute(
                delete(t.violations).where(t.violations.c.incident_id.in_(list(incident_ids))))

    def add_violations(self, found: Iterable[tuple[Violation, date, str | None]],
                       computed_at: datetime) -> int:
        rows = [{
            "agreement_id": v.agreement, "incident_id": v.incident, "term": v.term.value,
            "responsible": v.responsible, "basis": v.basis, "claim_ids": list(v.claim_ids),
            "grade": v.grade, "day": day, "sector": sector, "computed_at": computed_at,
        } for v, day, sector in found]
        for start in range(0, len(rows), 10_000):
            self.connection.execute(insert(t.violations), rows[start:start + 10_000])
        return len(rows)

    def violations(self, agreement_id: str) -> list[tuple[Violation, date, str | None]]:
        c = t.violations.c
        query = select(t.violations).where(c.agreement_id == agreement_id).order_by(c.day, c.incident_id, c.term)
        return [(Violation(r["agreement_id"], r["incident_id"], TermKind(r["term"]), r["responsible"],
                           r["basis"], tuple(r["claim_ids"] or ()), r["grade"]), r["day"], r["sector"])
                for r in self.connection.execute(query).mappings()]

    def violation_days(self) -> list[tuple[str, str, date, str]]:
        """(agreement, sector, day, incident id) of every located violation, one per term."""
        c = t.violations.c
        query = (select(c.agreement_id, c.sector, c.day, c.incident_id).where(c.sector.is_not(None))
                 .order_by(c.sector, c.day, c.incident_id, c.term))
        return [(r.agreement_id, r.sector, r.day, r.incident_id) for r in self.connection.execute(query)]

    def tallies(self, agreement_id: str, by: Sequence[str]) -> list[dict[str, Any]]:
        """Violating incidents per group of ``by`` keys, confirmed (a confirming grade, or a
        published finding of the commission) vs unconfirmed.

        Counts distinct incidents, so an incident breaking three terms counts
        once per group (once per term when grouped by term).
        """
        keys = [TALLY_KEYS[k].label(k) for k in by]
        sure = or_(rules.confirmed(t.violations.c.grade), t.violations.c.basis == COMMISSION)
        confirmed = case((sure, t.violations.c.incident_id))
        unconfirmed = case((sure, None), else_=t.violations.c.incident_id)
        query = (select(*keys, func.count(func.distinct(confirmed)).label("confirmed"),
                        func.count(func.distinct(unconfirmed)).label("unconfirmed"),
                        func.count(func.distinct(t.violations.c.incident_id)).label("total"))
                 .where(t.violations.c.agreement_id == agreement_id))
        if keys:
            query = query.group_by(*keys).order_by(*keys)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    # -- alerts --

    def alert_ids(self) -> set[str]:
        return {i for (i,) in self.connection.execute(select(t.alerts.c.id))}

    def add_alert(self, alert: Alert) -> None:
        self.connection.execute(insert(t.alerts).values(
            id=alert.id, kind=alert.kind.value, raised_at=alert.raised_at, event_at=alert.when,
            message=alert.message,
            incident_ids=list(alert.incident_ids), agreement_id=alert.agreement, sector=alert.sector))

    def alerts(self, *, unacknowledged: bool = False, kind: str | None = None,
               event_from: datetime | None = None, event_to: datetime | None = None
               ) -> list[StoredAlert]:
        """Alerts in order of the time of what they concern; ``event_from`` /
        ``event_to`` (exclusive) bound that time."""
        query = select(t.alerts).order_by(t.alerts.c.event_at, t.alerts.c.agreement_id,
                                          t.alerts.c.kind, t.alerts.c.id)
        if unacknowledged:
            query = query.where(t.alerts.c.acknowledged_at.is_(None))
        if kind:
            query = query.where(t.alerts.c.kind == kind)
        if event_from is not None:
            query = query.where(t.alerts.c.event_at >= event_from)
        if event_to is not None:
            query = query.where(t.alerts.c.event_at < event_to)
        return [_stored_alert(r) for r in self.connection.execute(query).mappings()]

    def alert(self, alert_id: str) -> StoredAlert:
        row = self.connection.execute(select(t.alerts).where(t.alerts.c.id == alert_id)).mappings().first()
        if row is None:
            raise NotFound(f"no alert with id {alert_id!r}", field="alert_id",
                           remedy="`truce alerts list` shows the ids")
        return _stored_alert(row)

    def acknowledge(self, alert_id: str, by: str | None, note: str, at: datetime) -> None:
        self.connection.execute(update(t.alerts).where(t.alerts.c.id == alert_id).values(
            acknowledged_at=at, acknowledged_by=by, note=note))

    # -- webhooks and deliveries --

    def add_webhook(self, webhook_id: str, url: str, secret: str, at: datetime) -> None:
        self.connection.execute(insert(t.webhooks).values(
            id=webhook_id, url=url, secret=secret, active=True, created_at=at))

    def webhooks(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        query = select(t.webhooks).order_by(t.webhooks.c.created_at, t.webhooks.c.id)
        if active_only:
            query = query.where(t.webhooks.c.active.is_(True))
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def enqueue(self, webhook_id: str, alert_id: str, at: datetime) -> None:
        self.connection.execute(insert(t.webhook_deliveries).values(
            webhook_id=webhook_id, alert_id=alert_id, status="pending", attempts=0,
            next_attempt_at=at))

    def due_deliveries(self, now: datetime, limit: int = 100) -> list[dict[str, Any]]:
        d = t.webhook_deliveries.c
        query = (select(t.webhook_deliveries, t.webhooks.c.url, t.webhooks.c.secret)
                 .join(t.webhooks, t.webhooks.c.id == d.webhook_id)
                 .where(and_(d.status == "pending", d.next_attempt_at <= now))
                 .order_by(d.next_attempt_at, d.id).limit(limit))
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def deliveries(self, alert_id: str | None = None) -> list[dict[str, Any]]:
        query = select(t.webhook_deliveries).order_by(t.webhook_deliveries.c.id)
        if alert_id:
            query = query.where(t.webhook_deliveries.c.alert_id == alert_id)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def update_delivery(self, delivery_id: int, **values: Any) -> None:
        self.connection.execute(update(t.webhook_deliveries)
                                .where(t.webhook_deliveries.c.id == delivery_id).values(**values))


def _stored_alert(r: Any) -> StoredAlert:
    return StoredAlert(
        Alert(id=r["id"], kind=AlertKind(r["kind"]), raised_at=r["raised_at"], message=r["message"],
              incident_ids=tuple(r["incident_ids"] or ()), agreement=r["agreement_id"],
              sector=r["sector"], event_at=r["event_at"]),
        r["acknowledged_at"], r["acknowledged_by"], r["note"])

