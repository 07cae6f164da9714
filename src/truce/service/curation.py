"""An analyst's decisions on incidents: build from reports, merge, split,
override a grade, publish. Each is one ledgered action; nothing is deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from ..domain.claims import Claim, check_claim_value
from ..domain.duplicates import HOURS, METRES, Candidate, duplicate_candidates, match
from ..domain.exceptions import Conflict, ValidationError
from ..domain.incidents import Incident, Status
from ..domain.observed import observed_casualties
from ..store.repositories import IncidentFilter
from ..store.uow import UnitOfWork, use_case
from .directory import check_actor, check_source
from .grading import regrade
from .records import add_claim, add_incident, plain

__all__ = [
    "attach_claim", "best_match", "create_from_reports", "find_duplicates", "merge_incidents", "publish", "rederive",
    "split_incident",
]


def rederive(uow: UnitOfWork, incident_ids: list[str], now: datetime) -> None:
    """Recompute what derives from these incidents after a change to them: their
    grades, then their geometry facts, violations and the alerts they raise
    (a merged or unpublished incident keeps no violation)."""
    from .violations import evaluate_incidents

    regrade(uow, incident_ids)
    evaluate_incidents(uow, incident_ids, now)


@use_case
def create_from_reports(uow: UnitOfWork, incident: Incident, report_ids: list[str],
                        now: datetime) -> Incident:
    """A new incident built from stored reports (they stay as they are). One with
    no position of its own takes the one its observer reports give
    (``report_place.placed_by_reports``), and counts the casualties they saw
    (``domain.observed.observed_casualties``)."""
    from .report_place import placed_by_reports

    if not report_ids:
        raise ValidationError("an incident needs at least one report", field="report_ids")
    reports = [uow.reports.get(report_id) for report_id in report_ids]  # NotFound names a missing one
    incident = placed_by_reports(uow, incident, reports)
    add_incident(uow, incident, now, casualties=[f for r in reports for f in observed_casualties(r)])
    for report_id in report_ids:
        uow.incidents.link_report(incident.id, report_id)
    uow.record("incident.link_reports", incident.id, {"reports": report_ids})
    regrade(uow, [incident.id])
    return uow.incidents.get(incident.id)


@use_case
def merge_incidents(uow: UnitOfWork, keep_id: str, other_id: str, reason: str) -> Incident:
    """Fold ``other_id`` into ``keep_id``: its reports, claims and figures move;
    ``other_id`` stays on record with status 'merged'."""
    if keep_id == other_id:
        raise ValidationError("cannot merge an incident into itself", field="other_id")
    if not reason.strip():
        raise ValidationError("say why the two are one event", field="reason")
    keep, other = uow.incidents.get(keep_id), uow.incidents.get(other_id)
    if Status.MERGED in (keep.status, other.status):
        raise Conflict("one of these incidents was already merged", field="other_id")
    moved = uow.incidents.report_ids(other_id)
    for report_id in moved:
        uow.incidents.unlink_report(other_id, report_id)
        if report_id not in uow.incidents.report_ids(keep_id):
            uow.incidents.link_report(keep_id, report_id)
    uow.incidents.move_claims_and_figures(other_id, keep_id)
    uow.incidents.set_status(other_id, Status.MERGED)
    uow.record("incident.merge", keep_id, {"merged": other_id, "reports": moved, "reason": reason})
    rederive(uow, [keep_id, other_id], datetime.now(UTC))
    return uow.incidents.get(keep_id)


@use_case
def split_incident(uow: UnitOfWork, incident_id: str, report_ids: list[str], new_id: str,
                   title: str, now: datetime, claim_ids: list[str] | None = None) -> Incident:
    """Move ``report_ids`` (and ``claim_ids``) of an incident to a new draft incident."""
    source = uow.incidents.get(incident_id)
    linked = set(uow.incidents.report_ids(incident_id))
    missing = [r for r in report_ids if r not in linked]
    if missing or not report_ids:
        raise ValidationError(f"reports {missing or report_ids} are not in incident {incident_id}",
                              field="report_ids")
    if set(report_ids) == linked:
        raise ValidationError("a split must leave at least one report behind", field="report_ids")
    new = replace(source, id=new_id, title=title, status=Status.DRAFT, grade=None,
                  grade_reasons=(), grade_override=None, grade_override_reason=None)
    add_incident(uow, new, now)
    for report_id in report_ids:
        uow.incidents.unlink_report(incident_id, report_id)
        uow.incidents.link_report(new_id, report_id)
    if claim_ids:
        uow.incidents.move_claims_and_figures(incident_id, new_id, claim_ids)
    uow.record("incident.split", incident_id, {"new": new_id, "reports": report_ids,
                                               "claims": claim_ids or []})
    rederive(uow, [incident_id, new_id], now)
    return uow.incidents.get(new_id)


@use_case
def publish(uow: UnitOfWork, incident_id: str, now: datetime | None = None) -> Incident:
    publish_incidents(uow, [incident_id], now)
    return uow.incidents.get(incident_id)


@use_case
def publish_incidents(uow: UnitOfWork, incident_ids: list[str], now: datetime | None = None) -> None:
    """Publish each incident (one ``incident.publish`` ledger entry each), then
    re-derive what follows from all of them at once (grades, violations,
    alerts). An incident that was merged away, or has nothing to grade it,
    cannot be published."""
    for incident_id in incident_ids:
        incident = uow.incidents.get(incident_id)
        if incident.status is Status.MERGED:
            raise Conflict(f"incident {incident_id} was merged into another; publish that one")
        if incident.grade is None:
            raise ValidationError(f"incident {incident_id} has no supporting report or claim and "
                                  "cannot be published", field="incident_id")
        uow.incidents.set_status(incident_id, Status.PUBLISHED)
        uow.record("incident.publish", incident_id, {"grade": plain(incident.effective_grade)})
    if incident_ids:
        rederive(uow, list(incident_ids), now or datetime.now(UTC))


@use_case
def attach_claim(uow: UnitOfWork, claim: Claim, now: datetime) -> Incident:
    """Attach an actor's claim (from a stored source) to its incident; what derives
    from the incident (grade, violations and their attribution) follows."""
    assert claim.incident is not None
    uow.incidents.get(claim.incident)
    check_actor(uow, claim.actor)
    if claim.source is None:
        raise ValidationError("a claim needs its source", field="source_id")
    check_source(uow, claim.source, field="source_id")
    check_claim_value(claim.stance, claim.proposition, claim.value)
    add_claim(uow, claim, now)
    rederive(uow, [claim.incident], now)
    return uow.incidents.get(claim.incident)


def find_duplicates(uow: UnitOfWork, *, start: date | None = None, end: date | None = None,
                    hours: float = HOURS, metres: float = METRES) -> list[Candidate]:
    """Pairs of incidents (not merged) that may be one event, for an analyst to confirm."""
    from datetime import UTC, time

    def moment(day: date | None, shift: int = 0) -> datetime | None:
        return None if day is None else datetime.combine(day + timedelta(days=shift), time(), UTC)

    incidents = [i for i in uow.incidents.list(IncidentFilter(start=moment(start),
                                                              end=moment(end, 1)))
                 if i.status is not Status.MERGED]
    return duplicate_candidates(incidents, hours=hours, metres=metres, within=_within(uow))


def best_match(uow: UnitOfWork, incident: Incident) -> Candidate | None:
    """The stored incident (not merged) this one most probably is, by the
    duplicate finder's own rule (``domain.duplicates.match``): the best-scored
    candidate, or None. ``incident`` need not be stored (a proposal's)."""
    window = IncidentFilter(start=incident.start - timedelta(hours=HOURS),
                            end=incident.end + timedelta(hours=HOURS))
    within = _within(uow)
    found = [c for other in uow.incidents.list(window)
             if other.status is not Status.MERGED and other.id != incident.id
             and (c := match(incident, other, within=within)) is not None]
    return max(found, key=lambda c: c.score, default=None)


def _within(uow: UnitOfWork):
    """The area test the duplicate rule takes: an incident known only to a
    region (a gazetteer place) holds another only when the other's place lies
    in the same first-level admin area (when both are known); a country holds
    everything in it."""
    def within(area: Incident, other: Incident) -> bool:
        if area.geo_precision.value != "region" or not area.place or not getattr(other, "place", None):
            return True
        found = uow.places.get_many([area.place, other.place])
        region, inside = found.get(area.place), found.get(other.place)
        return region is None or inside is None or region.admin1 in (None, inside.admin1)
    return within
