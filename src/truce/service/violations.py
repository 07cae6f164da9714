"""Evaluate agreements: geometry facts for every incident, then violations and tallies.

``evaluate_all(uow, now)`` is what ``truce demo load`` and ``truce alerts
evaluate`` call: facts, violations of every agreement, then alerts. Each
step replaces its derived rows and appends one ledger entry with a digest
of what it wrote; ``evaluate_all`` commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_

from ..domain.agreements import Agreement, Violation
from ..domain.cases import PublishedFinding, with_findings
from ..domain.exceptions import ValidationError
from ..domain.incidents import Incident, Status
from ..domain.restrictions import RESTRICTION_KINDS, restriction_details
from ..domain.violations import GeoFacts, violations
from ..geo.facts import FactsEngine
from ..geo.lines import LineHistory, side_changes
from ..settings import get_settings
from ..store import tables as t
from ..store.monitoring import TALLY_KEYS
from ..store.repositories import IncidentFilter
from ..store.uow import UnitOfWork, use_case
from .monitoring_config import MonitoringConfig, get_monitoring_config

__all__ = [
    "EvaluationSummary", "Tally", "compute_geo", "evaluate_agreement", "evaluate_all",
    "incident_pages", "line_history", "local_day", "tallies",
]

CHUNK = 20_000  # ids per IN (...) query stay under SQLite's 32766 bound variables
MISSION_ACTOR_KINDS = ("observer_mission",)


@dataclass(frozen=True)
class EvaluationSummary:
    located: int
    violations: dict[str, int]
    alerts: list[str]


@dataclass(frozen=True)
class Tally:
    agreement: Agreement
    by: tuple[str, ...]
    rows: list[dict[str, Any]]


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def line_history(uow: UnitOfWork) -> LineHistory:
    """The dated line: drawn versions from the store, moved by the store's control changes."""
    controls = uow.controls.list()
    places = uow.places.get_many(sorted({c.place for c, _, _ in controls if c.place}))
    return LineHistory(uow.monitoring.line_rows(), side_changes(controls, places))


def _located(uow: UnitOfWork) -> Iterator[list[tuple[str, float, float, datetime]]]:
    """Located incidents (id, longitude, latitude, start), a page at a time by id."""
    last = ""
    while True:
        page = uow.incidents.located_page(last, CHUNK)
        if not page:
            return
        yield page  # type: ignore[misc]
        last = page[-1][0]


def _front_sectors(facts: dict[str, GeoFacts], config: MonitoringConfig) -> dict[str, GeoFacts]:
    """A sector is a stretch of the front: an incident far behind the line (a
    city strike, a border far away) belongs to none, so it does not swell a
    sector's tallies or its spike baseline. Applied alike to both back ends."""
    limit = config.geometry.sector_max_distance_m
    return {i: f if f.distance_to_line_m is None or f.distance_to_line_m <= limit else replace(f, sector=None)
            for i, f in facts.items()}


def compute_geo(uow: UnitOfWork, now: datetime, *, backend: str = "auto",
                config: MonitoringConfig | None = None) -> int:
    """Compute and store ``incident_geo`` for every located incident; returns how many.

    ``backend`` is "shapely", "postgis" or "auto" (PostGIS on PostgreSQL).
    """
    config = config or get_monitoring_config()
    tz = get_settings().tz
    history = line_history(uow)
    store = uow.monitoring
    populated_m = config.geometry.populated_radius_m
    control_m = config.geometry.control_radius_m
    if backend == "auto":
        backend = "postgis" if uow.dialect == "postgresql" else "shapely"
    count = 0
    if backend == "postgis":
        facts = uow.monitoring.postgis_facts(history, tz=get_settings().timezone,
                                             populated_radius_m=populated_m, control_radius_m=control_m)
        store.replace_geo(_front_sectors(facts, config), now)
        count = len(facts)
    elif backend == "shapely":
        places = [(p.id, p.longitude, p.latitude) for p in _all_places(uow)]
        engine = FactsEngine(history, places, populated_radius_m=populated_m,
                             control_radius_m=control_m)
        for chunk in _located(uow):
            found = engine.facts_many([r[1] for r in chunk], [r[2] for r in chunk],
                                      [local_day(r[3], tz) for r in chunk])
            store.replace_geo(_front_sectors({r[0]: f for r, f in zip(chunk, found, strict=True)}, config), now)
            count += len(chunk)
    else:
        raise ValidationError(f"unknown geometry back end {backend!r}", field="backend",
                              remedy="use shapely, postgis or auto")
    uow.record("incident_geo.compute", "incident_geo", {
        "incidents": count, "backend": backend,
        "line_versions": [v.valid_from.isoformat() for v in history.versions],
        "populated_radius_m": populated_m, "control_radius_m": control_m,
    })
    return count


