"""Geometry facts for incident points, computed with shapely in metres.

For each point and day: the distance to the line of contact of that day,
the nearest sector, which side holds the ground, the sovereign state, whether
it lies in the disputed region (the 1994-2020 held area), and the nearest
populated place within ``populated_radius_m``. ``truce.geo.postgis``
computes the same facts in the database; tests hold the two to agree.

    >>> from datetime import date
    >>> from truce.geo.geometry import read_line_versions
    >>> engine = FactsEngine(LineHistory(read_line_versions()), [])
    >>> engine.facts(45.73156, 40.1827, date(2020, 10, 14)).sovereign_country
    'AM'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import shapely

from ..domain.violations import GeoFacts
from .geometry import Theatre, theatre, to_metres
from .lines import COUNTRY_SIDE, HELD_AREA_PARTY, LineHistory, LineVersion

__all__ = ["DEFAULT_CONTROL_RADIUS_M", "DEFAULT_POPULATED_RADIUS_M", "FactsEngine", "PlacePoint"]

DEFAULT_POPULATED_RADIUS_M = 2_000.0
DEFAULT_CONTROL_RADIUS_M = 5_000.0

PlacePoint = tuple[str, float, float]  # (place id, longitude, latitude)


class FactsEngine:
    """Computes ``GeoFacts`` for points, one at a time or a million at once."""

    def __init__(self, history: LineHistory, places: Sequence[PlacePoint], *,
                 populated_radius_m: float = DEFAULT_POPULATED_RADIUS_M,
                 control_radius_m: float = DEFAULT_CONTROL_RADIUS_M,
                 geometry: Theatre | None = None):
        self.history = history
        self.theatre = geometry or theatre()
        self.populated_radius_m = populated_radius_m
        self.control_radius_m = control_radius_m
        ordered = sorted(places)
        self.place_ids = np.array([p[0] for p in ordered], dtype=object)
        px, py = to_metres(np.array([p[1] for p in ordered], dtype=float),
                           np.array([p[2] for p in ordered], dtype=float))
        self.place_tree = shapely.STRtree(shapely.points(px, py)) if ordered else None

    def facts(self, longitude: float, latitude: float, day: date) -> GeoFacts:
        return self.facts_many([longitude], [latitude], [day])[0]

    def facts_many(self, longitudes: Sequence[float], latitudes: Sequence[float],
                   days: Sequence[date]) -> list[GeoFacts]:
        """Facts for each (longitude, latitude, day), in order."""
        x, y = to_metres(np.asarray(longitudes, dtype=float), np.asarray(latitudes, dtype=float))
        x, y = np.asarray(x), np.asarray(y)
        countries = self.theatre.countries_at(x, y)
        held = np.asarray(self.theatre.in_held_area(x, y), dtype=bool)
        places = self._nearest_places(x, y)
        version_of = np.asarray(self.history.index_on(days), dtype=int)
        out: list[GeoFacts | None] = [None] * len(x)
        for v in np.unique(version_of):
            idx = np.flatnonzero(version_of == v)
            version = self.history.versions[int(v)]
            points = shapely.points(x[idx], y[idx])
            distances = np.vstack([shapely.distance(points, s.geometry) for s in version.sectors])
            nearest = distances.argmin(axis=0)
            sides = self._sides(version, points, countries[idx], held[idx])
            for k, i in enumerate(idx):
                country = countries[i]
                out[i] = GeoFacts(
                    distance_to_line_m=float(distances[nearest[k], k]),
                    side=sides[k],
                    sector=version.sectors[nearest[k]].name,
                    sovereign_country=country,
                    in_disputed_region=bool(held[i]),
                    populated_place_id=places[i],
                    line_valid_from=version.valid_from,
                )
        return out  # type: ignore[return-value]

    def _sides(self, version: LineVersion, points: np.ndarray, countries: np.ndarray,
               held: np.ndarray) -> list[str | None]:
        sides: list[str | None] = [
            HELD_AREA_PARTY if h else COUNTRY_SIDE.get(c) for c, h in zip(countries, held, strict=True)
        ]
        if not version.changes:
            return sides
        tree = shapely.STRtree(shapely.points([c.xy for c in version.changes]))
        hits, _ = tree.query_nearest(points, max_distance=self.control_radius_m,
                                     return_distance=True, all_matches=False)
        for point_index, change_index in zip(hits[0], hits[1], strict=True):
            sides[point_index] = version.changes[change_index].side
        return sides

    def _nearest_places(self, x: np.ndarray, y: np.ndarray) -> list[str | None]:
        found: list[str | None] = [None] * len(x)
        if self.place_tree is None:
            return found
        hits, _ = self.place_tree.query_nearest(
            shapely.points(x, y), max_distance=self.populated_radius_m,
            return_distance=True, all_matches=False)
        for point_index, place_index in zip(hits[0], hits[1], strict=True):
            found[point_index] = self.place_ids[place_index]
        return found
