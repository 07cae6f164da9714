"""The shipped geometry the map and the static map draw: borders, the
1994-2020 region and the line of contact of a day as the recorded control
changes had moved it (``line_of_day``, drawn by ``truce.geo.lines.line_on``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ..data import DATA_DIR
from ..geo.naming import get_naming, label_rank, place_label
from ..store.uow import UnitOfWork

__all__ = ["MapChange", "MapPlace", "borders", "changes_on", "line_of_day", "map_places", "region"]


@dataclass(frozen=True)
class MapPlace:
    longitude: float
    latitude: float
    label: str


@dataclass(frozen=True)
class MapChange:
    """Ground that changed hands by the day: around ``label`` to ``side`` since ``since``."""

    longitude: float
    latitude: float
    label: str
    side: str
    since: date
    radius_m: float


@lru_cache
def borders() -> dict[str, Any]:
    """Armenia and Azerbaijan as a GeoJSON FeatureCollection."""
    return json.loads((DATA_DIR / "borders.geojson").read_text(encoding="utf-8"))


@lru_cache
def region() -> dict[str, Any]:
    """The 1994-2020 Armenian-held area and the former NKAO outline."""
    return json.loads((DATA_DIR / "nagorno_karabakh.geojson").read_text(encoding="utf-8"))


def map_places(uow: UnitOfWork, min_population: int = 2_000) -> list[MapPlace]:
    """Places a map may label, most important first (``truce.geo.naming``),
    named by the theatre's naming setting."""
    first = set(get_naming().first_labels)
    rows = [p for p in uow.places.in_countries(("AM", "AZ"))
            if (p.population or 0) >= min_population or p.id in first]
    rows.sort(key=lambda p: label_rank(p.id, p.population))
    return [MapPlace(p.longitude, p.latitude, place_label(p.id, p.name)) for p in rows]


def _side_changes(uow: UnitOfWork) -> list[Any]:
    from ..geo.lines import side_changes

    controls = uow.controls.list()
    return side_changes(controls, uow.places.get_many([c.place for c, _n, _g in controls if c.place]))


def line_of_day(uow: UnitOfWork, day: date, radius_m: float) -> dict[str, Any]:
    """The line of contact as it stood on ``day``, moved by the control
    changes recorded for that day and before (``truce.geo.lines.line_on``),
    as a lon/lat FeatureCollection with its ``derivation`` and
    ``changed_ground`` (``RedrawnLine.geojson``)."""
    from ..geo.lines import line_on

    return line_on(_side_changes(uow), day, radius_m).geojson()


def changes_on(uow: UnitOfWork, day: date, radius_m: float) -> list[MapChange]:
    """The ground that had changed hands by ``day``: the latest standing
    change of each place, as the line of contact's history counts them."""
    from ..geo.lines import LineHistory, side_changes

    controls = uow.controls.list()
    places = uow.places.get_many([c.place for c, _n, _g in controls if c.place])
    drawn = uow.monitoring.line_rows()
    if not drawn:
        return []
    version = LineHistory(drawn, side_changes(controls, places)).on(day)
    return [MapChange(c.longitude, c.latitude, place_label(c.place_id, c.place_name), c.side, c.since,
                      radius_m) for c in version.changes if c.since <= day]
