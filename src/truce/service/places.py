"""Finding places in any spelling, and who held them on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from ..domain.grades import Grade
from ..domain.places import Place, fold_name
from ..store.uow import UnitOfWork

__all__ = ["PlaceMatch", "search_places", "controller_on"]


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    matched_name: str
    score: float  # 100 for an exact spelling match
    controller: str | None = None
    control_grade: Grade | None = None


def controller_on(uow: UnitOfWork, place_id: str, day: date) -> tuple[str | None, Grade | None]:
    """The party holding ``place_id`` on ``day`` by the latest standing control
    change up to that day, and its grade; (None, None) if none is recorded."""
    from ..domain.control import controller_on as standing
    from .control import control_changes

    changes, _names = control_changes(uow)
    state = standing(changes, place_id, day)
    return (state.party, state.grade) if state else (None, None)


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
            matches.append(PlaceMatch(places[place_id], spelled, float(score)))
    matches = matches[:limit]
    if on is not None:
        matches = [
            PlaceMatch(m.place, m.matched_name, m.score, *controller_on(uow, m.place.id, on))
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
    from sqlalchemy import select

    from ..store import tables as t

    query = (select(t.incidents.c.place_name, t.incidents.c.country, t.incidents.c.geo_precision,
                    t.incidents.c.id)
             .where(t.incidents.c.place_id.is_(None), t.incidents.c.place_name.is_not(None))
             .order_by(t.incidents.c.place_name, t.incidents.c.id))
    grouped: dict[str, list] = {}
    for name, country, precision, incident_id in uow.connection.execute(query):
        grouped.setdefault(name, [country, precision, []])[2].append(incident_id)
    return [UnresolvedPlace(name, country, precision, tuple(ids))
            for name, (country, precision, ids) in grouped.items()]
