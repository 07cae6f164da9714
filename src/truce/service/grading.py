"""Grading incidents from their stored evidence (rules in truce.domain.grading)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from ..domain.actors import Source
from ..domain.exceptions import ValidationError
from ..domain.grades import Grade
from ..domain.grading import GradeResult, IncidentEvidence, effective_grade, grade
from ..settings import get_settings
from ..store.uow import UnitOfWork, use_case

__all__ = ["evidence_for", "override_grade", "regrade", "regrade_all"]

BATCH = 2000


def evidence_for(uow: UnitOfWork, incident_ids: Sequence[str],
                 sources: dict[str, Source] | None = None) -> dict[str, IncidentEvidence]:
    """The reports, claims and sources each incident rests on.

    Claims an analyst marked as shown false (status 'discounted') and party
    statements not yet reviewed (status 'submitted') are left out.
    """
    sources = sources if sources is not None else uow.directory.sources()
    reports = uow.reports.for_incidents(incident_ids)
    claims = uow.claims.counted_for_incidents(incident_ids)
    sides = get_settings().party_sides
    return {
        i: IncidentEvidence(
            reports=tuple(reports[i]),
            claims=tuple(claims[i]),
            sources=sources, sides=sides, incident=i,
        )
        for i in incident_ids
    }


def _grade_or_none(evidence: IncidentEvidence) -> GradeResult | None:
    try:
        return grade(evidence)
    except ValidationError:
        return None  # nothing supports it yet: stays ungraded until a report or claim arrives


def regrade(uow: UnitOfWork, incident_ids: Sequence[str],
            sources: dict[str, Source] | None = None) -> dict[str, GradeResult | None]:
    """Recompute and store the grade of each incident; one ledger entry lists
    every grade that changed."""
    results: dict[str, GradeResult | None] = {}
    current = uow.incidents.grades(incident_ids)
    changed: dict[str, str] = {}
    updates = []
    for incident_id, evidence in evidence_for(uow, incident_ids, sources).items():
        result = _grade_or_none(evidence)
        results[incident_id] = result
        if result is None:
            continue
        updates.append({"key": incident_id, "grade": result.grade.value,
                        "grade_reasons": list(result.reasons)})
        if current.get(incident_id) != result.grade.value:
            changed[incident_id] = result.grade.value
    uow.incidents.set_grades(updates)
    if changed:
        record_id = next(iter(changed)) if len(changed) == 1 else f"{len(changed)} incidents"
        uow.record("incident.grade", record_id, {"grades": changed})
    return results


def regrade_all(uow: UnitOfWork, progress: Callable[[int, int], None] | None = None) -> int:
    """Regrade every incident in batches; returns how many got a grade."""
    ids = uow.incidents.ids()
    sources = uow.directory.sources()
    graded = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        graded += sum(1 for r in regrade(uow, batch, sources).values() if r is not None)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return graded


@use_case
def override_grade(uow: UnitOfWork, incident_id: str, override: Grade | None, reason: str | None,
                   now: datetime) -> GradeResult:
    """Set (or clear, with ``override=None``) an analyst's grade; the computed
    grade is kept beside it. A reason is required."""
    incident = uow.incidents.get(incident_id)
    computed = GradeResult(incident.grade or Grade.SINGLE_SOURCE, incident.grade_reasons)
    result = effective_grade(computed, override, reason)
    uow.incidents.set_override(incident_id, override, reason.strip() if override else None)
    uow.record("incident.grade_override", incident_id, {
        "computed": incident.grade.value if incident.grade else None,
        "override": override.value if override else None, "reason": reason,
        "at": now.isoformat(),
    })
    from .violations import evaluate_incidents

    evaluate_incidents(uow, [incident_id], now)  # a violation carries its incident's grade
    return result
