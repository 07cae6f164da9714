"""The shipped geometry the map and the static map draw: borders, the
1994-2020 region, and the line of contact as it stood on a day."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, select

from ..data import DATA_DIR
from ..geo.naming import get_naming, label_rank, place_label
from ..store import tables as t

__all__ = ["MapChange", "MapPlace", "borders", "changes_on", "lines_on", "map_places", "region"]


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


def lines_on(conn: Connection, day: date) -> dict[str, Any]:
    """Each sector's latest line version valid on ``day``, as a FeatureCollection."""
    lv = t.line_versions.c
    latest = (select(lv.sector, func.max(lv.valid_from).label("valid_from"))
              .where(lv.valid_from <= day).group_by(lv.sector).subquery())
    query = (select(lv.sector, lv.valid_from, lv.geojson)
             .join(latest, (latest.c.sector == lv.sector) & (latest.c.valid_from == lv.valid_from))
             .order_by(lv.sector))
    features = [{"type": "Feature", "geometry": geometry,
                 "properties": {"sector": sector, "valid_from": valid_from.isoformat()}}
                for sector, valid_from, geometry in conn.execute(query)]
    # a sector redrawn later replaces the earlier version only where both exist
    return {"type": "FeatureCollection", "features": features}


def map_places(conn: Connection, min_population: int = 2_000) -> list[MapPlace]:
    """Places a map may label, most important first (``truce.geo.naming``),
    named by the theatre's naming setting."""
    p = t.places.c
    rows = conn.execute(select(p.id, p.name, p.latitude, p.longitude, p.population)
                        .where(p.country.in_(("AM", "AZ")))).all()
    first = set(get_naming().first_labels)
    rows = [r for r in rows if (r.population or 0) >= min_population or r.id in first]
    rows.sort(key=lambda r: label_rank(r.id, r.population))
    return [MapPlace(r.longitude, r.latitude, place_label(r.id, r.name)) for r in rows]


def changes_on(conn: Connection, day: date, radius_m: float) -> list[MapChange]:
    """The ground that had changed hands by ``day``: the latest standing
    change of each place, as the line of contact's history counts them."""
    from ..geo.lines import LineHistory, side_changes
    from ..store.repositories import ControlRepository, PlaceRepository

    controls = ControlRepository(conn).list()
    places = PlaceRepository(conn).get_many([c.place for c, _n, _g in controls if c.place])
    lv = t.line_versions.c
    drawn = [(r.valid_from, r.sector, r.geojson) for r in conn.execute(select(lv.valid_from, lv.sector, lv.geojson))]
    if not drawn:
        return []
    version = LineHistory(drawn, side_changes(controls, places)).on(day)
    return [MapChange(c.longitude, c.latitude, place_label(c.place_id, c.place_name), c.side, c.since,
                      radius_m) for c in version.changes if c.since <= day]
