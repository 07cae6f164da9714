"""Casualty ranges per incident and in aggregate (rules in truce.domain.casualties).

Whose losses a figure counts (the ``party`` of an aggregate) is not said by
most sources. truce takes it from where the incident happened: the side that
holds that ground (Armenia for Armenian territory, the Nagorno-Karabakh
authorities inside the 1994-2020 region, Azerbaijan elsewhere in
Azerbaijan), and for a cumulative toll from the party its source speaks for.
Incidents graded discounted contribute nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain.bounds import check_period
from ..domain.casualties import (
    AggregateRange,
    CasualtyRange,
    CumulativeToll,
    IncidentCasualties,
    aggregate,
    casualty_ranges,
    toll_party,
)
from ..domain.grades import Grade
from ..domain.incidents import CasualtyCategory, Incident
from ..geo.lines import COUNTRY_SIDE
from ..settings import get_settings
from ..store.repositories import IncidentFilter
from ..store.uow import UnitOfWork

__all__ = ["aggregate_casualties", "incident_ranges", "losing_party"]



def losing_party(incident: Incident, side: str | None = None) -> str | None:
    """The party whose people an incident's figures count, from where it happened."""
    if side:
        return side
    return COUNTRY_SIDE.get(incident.country or "")


def incident_ranges(uow: UnitOfWork, incident_id: str) -> dict[tuple[CasualtyCategory, str], CasualtyRange]:
    """{(category, kind): range} of one incident's own figures."""
    figures = [f for f in uow.incidents.casualties([incident_id])[incident_id] if f.scope == "incident"]
    return casualty_ranges(figures)


def aggregate_casualties(uow: UnitOfWork, *, by: tuple[str, ...], kind: str = "killed",
                         start: date | None = None, end: date | None = None,
                         published_only: bool = False,
                         names: tuple[str, str] = ("from", "to")) -> dict[tuple[Any, ...], AggregateRange]:
    """Summed ranges grouped by ``by`` (day, party, region, category), without
    double counting a cumulative toll and the incidents it already covers;
    a period that ends before it starts is refused (``bounds.check_period``,
    ``names`` as the caller's user names its ends)."""
    check_period(start, end, names=names)
    tz = get_settings().tz
    incidents = uow.incidents.list(IncidentFilter(published_only=published_only))
    incidents = [i for i in incidents if i.effective_grade is not Grade.DISCOUNTED]
    figures = uow.incidents.casualties([i.id for i in incidents])
    sides = uow.monitoring.sides()
    regions = uow.places.admin1_by_id()
    sources = uow.directory.sources()
    per_incident, tolls = [], []
    for incident in incidents:
        day = incident.start.astimezone(tz).date()
        if (start and day < start) or (end and day > end):
            continue
        own = tuple(f for f in figures[incident.id] if f.scope == "incident")
        if own:
            region = f"{incident.country}-{regions.get(incident.place)}" if incident.place else incident.country
            per_incident.append(IncidentCasualties(
                incident=incident.id, day=day, figures=own,
                party=losing_party(incident, sides.get(incident.id)), region=region))
        for f in figures[incident.id]:
            if f.scope == "cumulative" and f.as_of is not None and (end is None or f.as_of <= end):
                source = sources.get(f.source or "")
                tolls.append(CumulativeToll(party=toll_party(source.affiliation if source else None), figure=f))
    return aggregate(per_incident, tolls, by=by, kind=kind)
