"""The theatre's fixed geometry, projected once to metres.

Borders (AM, AZ), the 1994-2020 Armenian-held area and the dated line of
contact are read from ``truce/data`` and projected with pyproj to UTM zone
38N (EPSG:32638, metres). Every distance and buffer in truce is computed in
that projection, never in degrees: across the theatre (44-51 E) the UTM
scale error stays under 0.1 %, well inside the precision of the data.

    >>> t = theatre()
    >>> t.country_at(*t.project(45.73156, 40.1827))   # Vardenis
    'AM'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..data import DATA_DIR

__all__ = [
    "METRIC_CRS",
    "Theatre",
    "project_geometry",
    "read_line_versions",
    "theatre",
    "to_lonlat",
    "to_metres",
    "unproject_geometry",
]

METRIC_CRS = "EPSG:32638"
_TO_METRES = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def to_metres(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Longitude/latitude (scalars or arrays) -> UTM 38N x, y in metres."""
    return _TO_METRES.transform(lon, lat)


def to_lonlat(x: Any, y: Any) -> tuple[Any, Any]:
    """UTM 38N x, y in metres (scalars or arrays) -> longitude/latitude."""
    return _TO_LONLAT.transform(x, y)


def unproject_geometry(geometry: BaseGeometry) -> BaseGeometry:
    """A UTM 38N shapely geometry back in lon/lat (the inverse of ``project_geometry``)."""
    def move(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_lonlat(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])
    return shapely.transform(geometry, move)


def project_geometry(geometry: BaseGeometry) -> BaseGeometry:
    """A lon/lat shapely geometry in UTM 38N metres."""
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = to_metres(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])
    return shapely.transform(geometry, move)


def read_line_versions(path: Path | None = None) -> list[tuple[date, str, dict[str, Any]]]:
    """(valid_from, sector, GeoJSON geometry) for each dated sector of the line file."""
    path = path or DATA_DIR / "line_of_contact.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [(date.fromisoformat(f["properties"]["valid_from"]),
             f["properties"].get("sector", "line of contact"), f["geometry"]) for f in features]


@dataclass(frozen=True)
class Theatre:
    """Projected borders and disputed region, prepared for fast point tests.

    ``countries`` maps ISO alpha-2 to a projected (Multi)Polygon;
    ``held_area`` is the 1994-2020 Armenian-held area (NK plus the districts
    around it); both are lon/lat in ``*_lonlat`` for the PostGIS back end.
    """

    countries: dict[str, BaseGeometry]
    held_area: BaseGeometry
    countries_lonlat: dict[str, dict[str, Any]]
    held_area_lonlat: dict[str, Any]

    @staticmethod
    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = to_metres(lon, lat)
        return float(x), float(y)

    def country_at(self, x: float, y: float) -> str | None:
        """ISO code of the state whose de jure territory holds the point, else None."""
        for iso, area in self.countries.items():
            if shapely.contains_xy(area, x, y):
                return iso
        return None

    def countries_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Vectorised ``country_at``: an object array of ISO codes or None."""
        found = np.full(len(x), None, dtype=object)
        for iso, area in self.countries.items():
            found[shapely.contains_xy(area, x, y) & (found == None)] = iso  # noqa: E711
        return found

    def in_held_area(self, x: Any, y: Any) -> Any:
        return shapely.contains_xy(self.held_area, x, y)


@lru_cache(maxsize=1)
def theatre(data_dir: Path = DATA_DIR) -> Theatre:
    """Load and project the theatre geometry once per process."""
    borders = json.loads((data_dir / "borders.geojson").read_text(encoding="utf-8"))
    region = json.loads((data_dir / "nagorno_karabakh.geojson").read_text(encoding="utf-8"))
    countries_lonlat = {f["properties"]["iso2"]: f["geometry"] for f in borders["features"]}
    held = next(f["geometry"] for f in region["features"]
                if f["properties"].get("kind") == "held_area_1994_2020")
    countries = {iso: project_geometry(shape(g)) for iso, g in countries_lonlat.items()}
    held_area = project_geometry(shape(held))
    for geometry in (*countries.values(), held_area):
        shapely.prepare(geometry)
    return Theatre(countries, held_area, countries_lonlat, held)
