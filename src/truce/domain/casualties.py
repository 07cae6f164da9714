"""Casualty ranges, UCDP-style (low / best / high), per incident and in aggregate.

One count (one incident or one running toll; one kind, killed or injured;
one category, civilian, military or unknown) is usually reported several
times by several sources. ``casualty_range`` turns those figures into a range:

- exact and "about" figures are point estimates; "at least n" is a lower
  bound n, "more than n" a lower bound n + 1 ("more than 600, a partial toll
  likely much higher" is a lower bound 601); "at most n" is an upper figure;
- **low** is the lowest point estimate, raised to the highest lower bound
  reported (two bounds can both hold; the toll is at least the larger);
- **best** is the median point estimate (the lower middle one, so it is a
  figure someone reported), never below low; with no point estimate, low;
- **high** is the highest figure reported, never below best; ``open_ended``
  says that figure was itself only a lower bound;
- figures from discounted sources are ignored; a figure reported as of an
  earlier day than the latest is only a lower bound (tolls only grow: a running
  toll rises, and so does the toll of one strike as the dead are found and the
  wounded die, so an investigation's later count supersedes the first day's).

``aggregate`` avoids double counting. Per-incident ranges are summed (a low
figure: not every incident is reported). A cumulative toll for a party and
category as of day D *supersedes* the sum of that party's incidents up to D
when larger (element-wise maximum of low, best and high), and is never
added to it; incidents after D are added on top. Tolls say nothing about
which day or region their dead fell in, so groupings by day or region use
incident figures only and say so in their note.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .exceptions import ValidationError
from .incidents import CasualtyCategory, CasualtyFigure, Qualifier

__all__ = [
    "DIMENSIONS",
    "AggregateRange",
    "CasualtyRange",
    "CumulativeToll",
    "IncidentCasualties",
    "aggregate",
    "casualty_range",
    "casualty_ranges",
    "toll_party",
]

DIMENSIONS = ("day", "party", "region", "category")


@dataclass(frozen=True)
class CasualtyRange:
    """low <= best <= high, the sources behind them, and whether high is open-ended."""

    low: int
    best: int
    high: int
    sources: tuple[str, ...] = ()
    open_ended: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.best <= self.high:
            raise ValidationError(
                f"a casualty range needs 0 <= low <= best <= high, "
                f"not {self.low} / {self.best} / {self.high}",
                field="casualties",
            )

    def __add__(self, other: CasualtyRange) -> CasualtyRange:
        return CasualtyRange(
            self.low + other.low, self.best + other.best, self.high + other.high,
            tuple(sorted(set(self.sources) | set(other.sources))),
            self.open_ended or other.open_ended,
        )

    def widest(self, other: CasualtyRange) -> CasualtyRange:
        """The element-wise maximum: what supersedes, rather than adds to, a sum."""
        return CasualtyRange(
            max(self.low, other.low), max(self.best, other.best), max(self.high, other.high),
            tuple(sorted(set(self.sources) | set(other.sources))),
            self.open_ended or other.open_ended,
        )


ZERO = CasualtyRange(0, 0, 0)


def casualty_range(
    figures: Iterable[CasualtyFigure], discounted_sources: frozenset[str] = frozenset()
) -> CasualtyRange:
    """The low / best / high of one count from the figures reported for it.

    Takes figures of one kind, category and scope (ValidationError otherwise)
    and the ids of discounted sources, whose figures are ignored. Returns a
    ``CasualtyRange``; (0, 0, 0) when no figure remains.

    >>> from truce.domain.incidents import CasualtyCategory as C, CasualtyFigure as F
    >>> r = casualty_range([F(C.UNKNOWN, "killed", 600, Qualifier.MORE_THAN),
    ...                     F(C.UNKNOWN, "killed", 2, Qualifier.AT_LEAST)])
    >>> (r.low, r.best, r.high, r.open_ended)
    (601, 601, 601, True)
    """
    kept = [f for f in figures if f.source is None or f.source not in discounted_sources]
    if not kept:
        return ZERO
    for attr in ("kind", "category", "scope"):
        values = {getattr(f, attr) for f in kept}
        if len(values) > 1:
            raise ValidationError(
                f"figures of different {attr} are different counts: {sorted(map(str, values))}",
                field="figures", remedy="split them first (casualty_ranges does)",
            )
    latest = max((f.as_of for f in kept if f.as_of is not None), default=None)
    points: list[int] = []
    floors: list[int] = []
    caps: list[int] = []
    for f in kept:
        stale = latest is not None and f.as_of != latest and (
            f.scope == "cumulative" or f.as_of is not None)
        if stale and f.qualifier is Qualifier.AT_MOST:
            continue  # an earlier upper figure says nothing of the later count
        if f.qualifier is Qualifier.MORE_THAN:
            floors.append(f.value + 1)
        elif f.qualifier is Qualifier.AT_LEAST or stale:
            floors.append(f.value)
        elif f.qualifier is Qualifier.AT_MOST:
            caps.append(f.value)
        else:
            points.append(f.value)
    low = max(max(floors, default=0), min(points, default=0))
    best = max(statistics.median_low(points), low) if points else low
    high = max([*points, *floors, *caps, best])
    open_ended = bool(floors) and max(floors) >= max([*points, *caps], default=0)
    sources = tuple(sorted({f.source for f in kept if f.source is not None}))
    return CasualtyRange(low, best, high, sources, open_ended)


def casualty_ranges(
    figures: Iterable[CasualtyFigure], discounted_sources: frozenset[str] = frozenset()
) -> dict[tuple[CasualtyCategory, str], CasualtyRange]:
    """One range per (category, kind) of figures of one scope, e.g. an incident's."""
    groups: dict[tuple[CasualtyCategory, str], list[CasualtyFigure]] = defaultdict(list)
    for f in figures:
        groups[(f.category, f.kind)].append(f)
    order = list(CasualtyCategory)
    return {
        key: casualty_range(groups[key], discounted_sources)
        for key in sorted(groups, key=lambda k: (order.index(k[0]), k[1]))
    }


