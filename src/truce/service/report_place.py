"""Where an observer report puts what it reports: the one rule an incident
made of observer reports is placed by (``placed_by_reports``), whether an
analyst makes it at the desk or through ``POST /api/incidents``, and that the
daily report's restriction lines follow.

- An observation with bearing and distance: the target the server estimated,
  at ``exact`` precision, with the estimate's radius.
- A restriction or jamming report: the place it names, resolved in the
  gazetteer (its coordinates, ``settlement`` precision, in its country). A
  name the gazetteer does not hold, or holds for two places, is kept as
  given, at ``country`` precision (the country the observers stood in),
  with no coordinates.
- Nothing else. An observer's own standing position is never an incident's:
  the incident would publish where the patrol stood.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..domain.incidents import Incident, Report
from ..domain.precision import GeoPrecision
from ..domain.restrictions import RESTRICTION_KINDS, restriction_details
from ..store.uow import UnitOfWork
from .places import resolve_place

__all__ = ["Placement", "placed_by_reports", "report_placement"]


@dataclass(frozen=True)
class Placement:
    latitude: float | None
    longitude: float | None
    geo_precision: GeoPrecision
    uncertainty_m: float | None  # an estimate's radius; None: the precision's typical one
    country: str | None
    place_id: str | None = None
    place_name: str | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None

    def doubt_m(self) -> float:
        return self.uncertainty_m if self.uncertainty_m is not None else self.geo_precision.uncertainty_m


def _country_at(latitude: float, longitude: float) -> str | None:
    from ..geo.geometry import Theatre, theatre

    return theatre().country_at(*Theatre.project(longitude, latitude))


def report_placement(uow: UnitOfWork, report: Report) -> Placement | None:
    """Where ``report`` (an observer's) puts its event, by the rule above; None
    when it says nothing an incident can be placed by."""
    estimates = report.payload.get("estimates") or []
    if estimates:
        e = estimates[0]
        return Placement(e["latitude"], e["longitude"], GeoPrecision.EXACT, e.get("uncertainty_m"),
                         _country_at(e["latitude"], e["longitude"]))
    if report.kind not in RESTRICTION_KINDS:
        return None
    name = restriction_details(report.kind, report.payload).place_name
    if not name:
        return None
    place = resolve_place(uow, name)
    if place is not None:
        return Placement(place.latitude, place.longitude, GeoPrecision.SETTLEMENT, None, place.country,
                         place.id, place.name)
    stood = (report.payload.get("report") or {}).get("position") or {}
    country = _country_at(stood["latitude"], stood["longitude"]) if stood.get("latitude") is not None else None
    return Placement(None, None, GeoPrecision.COUNTRY, None, country, None, name)


def placed_by_reports(uow: UnitOfWork, incident: Incident, reports: list[Report]) -> Incident:
    """``incident`` placed where its observer reports put their event (the
    most precise of them), when it has no position or gazetteer place of its
    own; unchanged otherwise."""
    if incident.latitude is not None or incident.place is not None:
        return incident
    found = [p for p in (report_placement(uow, r) for r in reports if r.observer) if p is not None]
    if not found:
        return incident
    located = [p for p in found if p.located]
    if located:
        best = min(located, key=Placement.doubt_m)
        return replace(incident, latitude=best.latitude, longitude=best.longitude,
                       geo_precision=best.geo_precision, location_uncertainty_m=best.uncertainty_m,
                       country=incident.country or best.country, place=best.place_id,
                       place_name=best.place_name or incident.place_name)
    if incident.place_name and incident.place_name != found[0].place_name:
        return incident  # named otherwise by the analyst: theirs stands
    best = found[0]
    return replace(incident, geo_precision=best.geo_precision, country=incident.country or best.country,
                   place_name=best.place_name)
