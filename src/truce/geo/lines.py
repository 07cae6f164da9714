"""The line of contact over time: drawn versions, moved by control changes.

Two things date the line:

1. **Drawn versions** (``line_versions`` rows, loaded from
   ``line_of_contact.geojson``): a set of sectors valid from a date.
2. **Control changes** (``controls``, from the verification engine): "party
   P holds place X from day D". Each one derives a new dated version on D.

The side of a point: every point within ``control_radius_m`` (default 5 km)
of a place that changed hands on or before the incident's date is on the new
holder's side; elsewhere the side comes from the polygons (the 1994-2020 held
area is held by the de facto authorities, NKR; Armenia by ARM; the rest of
Azerbaijan by AZE). Distances to the line are measured to the latest *drawn*
version on or before the date. A version's ``valid_from`` is the later of the
two dates, so incident_geo records which state of the line an incident was
judged against.

**The redrawn line** (``line_on``: what every map draws). The ground the
held-area side holds on day D is the 1994-2020 held-area polygon, plus a
disc of ``control_radius_m`` around each place NKR or ARM took on or before
D, minus a disc around each place AZE took on or before D, applied in date
order so that a later change wins where discs overlap. The line of contact
on D is the boundary of that ground, less the stretches that run along an
international border (Armenia-Azerbaijan, Iran) within
``BORDER_TOLERANCE_M``, smoothed and simplified to a readable line.

The approximation, stated: no public vector data of the 2020 wartime front
exists, so the line moves only by discs around the places a control change
names. It cannot know how far beyond the radius ground changed hands, nor
the road an advance took: a place taken deep inside the held area becomes an
island of AZE ground until the places between are recorded, and ground
taken with no place in the gazetteer ("eight villages") moves nothing. The
1994-2020 polygon (Natural Earth 1:10m) and the borders (mledoze, from
Natural Earth) differ by up to ~4 km along the border, hence the tolerance;
on a day with no standing change the line is the pre-war line as that
polygon draws it (within ~1 km of the drawn 1:50m line, ~3 km at its ends).

Discounted control changes move nothing; contested ones do (flagged in
``controls``), as in ``truce control on``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from .geometry import project_geometry, theatre, to_metres, unproject_geometry

__all__ = [
    "BORDER_TOLERANCE_M", "COUNTRY_SIDE", "HELD_AREA_PARTY", "HELD_AREA_SIDES", "LineHistory",
    "LineVersion", "RedrawnLine", "Sector", "SideChange", "line_on", "side_changes",
]

# "Side" is the party holding the ground (a party id, as casualties and
# control use): Armenia holds Armenia, the de facto authorities the
# 1994-2020 held area, Azerbaijan the rest of Azerbaijan, until control moves.
HELD_AREA_PARTY = "NKR"
COUNTRY_SIDE = {"AM": "ARM", "AZ": "AZE"}
HELD_AREA_SIDES = frozenset({HELD_AREA_PARTY, "ARM"})  # a place they take joins the held area
TAKING_SIDE = "AZE"  # a place it takes leaves the held area; any other holder moves nothing

BORDER_TOLERANCE_M = 2_000.0  # a boundary stretch this close to a border is the border
BORDER_HUGGING_M = 5_000.0  # a stretch never farther than this from a border is the border drawn twice
SMOOTHING_M = 750.0  # corners rounded, slivers narrower than twice this closed
SIMPLIFY_M = 200.0  # vertices dropped where the line moves less than this
DISC_SEGMENTS = 16  # per quarter circle


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


@dataclass(frozen=True)
class RedrawnLine:
    """The line of contact of a day, redrawn from the standing control changes
    (``line_on``). Geometries are projected (UTM 38N, metres)."""

    held_area: BaseGeometry  # (Multi)Polygon: the ground the held-area side holds
    line: BaseGeometry  # MultiLineString: the held area's boundary off the international borders
    taken_by_held_side: BaseGeometry  # ground beyond the 1994-2020 area that NKR/ARM took
    taken_by_aze: BaseGeometry  # ground of the 1994-2020 area that AZE took
    changes: tuple[SideChange, ...]  # the changes applied, in date order
    radius_m: float

    @property
    def moved_to(self) -> date | None:
        """The day of the latest change that moved the line (None: the 1994-2020 line)."""
        return self.changes[-1].since if self.changes else None

    def held_at(self, longitude: float, latitude: float) -> bool:
        """Whether the point lies on the held-area (NKR/ARM) side of the line, in Azerbaijan."""
        x, y = to_metres(longitude, latitude)
        return bool(shapely.contains_xy(self.held_area, x, y))

    def geojson(self) -> dict[str, Any]:
        """The line as a lon/lat FeatureCollection of one feature (properties
        ``sector``, ``valid_from``, ``derived``), with two foreign members:
        ``derivation`` (how it was drawn, one sentence) and ``changed_ground``
        (a FeatureCollection of the ground that changed hands, by ``side``)."""
        moved = self.moved_to
        line = {"type": "Feature", "geometry": _lonlat(self.line),
                "properties": {"sector": "line of contact (redrawn)" if moved else "1994-2020 line of contact",
                               "valid_from": moved.isoformat() if moved else "1994",
                               "derived": True, "changes": len(self.changes)}}
        ground = [{"type": "Feature", "geometry": _lonlat(area), "properties": {"side": side}}
                  for side, area in (("AZE", self.taken_by_aze), (HELD_AREA_PARTY, self.taken_by_held_side))
                  if not area.is_empty]
        km = f"{self.radius_m / 1000:g} km"
        derivation = (f"the 1994-2020 line moved by {len(self.changes)} recorded control "
                      f"change{'s' if len(self.changes) != 1 else ''} up to {moved:%-d %b %Y}: a {km} disc "
                      "around each place that changed hands joins its new holder's side (later changes win)"
                      if moved else "the 1994-2020 line: no recorded control change had moved it")
        return {"type": "FeatureCollection", "features": [line], "derivation": derivation,
                "changed_ground": {"type": "FeatureCollection", "features": ground}}


def line_on(changes: Iterable[SideChange], day: date, radius_m: float) -> RedrawnLine:
    """The line of contact as it stood on ``day``: the 1994-2020 held area
    moved by every change of ``changes`` (``side_changes``) since on or before
    ``day``, with discs of ``radius_m`` (see the module docstring).

    Cached by the changes that stand on the day, so every day between two
    changes costs one dictionary look-up after the first.

        >>> line_on([], date(2020, 9, 27), 5000.0).moved_to is None
        True
    """
    standing = tuple(sorted((c for c in changes if c.since <= day), key=lambda c: (c.since, c.control_id)))
    return _redraw(standing, float(radius_m))


@lru_cache(maxsize=256)
def _redraw(changes: tuple[SideChange, ...], radius_m: float) -> RedrawnLine:
    held, azerbaijan, border, near_border = _frame()
    area, discs = held, []
    for change in changes:
        disc = shapely.Point(change.xy).buffer(radius_m, quad_segs=DISC_SEGMENTS)
        if change.side in HELD_AREA_SIDES:
            area = area.union(disc.intersection(azerbaijan))
        elif change.side == TAKING_SIDE:
            area = area.difference(disc)
        else:
            continue
        discs.append(disc)
    area = _smooth(area)
    moved = shapely.union_all(discs)  # smoothing alone changes no hands
    return RedrawnLine(area, _front(area, border, near_border), _polygons(area.difference(held) & moved),
                       _polygons(held.difference(area) & moved), changes, radius_m)


@lru_cache(maxsize=1)
def _frame() -> tuple[BaseGeometry, BaseGeometry, BaseGeometry, BaseGeometry]:
    """The 1994-2020 held area, the ground the held-area side can take
    (Azerbaijan and the held area), the international border near it and
    the border's tolerance zone."""
    geo = theatre()
    held = geo.held_area
    azerbaijan = shapely.union(geo.countries["AZ"], held)
    border = shapely.intersection(shapely.boundary(geo.countries["AZ"]), held.buffer(60_000))
    near_border = border.buffer(BORDER_TOLERANCE_M)
    for geometry in (border, near_border):
        shapely.prepare(geometry)
    return held, azerbaijan, border, near_border


