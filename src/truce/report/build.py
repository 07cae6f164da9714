"""The daily report's content for one day, computed from the store.

``build_report(uow, day, edition)`` returns a ``DailyReport``: plain values
that ``report.html`` renders. Every number is a ``Figure``: its value and the
``Selection`` of incidents it counts, so each one links to its list, and
the ledger entries of the rows it counts (``report.entries``), so each can
be checked against the printed checkpoint.

Definitions (tests re-derive them with plain SQL):
- an incident is *of a day* when its start falls in that calendar day in the
  theatre's time zone; merged incidents never count; the public edition
  counts published incidents only, the restricted edition drafts too;
- a *ceasefire violation* is an incident with at least one row in
  ``violations`` (any agreement) for that day; the violations engine
  evaluates published incidents only, so the previous day's count is taken
  from the violations alone; an *explosion* is one of ACLED type
  "Explosions/Remote violence"; a violation's sector is the one stored with it;
- casualties are the sum of the day's incident ranges (low / best / high),
  discounted incidents left out; running tolls are listed apart, never added;
- the joint commission's day: findings published, cases opened and closed
  that day (the public edition: published cases only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..domain.casualties import toll_party
from ..domain.grades import Grade
from ..domain.precision import TimePrecision
from ..service.case_board import cases_of_day
from ..service.checkpoints import covering_checkpoint
from ..service.labels import time_of_day
from ..service.monitoring_config import get_monitoring_config
from ..settings import get_settings
from ..store.daily import DayRepository, DayViolation
from ..store.rules import CONFIRMED_VALUES
from ..store.selection import Selection
from ..store.uow import UnitOfWork
from ..store.visibility import MISSION, PUBLIC, Visibility
from .content import Contested, ControlLine, Restriction, alerts_of, contested, controls_of, restrictions_of
from .entries import figure_entries
from .geometry import MapChange, MapPlace, changes_on, line_of_day, map_places

__all__ = ["EXPLOSIONS", "DailyReport", "Figure", "GradeRow", "SectorLine", "build_report"]

EXPLOSIONS = "Explosions/Remote violence"
CONFIRMED = CONFIRMED_VALUES
UNCONFIRMED = (*(g.value for g in Grade if g.value not in CONFIRMED_VALUES and g is not Grade.DISCOUNTED),
               "ungraded")
Progress = Callable[[str], None]
DAY_LIST = 25  # incidents listed in full; the rest are one link away


@dataclass(frozen=True)
class Figure:
    """A number, the selection its link opens, and, where the selection says
    more than the figure counts (a casualty range), the incidents and the
    count (kind, category) it sums."""

    value: int
    selection: Selection
    incidents: frozenset[str] | None = None
    casualties: tuple[str, str] | None = None


@dataclass(frozen=True)
class SectorLine:
    sector: str
    violations: Figure
    explosions: Figure
    previous: Figure


@dataclass(frozen=True)
class GradeRow:
    label: str
    confirmed: Figure
    unconfirmed: Figure
    total: Figure


@dataclass
class DailyReport:
    day: date
    edition: str
    generated_at: datetime
    timezone: str
    evaluated: bool
    agreements: list[tuple[str, str]]
    incidents: Figure
    incidents_previous: Figure
    violations: Figure
    violations_previous: Figure
    explosions: Figure
    confirmed: Figure
    sectors: list[SectorLine]
    by_party: list[GradeRow]
    by_sector: list[GradeRow]
    by_type: list[GradeRow]
    casualties: list[dict[str, Any]]
    tolls: list[dict[str, Any]]
    controls: list[ControlLine]
    alerts: list[Any]  # service.alerts.AlertView, by event time
    restrictions: list[Restriction]
    contested: list[Contested]
    day_list: list[dict[str, Any]]
    points: list[tuple[float, float, str, str | None]]
    line: dict[str, Any]  # the line of contact on the day, as a FeatureCollection
    map_places: list[MapPlace]  # labels for the day's map
    map_changes: list[MapChange]  # ground that had changed hands by the day
    chart_days: list[date] = field(default_factory=list)
    chart_violations: dict[str, list[int]] = field(default_factory=dict)
    chart_casualties: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    checkpoint: Any = None  # the cosigned ledger checkpoint covering the data (service.checkpoints)
    cases: Any = None  # service.case_board.DayCases: the joint commission's day
    ledger: dict[Figure, Any] = field(default_factory=dict)  # report.entries.FigureEntries of each figure
    ledger_size: int = 0  # the tree the entries are proven in: the printed checkpoint's

    @property
    def restricted(self) -> bool:
        return self.edition == "restricted"

    @property
    def change(self) -> int:
        return self.violations.value - self.violations_previous.value


DIMENSIONS = ("responsible", "sector", "event_type")


def _tally(violations: list[DayViolation]) -> Counter[Any]:
    """One pass over the day's violations: every count the tables need."""
    c: Counter[Any] = Counter()
    for r in violations:
        confirmed, explosion = r.incident.confirmed, r.incident.event_type == EXPLOSIONS
        c["all"] += 1
        c["explosions"] += explosion
        c["confirmed"] += confirmed
        c[("explosions", r.sector)] += explosion
        labels = {"responsible": {p or "unattributed" for p in r.responsible},
                  "sector": {r.sector or "(none)"}, "event_type": {r.incident.event_type}}
        for dim, values in labels.items():
            for label in values:
                c[(dim, label, confirmed)] += 1
    return c


