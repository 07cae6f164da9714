"""The report's prose sections: control changes, restrictions of observers'
movement, alerts, and contested claims quoted side by side.

Observer identities never leave this module: a restriction names the
mission, not the observer; a restriction is placed where its incident is (with
its uncertainty), and where the observers stood is given in the restricted
edition only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from ..domain.claims import Claim
from ..domain.contradictions import PropositionStatus, propositions
from ..domain.restrictions import RESTRICTION_KINDS, restriction_details
from ..geo.naming import place_label
from ..service.labels import time_of_day
from ..store.selection import day_bounds
from ..store.uow import UnitOfWork
from ..store.visibility import Visibility

__all__ = ["Contested", "ControlLine", "Restriction", "Side", "alerts_of", "contested",
           "controls_of", "restrictions_of"]

MAX_CONTESTED = 8


@dataclass(frozen=True)
class Side:
    actor: str
    party: str | None
    stance: str
    value: str | None
    text: str | None
    source: str | None


@dataclass(frozen=True)
class Contested:
    incident_id: str
    title: str
    grade: str | None
    groups: list[tuple[str, str, list[Side], list[Side]]]  # proposition, status, for, against


@dataclass(frozen=True)
class ControlLine:
    place: str
    party: str
    previous: str | None
    grade: str | None
    claims: list[Side]


@dataclass(frozen=True)
class Restriction:
    when: str
    place: str
    summary: str
    position: str | None  # where its incident is, with its uncertainty: "40.321, 46.934 ±2.0 km"
    kind: str = "restriction"  # or jamming
    imposed_by: str | None = None
    duration_min: int | None = None
    observers_at: str | None = None  # where the observers stood: restricted edition only


def _sides(claims: list[Claim] | tuple[Claim, ...], actors: dict[str, Any],
           sources: dict[str, Any]) -> list[Side]:
    out = []
    for c in claims:
        actor = actors.get(c.actor)
        source = sources.get(c.source) if c.source else None
        out.append(Side(actor.name if actor else c.actor, actor.party if actor else None,
                        c.stance.value, c.value, c.text, source.name if source else None))
    return out


def contested(uow: UnitOfWork, day: date, tz: tzinfo, seen_by: Visibility) -> list[Contested]:
    """Up to MAX_CONTESTED of the day's incidents (those ``seen_by`` may see)
    whose claims conflict (graded contested, or a counted claim denies or
    disputes), with each disputed proposition's counted claims for and
    against. A claim awaiting review, rejected or shown false never makes an
    incident contested, in any edition."""
    found = uow.days.contested(day, tz, seen_by, MAX_CONTESTED * 3)
    wanted = list(found)
    if not wanted:
        return []
    claims = uow.claims.counted_for_incidents(wanted)
    source_ids = {cl.source for cs in claims.values() for cl in cs if cl.source}
    sources, actors = uow.directory.sources(source_ids), uow.directory.actors()
    out = []
    for iid in wanted:
        groups = [(g.proposition.value, g.status.value, _sides(g.supporting, actors, sources),
                   _sides(g.opposing, actors, sources))
                  for g in propositions(claims[iid], sources) if g.status is PropositionStatus.DISPUTED]
        if groups:
            out.append(Contested(iid, found[iid][0], found[iid][1], groups))
        if len(out) == MAX_CONTESTED:
            break
    return out


def controls_of(uow: UnitOfWork, day: date, seen_by: Visibility) -> list[ControlLine]:
    """Control changes dated ``day``, each with the claims about it that ``seen_by`` may see."""
    rows = [(ctl, name, grade) for ctl, name, grade in uow.controls.list(on=day) if ctl.start == day]
    if not rows:
        return []
    claims = uow.claims.for_controls([ctl.id for ctl, _n, _g in rows], seen_by=seen_by)
    actors = uow.directory.actors()
    sources = uow.directory.sources({cl.source for cs in claims.values() for cl in cs if cl.source})
    return [ControlLine(place_label(ctl.place, name), ctl.party, ctl.previous_party, grade.value if grade else None,
                        _sides(claims[ctl.id], actors, sources)) for ctl, name, grade in rows]


def restrictions_of(uow: UnitOfWork, day: date, tz: tzinfo, seen_by: Visibility) -> list[Restriction]:
    """Restrictions of the observers' freedom of movement (and jamming of the
    mission's drones and radios) reported on ``day`` that ``seen_by`` may read,
    with place, who imposed them and for how long (positions only to those who
    read the report in full)."""
    lo, hi = day_bounds(day, day, tz)
    out = []
    reports = [r for kind in RESTRICTION_KINDS
               for r in uow.reports.list(seen_by=seen_by, kind=kind, start=lo, end=hi)]
    for r in sorted(reports, key=lambda r: (r.observed_at or r.received, r.id)):
        when = time_of_day(r.observed_at or r.received, tz)
        detail = restriction_details(r.kind, r.payload)
        full = seen_by.report_in_full(r)
        stood = f"{r.latitude:.3f}, {r.longitude:.3f}" if full and r.latitude is not None else None
        out.append(Restriction(when, detail.place_name or "place not given", r.summary,
                               _position(uow, r, seen_by, full), r.kind, detail.imposed_by,
                               detail.duration_min, stood))
    return out


def _position(uow: UnitOfWork, report: Any, seen_by: Visibility, full: bool) -> str | None:
    """Where a restriction is, as every output places it: its incident's
    position and uncertainty (the one the reader may see), else, for a
    reader of the report in full, where an incident of it would be
    (``report_place.report_placement``); None when neither is located."""
    from ..service.labels import uncertainty
    from ..service.report_place import report_placement

    shown = uow.reports.incident_ids(report.id, seen_by)
    if shown:
        incident = uow.incidents.get(shown[0])
        if not incident.located:
            return None
        latitude, longitude, doubt = incident.latitude, incident.longitude, incident.uncertainty_m
    else:
        placed = report_placement(uow, report) if full else None
        if placed is None or not placed.located:
            return None
        latitude, longitude, doubt = placed.latitude, placed.longitude, placed.doubt_m()
    return f"{latitude:.3f}, {longitude:.3f} {uncertainty(doubt)}"


def alerts_of(uow: UnitOfWork, day: date, tz: tzinfo, seen_by: Visibility) -> list[Any]:
    """Alerts about what happened on ``day`` (by event time, in the theatre's
    time zone), with their incidents, for readers who may see alerts (the
    restricted edition)."""
    from ..service.alerts import alerts_of_day

    return alerts_of_day(uow, day) if seen_by.alerts() else []
