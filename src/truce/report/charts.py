"""Matplotlib charts as SVG text: violations per day by party (stacked),
casualties over time with their ranges, control changes per day.

Each function takes plain series and returns the image's bytes, SVG (what
the dashboard serves) or PNG (what the report inlines: WeasyPrint prints a
PNG several times faster than it draws an SVG); nothing here reads the store.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .style import party_colour  # noqa: E402

__all__ = ["casualties_chart", "control_chart", "violations_chart"]

plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.fonttype": "none",
                     "axes.spines.top": False, "axes.spines.right": False})
PARTY_ORDER = ("AZE", "ARM", "NKR", "unattributed")


def _render(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def _ticks(ax: Axes, days: Sequence[date]) -> None:
    """A label per day up to 16 days, else every n-th so they stay legible."""
    step = max(1, -(-len(days) // 16))
    x = list(range(0, len(days), step))
    ax.set_xticks(x, [days[n].strftime("%-d %b") for n in x], rotation=45, ha="right")


def _axes(title: str, width: float = 6.4, height: float = 2.7) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    fig.subplots_adjust(left=0.08, right=0.99, top=0.9, bottom=0.36)  # fixed: a layout engine costs 50 %
    ax.set_title(title, loc="left", fontsize=9, fontweight="bold")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def violations_chart(days: Sequence[date], series: dict[str, list[int]],
                     title: str = "Ceasefire violations per day, by party held responsible",
                     fmt: str = "svg") -> bytes:
    """Stacked bars: one bar per day, one segment per party (then unattributed)."""
    fig, ax = _axes(title)
    x = list(range(len(days)))
    bottom = [0] * len(days)
    parties = [p for p in PARTY_ORDER if p in series] + sorted(set(series) - set(PARTY_ORDER))
    for party in parties:
        values = series[party]
        ax.bar(x, values, bottom=bottom, color=party_colour(party), label=party, width=0.75,
               edgecolor="white", linewidth=0.4)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if not parties:
        ax.text(0.5, 0.5, "no violations recorded in this period", transform=ax.transAxes,
                ha="center", va="center", color="#555555")
    _ticks(ax, days)
    ax.set_ylabel("incidents")
    ax.yaxis.get_major_locator().set_params(integer=True)
    if parties:
        ax.legend(frameon=False, ncols=len(parties), loc="upper left", bbox_to_anchor=(0, -0.3))
    return _render(fig, fmt)


def casualties_chart(days: Sequence[date], ranges: Sequence[tuple[int, int, int]],
                     title: str = "People reported killed per day (best estimate, low-high range)",
                     fmt: str = "svg") -> bytes:
    """The best estimate as a line, the low-high range as a band and bars."""
    fig, ax = _axes(title)
    x = list(range(len(days)))
    low = [r[0] for r in ranges]
    best = [r[1] for r in ranges]
    high = [r[2] for r in ranges]
    ax.fill_between(x, low, high, color="#CC79A7", alpha=0.25, linewidth=0, label="low-high range")
    ax.vlines(x, low, high, color="#CC79A7", linewidth=2)
    ax.plot(x, best, color="#882255", marker="o", markersize=3, linewidth=1.2, label="best estimate")
    _ticks(ax, days)
    ax.set_ylabel("people")
    ax.set_ylim(bottom=0, top=max([*high, 1]) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, ncols=2, loc="upper left", bbox_to_anchor=(0, -0.3))
    return _render(fig, fmt)


def control_chart(days: Sequence[date], gains: dict[str, list[int]],
                  title: str = "Control changes per day, by party gaining control", fmt: str = "svg") -> bytes:
    """Stacked bars of control changes (places changing hands) per day."""
    return violations_chart(days, gains, title=title, fmt=fmt)
