"""The daily report's map (Matplotlib, PNG): a real map of the day.

Drawn in kilometres on a local equirectangular projection centred on the
view, so the scale bar is true to within a few per cent across the theatre.
It shows the borders, the 1994-2020 region, the line of contact as it stood
that day (redrawn by ``truce.geo.lines.line_on`` from the control changes
recorded by then) over the ground that had changed hands, hatched,
every located incident of the day (coloured by type, shaped by grade), the
places users look for first labelled without overlapping markers or each
other, a scale bar, a north arrow and an inset of the whole theatre. No
latitude/longitude axes.

Colours keep apart what could be confused: land outside Armenia and
Azerbaijan (Iran, Georgia, Turkey, Russia) is a neutral grey, never a
party's colour; the ground that had changed hands is hatched in its new
holder's colour (no incident marker is hatched) and its places are labelled
outside their discs, above every shade.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from .geometry import MapChange, MapPlace, borders, region  # noqa: E402
from .style import GRADE_MARKERS, party_colour, type_colour  # noqa: E402

__all__ = ["DrawnMap", "draw_map", "static_map", "view_of"]

THEATRE = (44.0, 38.3, 50.7, 42.0)  # lon/lat box of Armenia and Azerbaijan, for the inset
CORE = (45.6, 38.95, 47.85, 40.75)  # the line of contact, the towns around it, the Araks below Zangilan
KM_PER_DEG_LAT = 110.57
LINE_COLOUR = "#b2182b"
CHANGED_ALPHA = 0.10  # the changed ground: a light tint of its holder's colour under the line
CHANGED_HATCH = "//////"  # ...and hatched in it: no incident marker is hatched
OUTSIDE = "#d0d0d0"  # land outside Armenia and Azerbaijan: neutral grey
LAND = "#f2efe9"
# Where a neighbour's name is printed when the view shows it (lon, lat: south of the Araks).
NEIGHBOURS = (("IRAN", 47.45, 39.12),)
MARKER_PX = 9.0


class _Projection:
    """Kilometres east and north of a centre (equirectangular)."""

    def __init__(self, lon0: float, lat0: float):
        self.lon0, self.lat0 = lon0, lat0
        self.kx = KM_PER_DEG_LAT * 1.0037 * math.cos(math.radians(lat0))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * KM_PER_DEG_LAT


def view_of(points: Sequence[tuple[float, float, str, str | None]]) -> tuple[float, float, float, float]:
    """The lon/lat box the main map shows: the line of contact and its towns,
    widened to every located incident of the day inside the theatre."""
    x0, y0, x1, y1 = CORE
    for lon, lat, *_rest in points:
        if THEATRE[0] <= lon <= THEATRE[2] and THEATRE[1] <= lat <= THEATRE[3]:
            x0, y0, x1, y1 = min(x0, lon - 0.15), min(y0, lat - 0.12), max(x1, lon + 0.15), max(y1, lat + 0.12)
    return x0, y0, x1, y1


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind in ("Polygon", "MultiPolygon") and not coords:
        return []
    if kind == "Polygon":
        return [coords[0]]
    if kind == "MultiPolygon":
        return [poly[0] for poly in coords]
    if kind == "LineString":
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    return []


def _xy(project: _Projection, ring: Sequence[Sequence[float]]) -> tuple[list[float], list[float]]:
    xs, ys = zip(*(project(lon, lat) for lon, lat, *_ in ring), strict=True)
    return list(xs), list(ys)


def _base(ax: Any, project: _Projection, line: dict[str, Any], *, detail: bool) -> None:
    ax.set_facecolor(OUTSIDE)  # the data hold Armenia and Azerbaijan only: the rest is their neighbours
    for feature in borders()["features"]:
        for ring in _rings(feature["geometry"]):
            ax.fill(*_xy(project, ring), facecolor=LAND, edgecolor="#6b6b6b",
                    linewidth=0.7 if detail else 0.4, zorder=1)
    for feature in region()["features"]:
        if feature["properties"].get("kind") != "held_area_1994_2020":
            continue
        for ring in _rings(feature["geometry"]):
            ax.fill(*_xy(project, ring), facecolor="#e4dccf", edgecolor="#8c7b5f",
                    linewidth=0.5, linestyle="--", zorder=2)
    for feature in line.get("changed_ground", {}).get("features", []):
        colour = party_colour(feature["properties"]["side"])
        for path in _polygon_paths(project, feature["geometry"]):
            ax.add_patch(PathPatch(path, facecolor=colour, edgecolor="none", alpha=CHANGED_ALPHA, zorder=2.5))
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, hatch=CHANGED_HATCH if detail else None,
                                   linewidth=0, alpha=0.55, zorder=2.6))
    for feature in line["features"]:
        for ring in _rings(feature["geometry"]):
            ax.plot(*_xy(project, ring), color=LINE_COLOUR, linewidth=1.8 if detail else 0.9, zorder=3,
                    solid_joinstyle="round", solid_capstyle="round")


def _equal_limits(fig: Any, ax: Any, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """``box`` (km) widened about its centre to the axes' own proportions, so a
    kilometre is as long east as north without Matplotlib moving the limits."""
    x0, y0, x1, y1 = box
    position = ax.get_position()
    width, height = fig.get_size_inches()
    ratio = (position.height * height) / (position.width * width)  # height / width of the axes
    if (y1 - y0) / (x1 - x0) < ratio:
        grow = ((x1 - x0) * ratio - (y1 - y0)) / 2
        return x0, y0 - grow, x1, y1 + grow
    grow = ((y1 - y0) / ratio - (x1 - x0)) / 2
    return x0 - grow, y0, x1 + grow, y1


def _polygon_paths(project: _Projection, geometry: dict[str, Any]) -> list[MplPath]:
    """One path per part of a (Multi)Polygon, holes cut out (its rings are
    oriented, outer counter-clockwise, so the non-zero rule leaves holes empty)."""
    kind, coords = geometry["type"], geometry["coordinates"]
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    paths = []
    for polygon in polygons:
        vertices: list[tuple[float, float]] = []
        codes: list[int] = []
        for ring in polygon:
            vertices.extend(zip(*_xy(project, ring), strict=True))
            codes.extend([MplPath.MOVETO, *[MplPath.LINETO] * (len(ring) - 2), MplPath.CLOSEPOLY])
        paths.append(MplPath(vertices, codes))
    return paths


def _overlaps(box: Bbox, taken: Sequence[Bbox]) -> bool:
    return any(box.overlaps(other) for other in taken)


def _label_places(fig: Any, ax: Any, project: _Projection, places: Sequence[MapPlace],
                  markers: Sequence[tuple[float, float]], limit: int, reserved: Sequence[Bbox] = (),
                  clear_pt: Callable[[MapPlace], float] = lambda _p: 0.0) -> list[str]:
    """Dot and label places in the order given (most important first), each
    label beside its dot where it overlaps no marker, dot or earlier label,
    and ``clear_pt(place)`` points or more from the dot (a changed place's
    label outside its disc); a place whose label fits nowhere is left
    unlabelled. Returns the labels drawn."""
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    frame = ax.get_window_extent(renderer)
    taken = [Bbox.from_bounds(x - MARKER_PX / 2 - 1, y - MARKER_PX / 2 - 1, MARKER_PX + 2, MARKER_PX + 2)
             for x, y in (to_px(m) for m in markers)]
    taken.extend(reserved)  # the inset, the north arrow, the scale bar
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    shown: list[str] = []
    for place in places:
        if len(shown) >= limit:
            break
        x, y = project(place.longitude, place.latitude)
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        px, py = to_px((x, y))
        dot = Bbox.from_bounds(px - 2.5, py - 2.5, 5, 5)
        under_marker = _overlaps(dot, taken[:len(markers)])  # an incident there: label the marker
        if not under_marker and _overlaps(dot, taken):
            continue
        gap = max(MARKER_PX * 0.6 if under_marker else 5, clear_pt(place) + 2)
        for dx, dy, ha, va in ((gap, 0, "left", "center"), (-gap, 0, "right", "center"),
                               (0, gap, "center", "bottom"), (0, -gap, "center", "top")):
            text = ax.annotate(place.label, (x, y), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=6.2, color="#222222", zorder=9, annotation_clip=False,
                               bbox={"boxstyle": "square,pad=0.08", "facecolor": "white",
                                     "edgecolor": "none", "alpha": 0.9})
            box = text.get_window_extent(renderer).expanded(1.02, 1.08)
            if frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1) \
                    and not _overlaps(box, taken if under_marker else [*taken, dot]):
                taken.extend([box] if under_marker else [box, dot])
                if not under_marker:
                    ax.plot([x], [y], marker="o", markersize=2.6, color="#1a1a1a",
                            markeredgecolor="white", markeredgewidth=0.5, linestyle="", zorder=5)
                shown.append(place.label)
                break
            text.remove()
    return shown


def _scale_bar(ax: Any) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = (x1 - x0) / 5
    length = next(n for n in (100, 50, 25, 20, 10, 5) if n <= span)
    left, bottom = x1 - (x1 - x0) * 0.04 - length, y0 + (y1 - y0) * 0.05
    height = (y1 - y0) * 0.008
    for n in range(2):
        ax.add_patch(Rectangle((left + n * length / 2, bottom), length / 2, height, zorder=7,
                               facecolor="#1a1a1a" if n == 0 else "white", edgecolor="#1a1a1a", linewidth=0.6))
    ax.text(left, bottom + height * 2, "0", fontsize=6, ha="center", va="bottom", zorder=7)
    ax.text(left + length, bottom + height * 2, f"{length} km", fontsize=6, ha="center", va="bottom", zorder=7)


def _north_arrow(ax: Any) -> None:
    ax.annotate("N", xy=(0.03, 0.955), xytext=(0.03, 0.86), xycoords="axes fraction",
                ha="center", va="center", fontsize=8, fontweight="bold", zorder=7,
                arrowprops={"arrowstyle": "-|>", "color": "#1a1a1a", "linewidth": 1.1})


def _inset(fig: Any, main_view: tuple[float, float, float, float],
           points: Sequence[tuple[float, float, str, str | None]], line: dict[str, Any]) -> None:
    x0, y0, x1, y1 = THEATRE
    project = _Projection((x0 + x1) / 2, (y0 + y1) / 2)
    inset = fig.add_axes((0.715, 0.695, 0.27, 0.23))
    _base(inset, project, line, detail=False)
    vx0, vy0 = project(main_view[0], main_view[1])
    vx1, vy1 = project(main_view[2], main_view[3])
    inset.add_patch(Rectangle((vx0, vy0), vx1 - vx0, vy1 - vy0, fill=False, edgecolor="#1a1a1a",
                              linewidth=0.9, zorder=5))
    for lon, lat, event_type, _grade in points:
        px, py = project(lon, lat)
        inset.plot([px], [py], marker="o", markersize=2.5, color=type_colour(event_type), zorder=6)
    ax0, ay0 = project(x0, y0)
    ax1, ay1 = project(x1, y1)
    inset.set_xlim(ax0, ax1)
    inset.set_ylim(ay0, ay1)
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.6)


@dataclass(frozen=True)
class DrawnMap:
    """The PNG and where things landed on it, in pixels (origin bottom left)."""

    png: bytes
    labels: dict[str, tuple[float, float, float, float]]  # label -> (x0, y0, x1, y1)
    markers: list[tuple[float, float, float, float]]
    axes_ticks: int
    pixel: Callable[[float, float], tuple[float, float]]  # (lon, lat) -> where it is on the PNG
    frame: tuple[float, float, float, float]  # the main map's box


def static_map(points: Sequence[tuple[float, float, str, str | None]], line: dict[str, Any], title: str,
               **options: Any) -> bytes:
    """PNG bytes of the day's map (see ``draw_map``)."""
    return draw_map(points, line, title, **options).png