def _grade_rows(tally: Counter[Any], base: Selection, key: str) -> list[GradeRow]:
    labels = sorted({k[1] for k in tally if isinstance(k, tuple) and len(k) == 3 and k[0] == key})
    out = []
    for label in labels:
        value = label
        if (key, label) in (("sector", "(none)"), ("responsible", "unattributed")):
            value = "none"  # the selection's word for no sector, nobody held responsible
        sel = base.with_(**{key: value})
        yes, no = tally[(key, label, True)], tally[(key, label, False)]
        out.append(GradeRow(label, Figure(yes, sel.with_(grades=CONFIRMED)),
                            Figure(no, sel.with_(grades=UNCONFIRMED)), Figure(yes + no, sel)))
    return out


def build_report(uow: UnitOfWork, day: date, edition: str = "public",
                 progress: Progress | None = None) -> DailyReport:
    """Figures, tables and chart series of ``day`` for the ``edition``."""
    step = progress or (lambda _label: None)
    settings = get_settings()
    tz, public = settings.tz, edition != "restricted"
    seen_by = PUBLIC if public else MISSION
    days = uow.days
    prev = day - timedelta(days=1)
    today = days.day_incidents(day, tz, seen_by)
    tally = _tally(days.day_violations(day, {r.id: r for r in today}))
    previous = days.violations_by_sector(prev, seen_by)
    step("incidents of the day")

    sel = Selection(start=day, end=day, seen_by=seen_by)
    psel = Selection(start=prev, end=prev, seen_by=seen_by)
    vsel, pvsel = sel.with_(violations=True), psel.with_(violations=True)
    sectors = []
    names = sorted({k[1] for k in tally if isinstance(k, tuple) and len(k) == 3 and k[0] == "sector"} - {"(none)"})
    for name in names:
        s = vsel.with_(sector=name)
        sectors.append(SectorLine(
            name, Figure(tally[("sector", name, True)] + tally[("sector", name, False)], s),
            Figure(tally[("explosions", name)], s.with_(event_type=EXPLOSIONS)),
            Figure(previous.get(name, 0), pvsel.with_(sector=name))))

    noon = datetime.combine(day, datetime.min.time(), tzinfo=tz) + timedelta(hours=12)
    report = DailyReport(
        day=day, edition=edition, generated_at=datetime.now(UTC), timezone=settings.timezone,
        evaluated=days.violations_evaluated(),
        agreements=[(a.id, a.name) for a in uow.agreements.list() if a.in_force(noon)],
        incidents=Figure(len(today), sel),
        incidents_previous=Figure(days.incident_count(prev, tz, seen_by), psel),
        violations=Figure(tally["all"], vsel), violations_previous=Figure(previous.get(None, 0), pvsel),
        explosions=Figure(tally["explosions"], vsel.with_(event_type=EXPLOSIONS)),
        confirmed=Figure(tally["confirmed"], vsel.with_(grades=CONFIRMED)),
        sectors=sectors,
        by_party=_grade_rows(tally, vsel, "responsible"),
        by_sector=_grade_rows(tally, vsel, "sector"),
        by_type=_grade_rows(tally, vsel, "event_type"),
        casualties=[], tolls=[], controls=controls_of(uow, day, seen_by), alerts=[],
        restrictions=restrictions_of(uow, day, tz, seen_by),
        contested=contested(uow, day, tz, seen_by), day_list=_day_list(days, day, tz, seen_by),
        points=[(r.longitude, r.latitude, r.event_type, r.grade) for r in today if r.longitude is not None],
        line=line_of_day(uow, day, get_monitoring_config().geometry.control_radius_m),
        map_places=map_places(uow),
        map_changes=changes_on(uow, day, get_monitoring_config().geometry.control_radius_m))
    step("violations, sectors, claims")

    _casualties(report, uow, sel, tz, seen_by)
    report.alerts = alerts_of(uow, day, tz, seen_by)
    step("casualties and alerts")
    _series(report, days, tz, seen_by)
    report.cases = cases_of_day(uow, day, seen_by)
    report.checkpoint = covering_checkpoint(uow.ledger, settings.log_key)
    report.ledger_size = (report.checkpoint.note.size if report.checkpoint is not None
                          else uow.ledger_head()[0])
    report.ledger = figure_entries(uow, report, tz, report.ledger_size)
    step("14-day series and ledger entries")
    return report


