"""Duplicate candidates: reports or incidents that may describe the same event.

Two items are proposed for merging when their time windows overlap or lie
within ``hours`` of each other, their places are within ``metres`` (or, for
items without coordinates, name the same place id), and their event types are
compatible. An incident known only at country or region precision is an
area, not a point: it pairs with an incident of the same event type lying in
that country, whatever the distance to the area's stand-in point, only when
their time windows overlap (the same day, not within ``hours``) and the other
is located more precisely (two areas share no place). A country-level
location is never a place match on its own. An analyst confirms; nothing is
merged here.

``match(a, b)`` is the one rule that judges a pair: the duplicate finder
applies it to every nearby pair, and the review queue to an accepted
proposal against each stored incident, so "these are one event" means the
same thing in both places. ``HOURS`` and ``METRES`` are the tolerances both
use. An area may be narrowed by an injected ``within(area, other)`` test
(geo knows which region a place lies in; the domain does not).

To scale, items are bucketed by day (every day their window, widened by
``hours``, touches) and, within a day, into a grid of cells at least
``metres`` wide, so only items in the same or neighbouring cells are compared:
close to linear in the number of items for a realistic spread. Distance is
injected (``distance_m``) so ``geo/`` can supply its own; the default is a
haversine on a sphere, in pure math.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .incidents import Incident, Report
from .places import fold_name
from .precision import GeoPrecision

__all__ = ["HOURS", "METRES", "Candidate", "compatible_types", "duplicate_candidates", "haversine_m",
           "match"]

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEGREE = 111_320.0
Point = tuple[float, float]  # (latitude, longitude)
HOURS = 12.0  # how far apart in time two items may be and still be one event
METRES = 10_000.0  # how far apart two located items may be
Within = Callable[[Any, Any], bool]  # (area item, other item) -> does the other lie in the area


@dataclass(frozen=True)
class Candidate:
    """A proposed merge of items ``a`` and ``b`` (ids, a < b), scored 0..1, with reasons."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two (latitude, longitude) points.

    >>> round(haversine_m((40.68, 46.36), (40.68, 46.36)))
    0
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2
    ) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


_RELATED = {frozenset({"Battles", "Explosions/Remote violence"})}


def compatible_types(a: str | None, b: str | None) -> float | None:
    """How well two ACLED event types match: 1.0 same, 0.5 unknown or related, None not."""
    if a is None or b is None:
        return 0.5
    if a == b:
        return 1.0
    return 0.5 if frozenset({a, b}) in _RELATED else None


@dataclass(frozen=True)
class _Item:
    id: str
    start: datetime
    end: datetime
    point: Point | None
    place: str | None
    event_type: str | None
    incident: str | None
    country: str | None = None
    area: bool = False  # known only to a country or region
    obj: Any = None  # the report or incident itself, for an injected ``within``


AREA_PRECISIONS = (GeoPrecision.COUNTRY, GeoPrecision.REGION)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def _item(obj: Report | Incident) -> _Item:
    place: str | None
    event_type: str | None
    incident: str | None
    if isinstance(obj, Incident):
        start, end = obj.start, obj.end
        place, event_type, incident = obj.place, obj.event_type, obj.id
        if place is None and obj.place_name:  # a name the gazetteer lacks: the name is the place
            place = f"name:{fold_name(obj.place_name)}"
    else:
        start = end = obj.observed_at or obj.received
        place = obj.payload.get("place")
        event_type = obj.payload.get("event_type")
        incident = obj.incident
    point = None
    if obj.latitude is not None and obj.longitude is not None:
        point = (obj.latitude, obj.longitude)
    country = obj.country if isinstance(obj, Incident) else None
    area = isinstance(obj, Incident) and obj.geo_precision in AREA_PRECISIONS and bool(country)
    return _Item(obj.id, _utc(start), _utc(end), point, place, event_type, incident, country, area,
                 obj)


def _gap_hours(a: _Item, b: _Item) -> float:
    gap = max(a.start, b.start) - min(a.end, b.end)
    return max(0.0, gap.total_seconds() / 3600)