def draw_map(points: Sequence[tuple[float, float, str, str | None]], line: dict[str, Any], title: str,
             *, places: Sequence[MapPlace] = (), changes: Sequence[MapChange] = (),
             dpi: int = 150, max_labels: int = 16) -> DrawnMap:
    """The day's map.

    ``points`` are (lon, lat, event type, grade) of the day's located
    incidents; ``line`` the line of contact of the day (a FeatureCollection,
    with the ground that had changed hands as its ``changed_ground`` when it
    was redrawn: ``report.geometry.line_of_day``); ``places`` candidate
    labels, most important first; ``changes`` the places that had changed
    hands by the day, labelled with their holder and date.
    """
    view = view_of(points)
    project = _Projection((view[0] + view[2]) / 2, (view[1] + view[3]) / 2)
    fig = plt.figure(figsize=(7.2, 5.6))
    ax = fig.add_axes((0.01, 0.085, 0.98, 0.85))
    _base(ax, project, line, detail=True)
    markers = []
    by_style: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for lon, lat, event_type, grade in points:
        xy = project(lon, lat)
        markers.append(xy)
        by_style.setdefault((event_type, grade or "ungraded"), []).append(xy)
    for (event_type, grade), xy in by_style.items():
        marker, width, filled, _label = GRADE_MARKERS.get(grade, GRADE_MARKERS["ungraded"])
        colour = type_colour(event_type)
        xs, ys = zip(*xy, strict=True)
        ax.scatter(xs, ys, s=MARKER_PX ** 2 * 0.75, marker=marker, facecolors=colour if filled else "white",
                   edgecolors="#1a1a1a" if filled else colour, linewidths=max(width, 1.4 if not filled else width),
                   zorder=8, rasterized=len(xy) > 500)
    x0, y0, x1, y1 = _equal_limits(fig, ax, (*project(view[0], view[1]), *project(view[2], view[3])))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.canvas.draw()
    change_places = [MapPlace(c.longitude, c.latitude, f"{c.label} ({c.side} since {c.since:%-d %b})")
                     for c in changes]
    km_pt = (ax.transData.transform((1.0, 0.0))[0] - ax.transData.transform((0.0, 0.0))[0]) * 72 / fig.dpi
    radius_pt = {p: c.radius_m / 1000 * km_pt for p, c in zip(change_places, changes, strict=True)}
    for name, lon, lat in NEIGHBOURS:
        nx, ny = project(lon, lat)
        if x0 + 15 < nx < x1 - 15 and y0 + 5 < ny < y1 - 5:
            ax.text(nx, ny, name, fontsize=7, color="#6b6b6b", ha="center", va="center", zorder=2.2,
                    fontstyle="italic")
    _scale_bar(ax)
    _north_arrow(ax)
    _inset(fig, view, points, line)
    renderer = fig.canvas.get_renderer()
    reserved = [a.get_window_extent(renderer) for a in fig.axes if a is not ax]
    reserved += [c.get_window_extent(renderer) for c in ax.texts + ax.patches[-2:]]
    at_incidents: list[MapPlace] = []  # each incident's own place: the nearest within 3 km
    for m in markers:
        near = min(places, key=lambda p: math.dist(project(p.longitude, p.latitude), m), default=None)
        if near and math.dist(project(near.longitude, near.latitude), m) < 3.0 and near not in at_incidents:
            at_incidents.append(near)
    candidates = [*at_incidents, *change_places, *(p for p in places if p not in at_incidents)]
    labels = _label_places(fig, ax, project, candidates, markers, max_labels, reserved,
                           clear_pt=lambda p: radius_pt.get(p, 0.0))
    fig.text(0.01, 0.965, title, fontsize=9.5, fontweight="bold", ha="left", va="center")
    _legend(fig, points, changes, line)
    fig.set_dpi(dpi)
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    boxes = {t.get_text(): tuple(t.get_window_extent(renderer).extents) for t in ax.texts
             if t.get_text() in labels}
    to_px = ax.transData.frozen().transform  # as saved: closing the figure changes the live transform
    frame = tuple(ax.get_window_extent(renderer).extents)
    half = MARKER_PX / 2 * dpi / 72
    spots = [tuple(to_px(m)) for m in markers]
    ticks = len(ax.get_xticks()) + len(ax.get_yticks())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return DrawnMap(buffer.getvalue(), boxes, [(x - half, y - half, x + half, y + half) for x, y in spots], ticks,
                    lambda lon, lat: tuple(to_px(project(lon, lat))), frame)


