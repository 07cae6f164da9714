"""A static map of a day's incidents on the shipped geometry (Matplotlib, PNG).

Drawn in plain longitude/latitude with the aspect corrected for the
theatre's latitude: a picture for the report, not a measuring instrument.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from .geometry import borders, region  # noqa: E402
from .style import GRADE_MARKERS, type_colour  # noqa: E402

__all__ = ["static_map"]

VIEW = (45.0, 38.75, 48.6, 41.0)  # lon/lat box around the line of contact


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return [coords[0]]
    if kind == "MultiPolygon":
        return [poly[0] for poly in coords]
    if kind == "LineString":
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    return []


def static_map(points: Sequence[tuple[float, float, str, str | None]], line: dict[str, Any],
               title: str, dpi: int = 120) -> bytes:
    """PNG bytes: borders, region, ``line`` (FeatureCollection) and points
    (lon, lat, event type, grade) coloured by type and shaped by grade."""
    fig, ax = plt.subplots(figsize=(6.6, 4.6))
    fig.subplots_adjust(left=0.07, right=0.99, top=0.93, bottom=0.06)
    for feature in borders()["features"]:
        for ring in _rings(feature["geometry"]):
            xs, ys = zip(*ring, strict=True)
            ax.fill(xs, ys, facecolor="#f2efe9", edgecolor="#6b6b6b", linewidth=0.7, zorder=1)
        name = feature["properties"].get("name", "")
        anchor = {"Armenia": (45.05, 40.55), "Azerbaijan": (48.1, 40.75)}.get(name)
        if anchor:
            ax.text(*anchor, name.upper(), fontsize=7, color="#777777", zorder=2)
    for feature in region()["features"]:
        if feature["properties"].get("kind") != "held_area_1994_2020":
            continue
        for ring in _rings(feature["geometry"]):
            xs, ys = zip(*ring, strict=True)
            ax.fill(xs, ys, facecolor="#e4dccf", edgecolor="#8c7b5f", linewidth=0.6,
                    linestyle="--", zorder=2)
    for feature in line["features"]:
        for ring in _rings(feature["geometry"]):
            xs, ys = zip(*ring, strict=True)
            ax.plot(xs, ys, color="#b2182b", linewidth=1.8, zorder=3)
    by_style: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for lon, lat, event_type, grade in points:
        by_style.setdefault((event_type, grade or "ungraded"), []).append((lon, lat))
    for (event_type, grade), xy in by_style.items():
        marker, width, filled, _label = GRADE_MARKERS.get(grade, GRADE_MARKERS["ungraded"])
        colour = type_colour(event_type)
        xs, ys = zip(*xy, strict=True)
        ax.scatter(xs, ys, s=26, marker=marker, facecolors=colour if filled else "none",
                   edgecolors="#1a1a1a" if filled else colour, linewidths=width, zorder=4,
                   rasterized=len(xy) > 500)
    x0, y0, x1, y1 = VIEW
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_title(title, loc="left", fontsize=9, fontweight="bold")
    ax.tick_params(labelsize=6)
    types = sorted({p[2] for p in points})
    handles = [Line2D([], [], marker="o", linestyle="", color=type_colour(t), label=t) for t in types]
    handles.append(Line2D([], [], color="#b2182b", linewidth=1.8, label="line of contact"))
    ax.legend(handles=handles, loc="lower left", fontsize=6, framealpha=0.9)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()