def duplicate_candidates(
    items: Iterable[Report | Incident],
    *,
    hours: float = HOURS,
    metres: float = METRES,
    distance_m: Callable[[Point, Point], float] = haversine_m,
    compatible: Callable[[str | None, str | None], float | None] = compatible_types,
    within: Within | None = None,
) -> list[Candidate]:
    """Propose merges among reports and/or incidents.

    Takes the items, the time tolerance in hours, the distance tolerance in
    metres, a distance function on (lat, lon) points, an event-type matcher
    and an optional area test (see ``match``). Returns candidates, best score
    first. Pairs already in the same incident are not proposed.
    """
    pool = [_item(obj) for obj in items]
    widen = timedelta(hours=hours)
    max_lat = max((abs(i.point[0]) for i in pool if i.point), default=0.0)
    lat_cell = max(metres, 1.0) * 1.05 / _M_PER_DEGREE
    lon_cell = lat_cell / max(math.cos(math.radians(min(max_lat, 89.0))), 0.01)
    buckets: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for n, item in enumerate(pool):
        day = (item.start - widen).date()
        while day <= (item.end + widen).date():
            if item.point is not None:
                cell = (math.floor(item.point[0] / lat_cell), math.floor(item.point[1] / lon_cell))
                buckets[("grid", day, *cell)].append(n)
            if item.place is not None:
                buckets[("place", day, item.place)].append(n)
            if item.country:
                buckets[("country", day, item.country)].append(n)
                if item.area:
                    buckets[("area", day, item.country)].append(n)
            day += timedelta(days=1)
    seen: set[tuple[int, int]] = set()
    found: list[Candidate] = []
    for key, members in buckets.items():
        if key[0] == "grid":
            _, day, row, col = key
            near: Sequence[int] = [
                m for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                for m in buckets.get(("grid", day, row + dr, col + dc), ())
            ]
        elif key[0] == "country":
            continue  # compared from the "area" buckets only: an area against its country
        elif key[0] == "area":
            near = buckets[("country", key[1], key[2])]
        else:
            near = members
        for i in members:
            for j in near:
                pair = (min(i, j), max(i, j))
                if i == j or pair in seen:
                    continue
                seen.add(pair)
                candidate = _judge(pool[pair[0]], pool[pair[1]], hours, metres, distance_m,
                                   compatible, within)
                if candidate is not None:
                    found.append(candidate)
    return sorted(found, key=lambda c: (-c.score, c.a, c.b))


def match(
    a: Report | Incident,
    b: Report | Incident,
    *,
    hours: float = HOURS,
    metres: float = METRES,
    distance_m: Callable[[Point, Point], float] = haversine_m,
    compatible: Callable[[str | None, str | None], float | None] = compatible_types,
    within: Within | None = None,
) -> Candidate | None:
    """Whether two items may be one event: a scored ``Candidate`` with its
    reasons, or None. The same rule ``duplicate_candidates`` applies to each
    pair it compares; ``within(area, other)``, when given, must also hold for
    an item known only to a country or region and the item said to lie in it.
    """
    return _judge(_item(a), _item(b), hours, metres, distance_m, compatible, within)


def _judge(
    a: _Item, b: _Item, hours: float, metres: float,
    distance_m: Callable[[Point, Point], float],
    compatible: Callable[[str | None, str | None], float | None],
    within: Within | None = None,
) -> Candidate | None:
    if a.incident is not None and a.incident == b.incident:
        return None
    gap = _gap_hours(a, b)
    if gap > hours:
        return None
    type_score = compatible(a.event_type, b.event_type)
    if type_score is None:
        return None
    reasons = ["time windows overlap" if gap == 0 else f"{gap:.1f} h apart"]
    if a.area and b.area and not (a.place is not None and a.place == b.place):
        return None  # two records known only to an area share no place: no place match
    if (a.area or b.area) and a.country and a.country == b.country:
        if a.event_type != b.event_type or a.event_type is None:
            return None  # an area is wide: only the same type of event pairs inside it
        if gap > 0:
            return None  # nor does the time tolerance widen it: the same day only
        place_score = 0.3
        wide, other = (a, b) if a.area else (b, a)
        if within is not None and not within(wide.obj, other.obj):
            return None
        reasons.append(f"{wide.id} is known only to {wide.country}; {other.id} lies in it")
    elif a.point is not None and b.point is not None:
        d = distance_m(a.point, b.point)
        if d > metres:
            return None
        place_score = 1.0 - d / metres if metres > 0 else 1.0
        reasons.append(f"{d / 1000:.1f} km apart")
    elif a.place is not None and a.place == b.place:
        place_score = 0.5
        reasons.append(f"same place {a.place.removeprefix('name:')}")
    else:
        return None
    time_score = 1.0 - gap / hours if hours > 0 else 1.0
    if a.event_type == b.event_type and a.event_type is not None:
        reasons.append(f"same type {a.event_type}")
    else:
        reasons.append(f"types compatible: {a.event_type or 'unknown'} / "
                       f"{b.event_type or 'unknown'}")
    score = round(0.4 * time_score + 0.4 * place_score + 0.2 * type_score, 3)
    x, y = (a, b) if a.id <= b.id else (b, a)
    return Candidate(x.id, y.id, score, tuple(reasons))