def _legend(fig: Any, points: Sequence[tuple[float, float, str, str | None]],
            changes: Sequence[MapChange], line: dict[str, Any]) -> None:
    handles: list[Any] = [Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor=type_colour(t),
                                 markeredgecolor="#1a1a1a", label=t) for t in sorted({p[2] for p in points})]
    for grade in sorted({p[3] or "ungraded" for p in points}):
        marker, width, filled, label = GRADE_MARKERS.get(grade, GRADE_MARKERS["ungraded"])
        handles.append(Line2D([], [], marker=marker, linestyle="", markersize=6, markeredgewidth=width,
                              markerfacecolor="#bbbbbb" if filled else "white", markeredgecolor="#1a1a1a",
                              label=label))
    moved = any(f["properties"].get("changes") for f in line["features"])
    handles.append(Line2D([], [], color=LINE_COLOUR, linewidth=1.8,
                          label="line of contact on the day, moved by control changes" if moved
                          else "line of contact on the day"))
    handles.append(Patch(facecolor="#e4dccf", edgecolor="#8c7b5f", linestyle="--",
                         label="1994-2020 Armenian-held area"))
    for side in sorted({f["properties"]["side"] for f in line.get("changed_ground", {}).get("features", [])}):
        handles.append(Patch(facecolor="none", edgecolor=party_colour(side), hatch=CHANGED_HATCH, linewidth=0,
                             label=f"changed hands by the day, now {side} (hatched)"))
    handles.append(Patch(facecolor=OUTSIDE, edgecolor="#6b6b6b", linewidth=0.5,
                         label="outside Armenia and Azerbaijan"))
    handles.append(Line2D([], [], marker="o", linestyle="", markersize=2.6, color="#1a1a1a",
                          markeredgecolor="white", label="town or village (small black dot)"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=3, fontsize=5.8,
               frameon=False, handletextpad=0.4, columnspacing=1.0)