def _day_list(days: DayRepository, day: date, tz: Any, seen_by: Visibility) -> list[dict[str, Any]]:
    """The day's first incidents, each with its time of day where one is known."""
    return [{**row, "time": time_of_day(row["start"], tz, known=row["time_precision"] == TimePrecision.EXACT.value)}
            for row in days.day_list(day, tz, seen_by, DAY_LIST)]


def _casualties(report: DailyReport, uow: UnitOfWork, sel: Selection, tz: Any, seen_by: Visibility) -> None:
    day = report.day
    tables = [(kind, uow.days.casualty_series(day, day, tz, seen_by, kind=kind)) for kind in ("killed", "injured")]
    names = {s.id: s.name for s in uow.directory.sources(
        {src for _k, table in tables for cell in table.values() for src in cell.sources}).values()}
    for kind, table in tables:
        for (_d, category), cell in sorted(table.items(), key=lambda kv: kv[0][1].value):
            report.casualties.append({
                "kind": kind, "category": category.value, "low": cell.low, "best": cell.best,
                "high": cell.high, "open": cell.open_ended, "sources": sorted(names.get(s, s) for s in cell.sources),
                "incidents": Figure(len(cell.incidents), sel, frozenset(cell.incidents), (kind, category.value)),
                "ids": sorted(cell.incidents)})
    found = uow.days.cumulative_tolls(day, seen_by)
    affiliations = {s.id: s.affiliation for s in uow.directory.sources(
        {f.source for f, _n, _i in found if f.source}).values()}
    parties = {p.id: p.name for p in uow.directory.parties()}
    for figure, source_name, incident_id in found:
        party = toll_party(affiliations.get(figure.source or ""))
        report.tolls.append({"figure": figure, "source": source_name or figure.source or "?",
                             "incident": incident_id, "party": party,
                             "whose": f"losses of {parties.get(party, party)}" if party
                             else "whose losses: not stated by the source"})


def _series(report: DailyReport, days: DayRepository, tz: Any, seen_by: Visibility) -> None:
    span, series = days.violation_series(report.day, 14, seen_by)
    report.chart_days, report.chart_violations = span, series
    report.chart_casualties = {"killed": days.casualty_totals(span, tz, seen_by)}