def _all_places(uow: UnitOfWork) -> list[Any]:
    return uow.places.all()


class _InForcePage(IncidentFilter):
    """Published incidents begun in the agreement's period, after (start, id): a keyset page."""

    def __init__(self, agreement: Agreement, after: tuple[datetime, str] | None):
        super().__init__(published_only=True, limit=CHUNK)
        self.agreement, self.after = agreement, after

    def where(self) -> list[Any]:
        c = t.incidents.c
        clauses = [*super().where(), c.start >= self.agreement.start]
        if self.agreement.end is not None:
            clauses.append(c.start < self.agreement.end)
        if self.after is not None:
            start, last = self.after
            clauses.append(or_(c.start > start, and_(c.start == start, c.id > last)))
        return clauses


def incident_pages(uow: UnitOfWork, agreement: Agreement) -> Iterator[list[Incident]]:
    """Published incidents begun while the agreement was in force, a page at a time."""
    after: tuple[datetime, str] | None = None
    while True:
        page = uow.incidents.list(_InForcePage(agreement, after))
        if not page:
            return
        yield page
        after = (page[-1].start, page[-1].id)


def evaluate_agreement(uow: UnitOfWork, agreement: Agreement, now: datetime) -> int:
    """Replace the agreement's stored violations with a fresh evaluation; returns how many.

    Reads stored geometry facts (run ``compute_geo`` first). Discounted
    claims are left out of responsibility; discounted incidents break nothing.
    """
    tz = get_settings().tz
    store = uow.monitoring
    mission = {a.id for a in uow.directory.actors().values() if a.kind in MISSION_ACTOR_KINDS}
    store.clear_violations(agreement.id)
    findings = uow.cases.published_findings(agreement.id)
    digest, total, incidents = hashlib.sha256(), 0, 0
    for page in incident_pages(uow, agreement):
        page = [i for i in page if i.status is Status.PUBLISHED and agreement.in_force(i.start)]
        ids = [i.id for i in page]
        geo = store.geo(ids)
        claims = uow.claims.counted_for_incidents(ids)
        restricted = restricted_by(uow, ids)
        found = []
        for incident in page:
            facts = geo.get(incident.id, GeoFacts())
            kept = claims[incident.id]
            for v in _decided(agreement, incident, findings, violations(
                    incident, agreement, facts, kept, incident.effective_grade, mission_actors=mission,
                    restricted_by=restricted.get(incident.id, ()))):
                found.append((v, local_day(incident.start, tz), facts.sector))
                digest.update(json.dumps([v.incident, v.term.value, v.responsible, v.basis,
                                          v.grade]).encode())
        incidents += len(page)
        total += len(found)
        store.add_violations(found, now)
    uow.record("violations.evaluate", agreement.id, {
        "incidents_in_force": incidents, "violations": total, "digest": digest.hexdigest()})
    return total


def _decided(agreement: Agreement, incident: Incident, findings: list[PublishedFinding],
             found: list[Violation]) -> list[Violation]:
    """The rules' violations of one incident, as the commission's published findings decide them."""
    if not findings:
        return found
    grade = incident.effective_grade
    return with_findings(agreement.id, incident.id, found, findings, grade.value if grade else None)