@dataclass(frozen=True)
class IncidentCasualties:
    """The per-incident figures of one incident, with what aggregates group by.

    ``party`` is the party whose people were killed or injured (for
    civilians, the side they live on); ``region`` an admin area id.
    """

    incident: str
    day: date
    figures: tuple[CasualtyFigure, ...]
    party: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        if any(f.scope != "incident" for f in self.figures):
            raise ValidationError(
                f"incident {self.incident}: a cumulative toll is not an incident figure",
                field="figures", remedy="pass it as a CumulativeToll",
            )


def toll_party(source_affiliation: str | None) -> str | None:
    """Whose losses a running toll counts: a party's own toll counts its side's
    losses, so the party of the source that gives it; None when the source
    speaks for no party (a wire's "more than 600 dead" says no side)."""
    return source_affiliation


@dataclass(frozen=True)
class CumulativeToll:
    """A running toll ("since 27 September") of one party's losses, as of a day."""

    party: str | None
    figure: CasualtyFigure

    def __post_init__(self) -> None:
        if self.figure.scope != "cumulative" or self.figure.as_of is None:
            raise ValidationError(
                "a cumulative toll needs scope 'cumulative' and an as_of day", field="figure"
            )


@dataclass(frozen=True)
class AggregateRange:
    """A summed range with where it came from and how it was summed."""

    range: CasualtyRange
    incidents: tuple[str, ...]
    tolls: tuple[str, ...]
    note: str


