"""The shipped geometry the map and the static map draw: borders, the
1994-2020 region, and the line of contact as it stood on a day."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, select

from ..data import DATA_DIR
from ..store import tables as t

__all__ = ["borders", "lines_on", "region"]


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