def _smooth(area: BaseGeometry) -> BaseGeometry:
    """Corners rounded and slivers closed (a closing, then an opening), valid polygons."""
    out = area.buffer(SMOOTHING_M, quad_segs=4).buffer(-2 * SMOOTHING_M, quad_segs=4).buffer(SMOOTHING_M, quad_segs=4)
    return _polygons(shapely.make_valid(out.simplify(SIMPLIFY_M / 4)))


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of ``geometry`` (a MultiPolygon, possibly empty)."""
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 1.0]
    return shapely.MultiPolygon([p for g in parts for p in shapely.get_parts(g)]) if parts else shapely.MultiPolygon()


def _front(area: BaseGeometry, border: BaseGeometry, near_border: BaseGeometry) -> BaseGeometry:
    """The stretches of ``area``'s boundary that face the other side, not a border."""
    off_border = shapely.line_merge(shapely.difference(shapely.boundary(area), near_border))
    stretches = []
    for piece in shapely.get_parts(off_border):
        coords = shapely.get_coordinates(piece)
        if len(coords) < 2 or shapely.distance(shapely.points(coords), border).max() < BORDER_HUGGING_M:
            continue
        stretch = piece.simplify(SIMPLIFY_M)
        if not stretch.is_closed:
            stretch = _to_border(stretch, border)
        if stretch.is_valid and len(stretch.coords) >= 2:
            stretches.append(stretch)
    return shapely.MultiLineString(stretches)


def _to_border(stretch: BaseGeometry, border: BaseGeometry) -> BaseGeometry:
    """``stretch`` with each end that stopped at the border tolerance carried onto the border."""
    coords = [tuple(c) for c in stretch.coords]
    for at in (0, -1):
        end = shapely.Point(coords[at])
        if shapely.distance(end, border) <= 2 * BORDER_TOLERANCE_M:
            _end, on_border = nearest_points(end, border)
            if at == 0:
                coords.insert(0, (on_border.x, on_border.y))
            else:
                coords.append((on_border.x, on_border.y))
    return shapely.LineString(coords)


def _lonlat(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON in lon/lat, to 1e-5 degree (~1 m), polygons' outer rings
    counter-clockwise and holes clockwise (as RFC 7946 asks)."""
    return dict(mapping(shapely.orient_polygons(shapely.set_precision(unproject_geometry(geometry), 1e-5))))