def aggregate(
    incidents: Iterable[IncidentCasualties],
    tolls: Iterable[CumulativeToll] = (),
    *,
    by: tuple[str, ...] = ("day",),
    kind: str = "killed",
    discounted_sources: frozenset[str] = frozenset(),
    until: date | None = None,
) -> dict[tuple[Any, ...], AggregateRange]:
    """Casualty ranges summed by any of ``DIMENSIONS`` without double counting.

    Takes incident figures, cumulative tolls, the dimensions to group by (in
    key order), the kind ("killed" or "injured"), discounted source ids and
    an optional last day. Returns {key tuple: AggregateRange}, e.g.
    ``{("am", CasualtyCategory.MILITARY): ...}`` for ``by=("party", "category")``.
    The method is in the module docstring.
    """
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValidationError(f"cannot group by {unknown}; use {DIMENSIONS}", field="by")
    entries = []  # (incident, day, party, region, category, range)
    for inc in incidents:
        if until is not None and inc.day > until:
            continue
        figs = [f for f in inc.figures if f.kind == kind
                and (f.source is None or f.source not in discounted_sources)]
        for (category, _), rng in casualty_ranges(figs).items():
            entries.append((inc.incident, inc.day, inc.party, inc.region, category, rng))
    use_tolls = "day" not in by and "region" not in by
    toll_cells: dict[tuple[str | None, CasualtyCategory], list[CasualtyFigure]] = defaultdict(list)
    for toll in tolls:
        f = toll.figure
        if f.kind == kind and (until is None or (f.as_of is not None and f.as_of <= until)):
            if f.source is None or f.source not in discounted_sources:
                toll_cells[(toll.party, f.category)].append(f)

    def key_of(
        day: date | None, party: str | None, region: str | None, cat: CasualtyCategory
    ) -> tuple[Any, ...]:
        values = {"day": day, "party": party, "region": region, "category": cat}
        return tuple(values[d] for d in by)

    out: dict[tuple[Any, ...], list[Any]] = {}

    def add(key: tuple[Any, ...], rng: CasualtyRange, ids: list[str], toll_src: tuple[str, ...],
            note: str) -> None:
        slot = out.setdefault(key, [ZERO, [], set(), []])
        slot[0] = slot[0] + rng
        slot[1].extend(ids)
        slot[2].update(toll_src)
        slot[3].append(note)

    if not use_tolls or not toll_cells:
        for inc_id, day, party, region, cat, rng in entries:
            add(key_of(day, party, region, cat), rng, [inc_id], (), "")
    else:
        cells: dict[tuple[str | None, CasualtyCategory], list[Any]] = defaultdict(list)
        for e in entries:
            cells[(e[2], e[4])].append(e)
        for cell in sorted(set(cells) | set(toll_cells), key=repr):
            party, cat = cell
            figs = toll_cells.get(cell, [])
            rows = cells.get(cell, [])
            if not figs:
                for inc_id, _, _, _, _, rng in rows:
                    add(key_of(None, party, None, cat), rng, [inc_id], (), "")
                continue
            as_of = max(f.as_of for f in figs if f.as_of is not None)
            toll_range = casualty_range(figs)
            before = sum((r[5] for r in rows if r[1] <= as_of), ZERO)
            after = sum((r[5] for r in rows if r[1] > as_of), ZERO)
            note = (f"{party or 'unattributed'} {cat.value}: toll as of {as_of} "
                    f"({toll_range.low}-{toll_range.high}) supersedes the sum of incidents "
                    f"up to that day ({before.low}-{before.high}), never added to it")
            add(key_of(None, party, None, cat), toll_range.widest(before) + after,
                [r[0] for r in rows], toll_range.sources, note)
    result: dict[tuple[Any, ...], AggregateRange] = {}
    for key in sorted(out, key=repr):
        rng, ids, toll_src, notes = out[key]
        text = "; ".join(n for n in notes if n) or f"sum of {len(ids)} incident figure(s)"
        if toll_cells and not use_tolls:
            text += "; cumulative tolls not used: they cannot be split by day or region"
        result[key] = AggregateRange(rng, tuple(sorted(set(ids))), tuple(sorted(toll_src)), text)
    return result
