"""The ledger entries behind each figure of the daily report.

Each figure counts rows: incidents, and for a violation tally the violations
stored for them, for a casualty range their casualty figures
(``DayRepository.counted_rows``, through the edition's visibility). Here
each figure gets the newest ledger entry of every one of those rows (the
row as it stands), each with whether the checkpoint the report prints
covers it, so a reader can ask for its inclusion proof in that tree
(``/api/ledger/proof/inclusion?seq=N&size=M``) or find the same entry, with
its proof, in the day's bundle (``truce export bundle``).

    >>> Entry(2301, "incidents/inc-1", True).table
    'incidents'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..geo.naming import sector_label
from ..store.uow import UnitOfWork

__all__ = ["Entry", "FigureEntries", "figure_entries", "figures_of"]


@dataclass(frozen=True)
class Entry:
    seq: int
    record_id: str
    covered: bool  # inside the tree of the checkpoint the report prints

    @property
    def table(self) -> str:
        return self.record_id.partition("/")[0]


@dataclass(frozen=True)
class FigureEntries:
    """What one figure counts: a description, the incidents, and the ledger entries."""

    label: str
    value: int
    entries: tuple[Entry, ...]
    unledgered: tuple[str, ...]  # rows with no ledger entry (`truce ledger verify` names them)

    @property
    def incidents(self) -> int:
        return sum(1 for e in self.entries if e.table == "incidents") + sum(
            1 for r in self.unledgered if r.startswith("incidents/"))


def figures_of(report: Any) -> Iterator[tuple[str, Any]]:
    """Every figure of a ``DailyReport`` with a label saying what it counts."""
    yield "incidents of the day", report.incidents
    yield "incidents of the previous day", report.incidents_previous
    yield "ceasefire violations", report.violations
    yield "ceasefire violations of the previous day", report.violations_previous
    yield "explosions among the violations", report.explosions
    yield "violations verified or corroborated", report.confirmed
    for line in report.sectors:
        sector = sector_label(line.sector)
        yield f"violations in sector {sector}", line.violations
        yield f"explosions in sector {sector}", line.explosions
        yield f"violations in sector {sector}, previous day", line.previous
    for rows, named in ((report.by_party, str), (report.by_sector, sector_label), (report.by_type, str)):
        for row in rows:
            label = row.label if row.label == "(none)" else named(row.label)
            yield f"violations: {label}, verified or corroborated", row.confirmed
            yield f"violations: {label}, single source, contested or ungraded", row.unconfirmed
            yield f"violations: {label}", row.total
    for cell in report.casualties:
        yield f"incidents with {cell['category']} {cell['kind']} figures", cell["incidents"]


def figure_entries(uow: UnitOfWork, report: Any, tz: Any, size: int) -> dict[Any, FigureEntries]:
    """{figure: its entries} for every figure of ``report``; an entry is
    ``covered`` when its sequence number is within the tree of ``size``
    entries (the printed checkpoint's)."""
    rows: dict[Any, tuple[str, list[str]]] = {}
    for label, figure in figures_of(report):
        if figure not in rows:
            rows[figure] = (label, uow.days.counted_rows(figure.selection, tz, incidents=figure.incidents,
                                                         casualties=figure.casualties))
    wanted = sorted({rid for _label, ids in rows.values() for rid in ids})
    newest = uow.ledger.newest_row_entries(wanted)
    out = {}
    for figure, (label, ids) in rows.items():
        entries = tuple(Entry(newest[rid], rid, newest[rid] <= size) for rid in ids if rid in newest)
        out[figure] = FigureEntries(f"{label} ({figure.selection.describe(sector_label)})", figure.value, entries,
                                    tuple(rid for rid in ids if rid not in newest))
    return out
