"""What the public incident page shows, gathered in one place.

Public material only: an unpublished incident is NotFound; reports from the
mission's observers are shown as "mission observers" with the published
place, never with the observer's identity or position.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from ..domain.actors import SourceKind
from ..domain.casualties import casualty_ranges
from ..domain.contradictions import current_claims, propositions
from ..domain.restrictions import RESTRICTION_KINDS, restriction_details
from ..service.incidents import incident_detail
from ..store.uow import UnitOfWork
from ..store.visibility import PUBLIC, Visibility

__all__ = ["incident_view"]

_PRECISION_WORDS = {
    "exact": "a measured point", "settlement": "the named town or village",
    "near": "near the named place (within about 25 km)", "district": "somewhere in the district",
    "region": "somewhere in the region", "line": "somewhere along the line of contact",
    "country": "only the country is known",
}
_TIME_WORDS = {"exact": "to the minute", "day": "to the day", "days": "within 2-6 days",
               "week": "to the week", "month": "to the month", "year": "to the year"}


def _claim_row(c: Any, d: Any) -> dict[str, Any]:
    actor = d.actors.get(c.actor)
    source = d.sources.get(c.source) if c.source else None
    refuter = d.sources.get(c.refuted_by) if c.refuted_by else None
    return {"id": c.id, "actor": actor.name if actor else c.actor,
            "status": c.status.value,
            "status_words": c.status.describe(c.status_reason, refuter.name if refuter else c.refuted_by),
            "party": actor.party if actor else None, "stance": c.stance.value, "value": c.value,
            "text": c.text, "source": source.name if source else None,
            "published": source.published if source else None,
            "url": source.url if source else None}


def incident_view(uow: UnitOfWork, incident_id: str, tz: tzinfo, seen_by: Visibility = PUBLIC) -> dict[str, Any]:
    """The page's values for ``seen_by`` (the public page: PUBLIC). Claims that
    do not count (awaiting review, rejected, shown false) are listed apart,
    each with its status in words, and only those the reader may see."""
    d = incident_detail(uow, incident_id, seen_by)
    i = d.incident
    live = [c for c in d.claims if Visibility.counts(c)]
    kept, replaced = current_claims(live, d.sources)
    groups = [{
        "proposition": g.proposition.value, "status": g.status.value,
        "for": [_claim_row(c, d) for c in g.supporting],
        "against": [_claim_row(c, d) for c in g.opposing],
    } for g in propositions(live, d.sources)]
    reports = []
    for r in d.reports:
        source = d.sources.get(r.source)
        observer = source is not None and source.kind is SourceKind.OBSERVER
        reports.append({
            "source": "Mission observers" if observer else (source.name if source else r.source),
            "kind": source.kind.value if source else "", "affiliation": source.affiliation if source else None,
            "independent": source is not None and source.affiliation is None and not source.relayed,
            "repeats": "; ".join(d.sources[s].name for s in source.relayed if s in d.sources)
            if source and source.relayed else None,
            "restriction": restriction_details(r.kind, r.payload).summary()
            if r.kind in RESTRICTION_KINDS else None,
            "received": r.received, "summary": r.summary, "hash": uow.reports.content_hash(r.id),
            "url": None if observer or source is None else source.url,
        })
    ranges = casualty_ranges([f for f in d.casualties if f.scope == "incident"])
    casualties = [{"category": cat.value, "kind": kind, "low": rng.low, "best": rng.best, "high": rng.high,
                   "open": rng.open_ended,
                   "sources": [d.sources[s].name for s in rng.sources if s in d.sources]}
                  for (cat, kind), rng in ranges.items()]
    figures = [{"category": f.category.value, "kind": f.kind, "value": f.value,
                "qualifier": f.qualifier.value.replace("_", " "), "scope": f.scope,
                "as_of": f.as_of, "text": f.text,
                "source": d.sources[f.source].name if f.source in d.sources else "no named source"}
               for f in d.casualties]
    geo = uow.monitoring.geo([incident_id]).get(incident_id)
    # entries about what this reader sees: the incident, its visible claims and reports
    ledger = uow.ledger_entries([incident_id, *(c.id for c in d.claims), *(r.id for r in d.reports)], 12)
    return {
        "incident": i, "grade": i.effective_grade.value if i.effective_grade else "ungraded",
        "where_words": _PRECISION_WORDS.get(i.geo_precision.value, i.geo_precision.value),
        "when_words": _TIME_WORDS.get(i.time_precision.value, i.time_precision.value),
        "uncertainty_m": i.uncertainty_m,
        "start": i.start.astimezone(tz), "end": i.end.astimezone(tz),
        "groups": groups, "replaced": [(_claim_row(old, d), _claim_row(new, d)) for old, new in replaced],
        "not_counted": [_claim_row(c, d) for c in d.claims if not Visibility.counts(c)],
        "reports": reports, "casualties": casualties, "figures": figures,
        "violations": uow.monitoring.violations_of(incident_id, seen_by), "geo": geo,
        "ledger": ledger,
        "day": i.start.astimezone(tz).date(), "kept": len(kept),
    }
