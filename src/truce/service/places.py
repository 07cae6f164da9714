"""Finding places in any spelling, and who held them on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from ..domain.grades import Grade
from ..domain.places import Place, fold_name
from ..geo.lines import COUNTRY_SIDE, HELD_AREA_PARTY
from ..store.uow import UnitOfWork

__all__ = ["PlaceMatch", "controller_on", "resolve_place", "search_places"]


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    matched_name: str
    score: float  # 100 for an exact spelling match
    controller: str | None = None
    control_grade: Grade | None = None
    control_basis: str | None = None  # "recorded change of <date>" or the baseline line


BASELINE = "held as on the line of contact of 27 September 2020"


def baseline_controller(place: Place) -> str | None:
    """Who held a place when the war began: the Nagorno-Karabakh authorities
    inside the 1994-2020 Armenian-held area, else the state it lies in."""
    from ..geo.geometry import theatre

    area = theatre()
    x, y = area.project(place.longitude, place.latitude)
    if area.in_held_area(x, y):
        return HELD_AREA_PARTY
    return COUNTRY_SIDE.get(place.country)


def controller_on(uow: UnitOfWork, place: Place, day: date) -> tuple[str | None, Grade | None, str]:
    """(party, grade, basis) for who held ``place`` on ``day``: the latest standing
    control change up to that day with its grade, else the pre-war baseline."""
    from ..domain.control import controller_on as standing
    from .control import control_changes

    changes, _names = control_changes(uow)
    state = standing(changes, place.id, day)
    if state:
        return state.party, state.grade, f"recorded change of {state.since}"
    return baseline_controller(place), None, BASELINE


def resolve_place(uow: UnitOfWork, name: str, country: str | None = None) -> Place | None:
    """The one gazetteer place ``name`` spells exactly (in any script or
    transliteration; in ``country`` if given), or None when it spells none or
    several (two Martunis stay unresolved)."""
    matches = [p for p in uow.places.find_exact(name) if country is None or p.country == country.upper()]
    return matches[0] if len(matches) == 1 else None


def search_places(uow: UnitOfWork, name: str, *, on: date | None = None,
                  limit: int = 10, min_score: float = 85.0) -> list[PlaceMatch]:
    """Exact spelling matches first (any script or transliteration), then
    close fuzzy matches; each with its controller on ``on`` if given."""
    matches: list[PlaceMatch] = []
    for place in uow.places.find_exact(name):
        matches.append(PlaceMatch(place, name, 100.0))
    if not matches:
        key = fold_name(name)
        names = uow.places.all_names()
        keys = [k for k, _n, _p in names]
        best: dict[str, tuple[float, str]] = {}
        for _key, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 3):
            if score < min_score:
                continue
            _k, spelled, place_id = names[index]
            if place_id not in best or best[place_id][0] < score:
                best[place_id] = (score, spelled)
        places = uow.places.get_many(list(best))
        for place_id, (score, spelled) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            if place_id in places:  # a place removed since its names were read: nothing to show
                matches.append(PlaceMatch(places[place_id], spelled, float(score)))
    matches = matches[:limit]
    if on is not None:
        matches = [
            PlaceMatch(m.place, m.matched_name, m.score, *controller_on(uow, m.place, on))
            for m in matches
        ]
    return matches


@dataclass(frozen=True)
class UnresolvedPlace:
    name: str
    country: str | None
    precision: str
    incident_ids: tuple[str, ...]


def unresolved_places(uow: UnitOfWork) -> list[UnresolvedPlace]:
    """Names of places in incidents with no gazetteer entry, grouped by name."""
    grouped: dict[str, list] = {}
    for name, country, precision, incident_id in uow.incidents.unresolved_place_rows():
        grouped.setdefault(name, [country, precision, []])[2].append(incident_id)
    return [UnresolvedPlace(name, country, precision, tuple(ids))
            for name, (country, precision, ids) in grouped.items()]
