"""The line of contact over time: drawn versions, moved by control changes.

Two things date the line:

1. **Drawn versions** (``line_versions`` rows, loaded from
   ``line_of_contact.geojson``): a set of sectors valid from a date.
2. **Control changes** (``controls``, from the verification engine): "party
   P holds place X from day D". Each one derives a new dated version on D.

The approximation, stated: a control change does not redraw the line's
geometry (no public vector data of the 2020 wartime front exists). It moves
the *side* of the ground around the place: every point within
``control_radius_m`` (default 5 km) of a place that changed hands on or
before the incident's date is on the new holder's side; elsewhere the side
comes from the polygons (the 1994-2020 held area is held by the de facto
authorities, NKR; Armenia by ARM; the rest of Azerbaijan by AZE). Distances to
the line are measured to the latest *drawn* version on or before the date.
A version's ``valid_from`` is the later of the two dates, so incident_geo
records which state of the line an incident was judged against.

Discounted control changes move nothing; contested ones do (flagged in
``controls``), as in ``truce control on``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .geometry import project_geometry, to_metres

__all__ = [
    "COUNTRY_SIDE", "HELD_AREA_PARTY", "LineHistory", "LineVersion",
    "Sector", "SideChange", "side_changes",
]

# "Side" is the party holding the ground (a party id, as casualties and
# control use): Armenia holds Armenia, the de facto authorities the
# 1994-2020 held area, Azerbaijan the rest of Azerbaijan, until control moves.
HELD_AREA_PARTY = "NKR"
COUNTRY_SIDE = {"AM": "ARM", "AZ": "AZE"}


@dataclass(frozen=True)
class Sector:
    name: str
    geometry: BaseGeometry  # projected, metres
    geojson: Mapping[str, Any]  # lon/lat, for PostGIS


@dataclass(frozen=True)
class SideChange:
    """A place that changed hands: from ``since`` its surroundings are held by ``side`` (a party id)."""

    place_id: str
    place_name: str
    longitude: float
    latitude: float
    side: str
    since: date
    control_id: str

    @property
    def xy(self) -> tuple[float, float]:
        x, y = to_metres(self.longitude, self.latitude)
        return float(x), float(y)


@dataclass(frozen=True)
class LineVersion:
    """The line as it stood from ``valid_from``: drawn sectors plus places that changed side."""

    valid_from: date
    drawn_from: date
    sectors: tuple[Sector, ...]
    changes: tuple[SideChange, ...]  # the latest change of each place up to valid_from


class LineHistory:
    """Every dated version; ``on(day)`` gives the one an incident of that day is judged by."""

    def __init__(self, drawn: Iterable[tuple[date, str, Mapping[str, Any]]],
                 changes: Iterable[SideChange] = ()):
        by_date: dict[date, list[Sector]] = {}
        for valid_from, name, geojson in drawn:
            by_date.setdefault(valid_from, []).append(
                Sector(name, project_geometry(shape(geojson)), geojson))
        if not by_date:
            raise ValueError("no line of contact: load the theatre's line versions first")
        self.drawn_dates = sorted(by_date)
        self._drawn = by_date
        self.changes = sorted(changes, key=lambda c: (c.since, c.control_id))
        dates = sorted(set(self.drawn_dates) | {c.since for c in self.changes})
        self.versions = [self._build(d) for d in dates]
        self._dates = [v.valid_from for v in self.versions]

    def _build(self, day: date) -> LineVersion:
        i = bisect.bisect_right(self.drawn_dates, day) - 1
        drawn_from = self.drawn_dates[max(i, 0)]
        latest: dict[str, SideChange] = {}
        for change in self.changes:
            if change.since <= day:
                latest[change.place_id] = change
        return LineVersion(day, drawn_from, tuple(self._drawn[drawn_from]),
                           tuple(sorted(latest.values(), key=lambda c: c.place_id)))

    def on(self, day: date) -> LineVersion:
        """The version in force on ``day`` (the earliest one for days before it)."""
        i = bisect.bisect_right(self._dates, day) - 1
        return self.versions[max(i, 0)]

    def index_on(self, days: Sequence[date]) -> list[int]:
        return [max(bisect.bisect_right(self._dates, d) - 1, 0) for d in days]


def side_changes(controls: Iterable[tuple[Any, str, Any]],
                 places: Mapping[str, Any]) -> list[SideChange]:
    """Side changes from ``uow.controls.list()`` rows and the places they name.

    Changes with no place in the gazetteer (e.g. "eight villages") or a
    discounted grade are left out: they cannot be put on a map.
    """
    found = []
    for control, place_name, grade in controls:
        place = places.get(control.place)
        if place is None or getattr(grade, "value", grade) == "discounted":
            continue
        found.append(SideChange(place.id, place_name, place.longitude, place.latitude, control.party,
                                control.start, control.id))
    return found
