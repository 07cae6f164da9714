"""The report's prose sections: control changes, restrictions of observers'
movement, alerts, and contested claims quoted side by side.

Observer identities never leave this module: a restriction names the
mission, not the observer; positions are given in the restricted edition only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from ..domain.claims import Claim
from ..domain.contradictions import PropositionStatus, propositions
from ..geo.naming import place_label
from ..store import tables as t
from ..store.uow import UnitOfWork
from ..store.visibility import Visibility
from .selection import Selection, day_bounds

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
    position: str | None  # restricted edition only


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
    i, c = t.incidents.c, t.claims.c
    sel = Selection(start=day, end=day, seen_by=seen_by)
    denial = exists().where(c.incident_id == i.id, c.stance.in_(("denies", "disputes")), Visibility.counted_sql())
    query = (select(i.id, i.title, func.coalesce(i.grade_override, i.grade))
             .where(and_(*sel.where(tz)), or_(func.coalesce(i.grade_override, i.grade) == "contested", denial))
             .order_by(i.start, i.id).limit(MAX_CONTESTED * 3))
    found = {iid: (title, grade) for iid, title, grade in uow.connection.execute(query)}
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
    """Restrictions of the observers' freedom of movement reported on ``day``
    that ``seen_by`` may read (positions only to those who read them in full)."""
    lo, hi = day_bounds(day, day, tz)
    out = []
    for r in uow.reports.list(seen_by=seen_by, kind="restriction", start=lo, end=hi):
        when = (r.observed_at or r.received).astimezone(tz).strftime("%H:%M")
        place = r.payload.get("place_name") or r.payload.get("place") or "place not given"
        position = (f"{r.latitude:.3f}, {r.longitude:.3f}" if seen_by.report_in_full(r) and r.latitude is not None
                    else None)
        out.append(Restriction(when, place, r.summary, position))
    return out


def alerts_of(uow: UnitOfWork, day: date, tz: tzinfo) -> list[dict[str, Any]]:
    """Alerts raised on ``day`` (restricted edition only)."""
    lo, hi = day_bounds(day, day, tz)
    a = t.alerts.c
    query = select(t.alerts).where(a.raised_at >= lo, a.raised_at < hi).order_by(a.raised_at)
    return [dict(row) for row in uow.connection.execute(query).mappings()]