def restricted_by(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, list[str | None]]:
    """Incidents with an observer restriction or jamming report, each with who
    imposed each restriction (None where the report names no one)."""
    found: dict[str, list[str | None]] = {}
    for incident_id, kind, payload in uow.reports.of_kinds_for_incidents(ids, RESTRICTION_KINDS):
        found.setdefault(incident_id, []).append(restriction_details(kind, payload).imposed_by)
    return found


def tallies(uow: UnitOfWork, agreement_key: str, by: Sequence[str]) -> Tally:
    """Violating incidents of an agreement grouped by ``by`` (party, day, sector, term, basis).

    Each row has the group keys and ``confirmed`` (verified or corroborated),
    ``unconfirmed`` (single-source, contested or not yet graded) and
    ``total`` counts of distinct incidents; discounted incidents are never
    violations. ``party`` is the party found or alleged responsible, else
    "unattributed" or "disputed" (several parties blamed).
    """
    unknown = [k for k in by if k not in TALLY_KEYS]
    if unknown:
        raise ValidationError(f"cannot group by {unknown[0]!r}", field="by",
                              remedy=f"use {', '.join(TALLY_KEYS)}")
    agreement = uow.agreements.get(agreement_key)
    by = tuple(dict.fromkeys(by))
    return Tally(agreement, by, uow.monitoring.tallies(agreement.id, by))


def evaluate_incidents(uow: UnitOfWork, incident_ids: Sequence[str], now: datetime) -> int:
    """Geometry facts and violations of a few incidents against every agreement,
    then alerts: what publishing or changing an incident must update at once,
    without re-evaluating the whole store. Returns the violations found."""
    from .alerts import raise_alerts

    config = get_monitoring_config()
    tz = get_settings().tz
    store = uow.monitoring
    incidents = [uow.incidents.get(i) for i in incident_ids]
    located = [i for i in incidents if i.located]
    if located and store.line_rows():  # a store with no line of contact has no geometry facts
        engine = FactsEngine(line_history(uow), [(p.id, p.longitude, p.latitude) for p in _all_places(uow)],
                             populated_radius_m=config.geometry.populated_radius_m,
                             control_radius_m=config.geometry.control_radius_m)
        found_facts = engine.facts_many([i.longitude for i in located], [i.latitude for i in located],
                                        [local_day(i.start, tz) for i in located])
        store.replace_geo(_front_sectors({i.id: f for i, f in zip(located, found_facts, strict=True)}, config),
                          now)
    store.clear_incident_violations([i.id for i in incidents])
    geo = store.geo([i.id for i in incidents])
    claims = uow.claims.counted_for_incidents([i.id for i in incidents])
    restricted = restricted_by(uow, [i.id for i in incidents])
    mission = {a.id for a in uow.directory.actors().values() if a.kind in MISSION_ACTOR_KINDS}
    findings = uow.cases.published_findings()
    found = []
    for agreement in uow.agreements.list():
        for incident in incidents:
            if incident.status is not Status.PUBLISHED or not agreement.in_force(incident.start):
                continue
            facts = geo.get(incident.id, GeoFacts())
            kept = claims[incident.id]
            for v in _decided(agreement, incident, findings, violations(
                    incident, agreement, facts, kept, incident.effective_grade, mission_actors=mission,
                    restricted_by=restricted.get(incident.id, ()))):
                found.append((v, local_day(incident.start, tz), facts.sector))
    store.add_violations(found, now)
    uow.record("violations.evaluate_incidents", ",".join(incident_ids)[:200],
               {"incidents": list(incident_ids), "violations": len(found)})
    raise_alerts(uow, now)
    return len(found)


@use_case
def evaluate_all(uow: UnitOfWork, now: datetime, *, backend: str = "auto") -> EvaluationSummary:
    """Geometry facts, violations of every agreement, then alerts (raised and queued
    for webhooks). Call after grading."""
    from .alerts import raise_alerts

    located = compute_geo(uow, now, backend=backend)
    counts = {a.id: evaluate_agreement(uow, a, now) for a in uow.agreements.list()}
    raised = raise_alerts(uow, now)
    return EvaluationSummary(located, counts, [a.id for a in raised])

