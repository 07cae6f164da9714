"""The analyst's desk for observer reports: the queue beside text proposals.

A signed observer report waits in the queue until an analyst decides, in
one ledgered action each: make an incident of it (``incident_from_reports``),
attach it to an incident already on record (``attach_reports``; the queue
suggests incidents of the same day, within the report's uncertainty, of the
same kind), or mark it "no incident" with a reason (``dismiss_reports``).

An incident built from observer reports takes its position from them by one
rule (``report_place``): the target estimated from bearing and distance (not
the observer's standpoint), at ``exact`` precision, with the estimate's
radius kept as ``location_uncertainty_m``; a restriction or jamming report at
the place it names, resolved in the gazetteer. Its geometry facts (sector,
side, state) are computed at once. Restriction and jamming reports become
"Strategic developments" incidents titled with their place and who imposed
them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..domain.duplicates import haversine_m
from ..domain.exceptions import Conflict, ValidationError
from ..domain.incidents import Incident, Report, Status
from ..domain.observed import observed_casualties
from ..domain.precision import GeoPrecision, TimePrecision
from ..domain.restrictions import RESTRICTION_KINDS, restriction_details
from ..domain.taxonomy import WeaponClass, check_event_type, fire_family, is_territory_change
from ..domain.violations import HOSTILE_EVENT_TYPES
from ..settings import get_settings
from ..store.repositories import IncidentFilter
from ..store.uow import UnitOfWork, use_case
from ..store.visibility import MISSION
from .records import plain

__all__ = [
    "DECISIONS", "Estimate", "QueuedReport", "Suggestion", "attach_reports", "dismiss_reports",
    "estimated_position", "incident_from_reports", "queued_reports", "same_kind",
]

DECISIONS = ("incident", "attached", "no_incident")
MIN_MATCH_M = 1_000.0  # a suggestion's reach when the estimate is tighter than this


@dataclass(frozen=True)
class Estimate:
    latitude: float
    longitude: float
    uncertainty_m: float | None  # None: the observer's own position, no bearing given
    from_bearing: bool


@dataclass(frozen=True)
class Suggestion:
    incident_id: str
    title: str
    distance_m: float | None
    reason: str


@dataclass(frozen=True)
class QueuedReport:
    """An observer report as the analyst sees it in the queue (mission staff only)."""

    report: Report
    observer_position: dict[str, Any] | None
    estimate: Estimate | None
    observations: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    restriction: dict[str, Any] | None
    suggestions: list[Suggestion] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)  # tasks it answered: task_id, title, case_id
    observer_name: str | None = None  # the observer's user name, shown beside the id

    @property
    def observer_label(self) -> str:
        """Who filed it, as every queue shows it: ``"obs-test (usr-1a2b…)"``."""
        if self.observer_name is None:
            return self.report.observer or "unknown observer"
        return f"{self.observer_name} ({self.report.observer})"

    @property
    def status(self) -> str:
        """Where the report stands: "waiting" for a decision, or the tasks it
        answered ("answered task T of case C"; its evidence is already the case's)."""
        if not self.answers:
            return "waiting"
        return "; ".join(f"answered task {a['task_id']}" + (f" of case {a['case_id']}" if a["case_id"] else "")
                         for a in self.answers)


def _signed(report: Report) -> dict[str, Any]:
    return dict(report.payload.get("report") or {})


def estimated_position(report: Report) -> Estimate | None:
    """Where an observer report places what it saw: the first bearing-and-distance
    estimate the server computed, else the observer's own position."""
    estimates = report.payload.get("estimates") or []
    if estimates:
        e = estimates[0]
        return Estimate(e["latitude"], e["longitude"], e.get("uncertainty_m"), True)
    position = _signed(report).get("position") or {}
    if position.get("latitude") is not None:
        return Estimate(position["latitude"], position["longitude"], position.get("accuracy_m"),
                        False)
    if report.latitude is not None and report.longitude is not None:
        return Estimate(report.latitude, report.longitude, None, False)
    return None


def _decided(uow: UnitOfWork) -> set[str]:
    return uow.reports.reviewed_ids()


def _observer_reports(uow: UnitOfWork, ids: list[str] | None = None) -> list[Report]:
    reports = [r for r in uow.reports.list(seen_by=MISSION, unlinked=ids is None) if r.observer]
    if ids is not None:
        wanted = set(ids)
        reports = [r for r in reports if r.id in wanted]
    return reports


def same_kind(report: Report, incident: Incident, restricted: set[str]) -> str | None:
    """The kind an observer report shares with an incident ("restriction",
    "indirect fire", "hostile fire"), or None if they are of different kinds.

    A restriction or jamming report goes with incidents built from one; any
    other report with an exchange of fire (a hostile event type that is not a
    change of territorial control), and, where both name their weapons, of the
    same kind of fire (``taxonomy.fire_family``: artillery goes with rockets,
    not with a drone strike)."""
    if report.kind in RESTRICTION_KINDS:
        return "restriction" if incident.id in restricted else None
    if incident.event_type not in HOSTILE_EVENT_TYPES or is_territory_change(incident.event_type,
                                                                              incident.sub_type):
        return None
    seen = {f for f in (fire_family(w) for w in _weapons(report)) if f}
    theirs = fire_family(incident.weapon_class)
    if seen and theirs:
        return theirs if theirs in seen else None
    return next(iter(seen), None) or theirs or "hostile fire"


def _restricted_incidents(uow: UnitOfWork, ids: list[str]) -> set[str]:
    found = uow.reports.for_incidents(ids)
    return {i for i, rs in found.items() if any(r.kind in RESTRICTION_KINDS for r in rs)}


def suggestions_for(uow: UnitOfWork, report: Report) -> list[Suggestion]:
    """Incidents this report may belong to: the same day in the theatre, within
    its uncertainty (at least 1 km), of the same kind (``same_kind``); nearest first."""
    estimate = estimated_position(report)
    moment = report.observed_at or report.received
    tz = get_settings().tz
    day = moment.astimezone(tz).date()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    candidates = [i for i in uow.incidents.list(IncidentFilter(start=start, end=start + timedelta(days=1)))
                  if i.status is not Status.MERGED]
    restricted = _restricted_incidents(uow, [i.id for i in candidates])
    reach = max(MIN_MATCH_M, (estimate.uncertainty_m or 0.0) if estimate else 0.0)
    out = []
    for incident in candidates:
        kind = same_kind(report, incident, restricted)
        if kind is None:
            continue
        distance = None
        if estimate is not None and incident.latitude is not None and incident.longitude is not None:
            distance = haversine_m((estimate.latitude, estimate.longitude),
                                   (incident.latitude, incident.longitude))
            if distance > reach + (incident.location_uncertainty_m or 0.0):
                continue
        elif incident.geo_precision not in (GeoPrecision.COUNTRY, GeoPrecision.REGION):
            continue
        where = f"{distance / 1000:.1f} km away" if distance is not None else \
            f"known only to {incident.country or 'a wide area'}"
        out.append(Suggestion(incident.id, incident.title, distance,
                              f"same day ({day.isoformat()}), {where}, same kind ({kind})"))
    return sorted(out, key=lambda s: (s.distance_m is None, s.distance_m or 0.0, s.incident_id))


def queued_reports(uow: UnitOfWork) -> list[QueuedReport]:
    """Observer reports in no incident and not yet decided, oldest first, each
    with the tasks it answered (its ``status``)."""
    decided = _decided(uow)
    waiting = [r for r in _observer_reports(uow) if r.id not in decided]
    answers = uow.reports.answered_tasks([r.id for r in waiting])
    names = {u.id: u.name for u in uow.users.list()} if waiting else {}
    out = []
    for report in waiting:
        signed = _signed(report)
        evidence = [{"sha256": e["sha256"], "filename": e["filename"],
                     "content_type": e["content_type"], "size": e["size"]}
                    for e in uow.reports.evidence(report.id)]
        restriction = None
        if report.kind in RESTRICTION_KINDS:
            d = restriction_details(report.kind, report.payload)
            restriction = {"kind": d.kind, "place_name": d.place_name, "imposed_by": d.imposed_by,
                           "duration_min": d.duration_min, "description": d.description}
        out.append(QueuedReport(report, signed.get("position"), estimated_position(report),
                                list(signed.get("observations") or []), evidence, restriction,
                                suggestions_for(uow, report), answers.get(report.id, []),
                                names.get(report.observer or "")))
    return out


def _reports_to_decide(uow: UnitOfWork, report_ids: list[str]) -> list[Report]:
    if not report_ids:
        raise ValidationError("name at least one observer report", field="report_ids")
    ids = list(dict.fromkeys(report_ids))
    found = {r.id: r for r in _observer_reports(uow, ids)}
    for report_id in ids:
        if report_id not in found:
            uow.reports.get(report_id)  # NotFound names a missing one
            raise ValidationError(f"report {report_id} is not an observer report",
                                  field="report_ids")
    decided = _decided(uow)
    linked = uow.reports.linked_ids(ids)
    for report_id in ids:
        if report_id in decided or report_id in linked:
            raise Conflict(f"report {report_id} was already decided", field="report_ids")
    return [found[i] for i in ids]


def _decide(uow: UnitOfWork, reports: list[Report], decision: str, incident_id: str | None,
            reason: str | None, by: str | None, now: datetime) -> None:
    uow.reports.add_reviews([
        {"report_id": r.id, "decision": decision, "incident_id": incident_id, "reason": reason,
         "decided_by": by, "decided_at": now} for r in reports])
    uow.record("report.review", ",".join(r.id for r in reports)[:200], {
        "reports": [r.id for r in reports], "decision": decision, "incident": incident_id,
        "reason": reason, "by": by, "at": now.isoformat()})


def _restriction_title(report: Report) -> str:
    d = restriction_details(report.kind, report.payload)
    what = "Jamming of the mission's equipment" if report.kind == "jamming" else \
        "Restriction of the observers' movement"
    return f"{what}{' at ' + d.place_name if d.place_name else ''}" \
           f"{' imposed by ' + d.imposed_by if d.imposed_by else ''}"


@use_case
def incident_from_reports(uow: UnitOfWork, report_ids: list[str], now: datetime, *,
                          by: str | None = None, title: str | None = None,
                          event_type: str | None = None, sub_type: str | None = None,
                          weapon_class: str | None = None) -> Incident:
    """A new draft incident from observer reports: timed by what they observed,
    placed at the estimated target, graded, with its geometry facts; the
    reports leave the queue. Restriction and jamming reports need no type."""
    from .curation import create_from_reports
    from .violations import evaluate_incidents

    reports = _reports_to_decide(uow, report_ids)
    restriction = all(r.kind in RESTRICTION_KINDS for r in reports)
    if restriction:
        event_type, sub_type = event_type or "Strategic developments", sub_type or "Other"
    if not event_type:
        raise ValidationError("say what kind of event this is", field="event_type",
                              remedy="an ACLED event type, e.g. 'Explosions/Remote violence'")
    try:
        check_event_type(event_type, sub_type)
        weapon = WeaponClass(weapon_class or _weapon(reports))
    except ValueError as exc:
        raise ValidationError(str(exc), field="event_type") from None
    spans = [observed_span(r) for r in reports]
    place_name = None
    if restriction:
        place_name = restriction_details(reports[0].kind, reports[0].payload).place_name
    incident = Incident(
        id=f"inc-{uuid.uuid4().hex[:12]}",
        title=title or (_restriction_title(reports[0]) if restriction else reports[0].summary[:200]),
        event_type=event_type, sub_type=sub_type, start=min(a for a, _b in spans), end=max(b for _a, b in spans),
        time_precision=TimePrecision.EXACT, place_name=place_name, weapon_class=weapon,
        status=Status.DRAFT)
    created = create_from_reports(uow, incident, [r.id for r in reports], now)
    _decide(uow, reports, "incident", created.id, None, by, now)
    evaluate_incidents(uow, [created.id], now)
    return uow.incidents.get(created.id)


def _weapons(report: Report) -> list[str]:
    """The weapon classes a report's observations name, in order (none unknown)."""
    return [obs["weapon_class"] for obs in _signed(report).get("observations") or []
            if obs.get("weapon_class") not in (None, "unknown")]


def _weapon(reports: list[Report]) -> str:
    return next((w for r in reports for w in _weapons(r)), "unknown")


def observed_moment(report: Report) -> datetime:
    """When a report says its event happened: when it was observed, else received."""
    return report.observed_at or report.received


def observed_span(report: Report) -> tuple[datetime, datetime]:
    """From when to when a report's event lasted: from its observed moment, for
    the duration a restriction or jamming report gives (else an instant)."""
    start = observed_moment(report)
    minutes = restriction_details(report.kind, report.payload).duration_min \
        if report.kind in RESTRICTION_KINDS else None
    return start, start + timedelta(minutes=minutes or 0)


def _widen_span(uow: UnitOfWork, incident: Incident, reports: list[Report], by: str | None) -> None:
    """The incident's time span widened to cover the attached reports (the
    event window holds all its reports), ledgered as an edit of it."""
    spans = [observed_span(r) for r in reports]
    start = min([incident.start, *(a for a, _b in spans)])
    end = max([incident.end, *(b for _a, b in spans)])
    if (start, end) == (incident.start, incident.end):
        return
    uow.incidents.set_span(incident.id, start, end)
    uow.record("incident.span", incident.id, {
        "start": start.isoformat(), "end": end.isoformat(), "was": [incident.start.isoformat(),
                                                                   incident.end.isoformat()],
        "reason": "observer reports attached: " + ", ".join(r.id for r in reports), "by": by})


@use_case
def attach_reports(uow: UnitOfWork, incident_id: str, report_ids: list[str], now: datetime, *,
                   by: str | None = None) -> Incident:
    """Add observer reports to an incident on record; its time span widens to
    cover them, and it is regraded and re-evaluated."""
    from .grading import regrade
    from .violations import evaluate_incidents

    incident = uow.incidents.get(incident_id)
    if incident.status is Status.MERGED:
        raise Conflict(f"incident {incident_id} was merged into another; attach to that one",
                       field="incident_id")
    reports = _reports_to_decide(uow, report_ids)
    for r in reports:
        uow.incidents.link_report(incident_id, r.id)
    uow.record("incident.link_reports", incident_id, {"reports": [r.id for r in reports]})
    seen = [f for r in reports for f in observed_casualties(r)]
    if seen:
        uow.incidents.add_casualties(incident_id, seen)
        uow.record("incident.casualties", incident_id, {"added": plain(seen), "reason": "seen by observers"})
    _decide(uow, reports, "attached", incident_id, None, by, now)
    _widen_span(uow, incident, reports, by)
    regrade(uow, [incident_id])
    evaluate_incidents(uow, [incident_id], now)
    return uow.incidents.get(incident_id)


@use_case
def dismiss_reports(uow: UnitOfWork, report_ids: list[str], reason: str, now: datetime, *,
                    by: str | None = None) -> None:
    """Mark observer reports "no incident", with the reason; they stay on record."""
    if not reason or not reason.strip():
        raise ValidationError("say why these reports make no incident", field="reason")
    _decide(uow, _reports_to_decide(uow, report_ids), "no_incident", None, reason.strip(), by, now)
