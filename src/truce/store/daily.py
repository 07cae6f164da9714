"""Read-only queries behind the daily report and the dashboard charts.

Each one is bounded by days, so its cost follows the size of a day, not of
the store: incidents through ``ix_incidents_status_start``; violations
through ``ix_violations_agreement_day`` (the violations engine evaluates
published incidents only and stores each violation's local ``day`` and
``sector``, so day tallies need no join); figures through their incident
index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection, and_, exists, func, or_, select

from ..domain.casualties import CasualtyRange, casualty_range
from ..domain.grades import Grade
from ..domain.incidents import CasualtyCategory, CasualtyFigure, Qualifier
from . import tables as t
from .rules import effective_grade
from .selection import Selection, day_bounds
from .visibility import Visibility

__all__ = ["DayIncident", "DayRepository", "DaySum", "DayViolation"]


@dataclass(frozen=True)

class DayIncident:
    """One incident of the day, as the report's tables and map need it."""

    id: str
    event_type: str
    grade: str | None
    latitude: float | None
    longitude: float | None

    @property
    def confirmed(self) -> bool:
        return self.grade is not None and Grade(self.grade).confirmed

@dataclass(frozen=True)

class DayViolation:
    """An incident of the day that broke a term: who is held responsible, where."""

    incident: DayIncident
    responsible: frozenset[str | None]
    sector: str | None

@dataclass

class DaySum:
    """Casualty ranges of a day's incidents summed (a floor: not every incident is reported)."""

    low: int = 0
    best: int = 0
    high: int = 0
    open_ended: bool = False
    sources: set[str] = field(default_factory=set)
    incidents: set[str] = field(default_factory=set)

def _range(figures: list[tuple[int, str, str | None]], category: CasualtyCategory, kind: str) -> CasualtyRange:
    """One incident's range for one count, by ``truce.domain.casualties.casualty_range``;
    a lone exact or "about" figure n is the range (n, n, n) under that rule, so
    it is taken as is rather than built into objects first (most counts are)."""
    if len(figures) == 1 and figures[0][1] in (Qualifier.EXACT.value, Qualifier.ABOUT.value):
        value, _q, source = figures[0]
        return CasualtyRange(value, value, value, (source,) if source else ())
    return casualty_range([CasualtyFigure(category=category, kind=kind, value=v, qualifier=Qualifier(q), source=src)
                           for v, q, src in figures])


class DayRepository:
    """The day-bounded reads of the daily report, the dashboard and its charts."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def violations_evaluated(self) -> bool:
        """Whether any violation was ever computed in this store."""
        return self.connection.execute(select(t.violations.c.id).limit(1)).first() is not None

    def _agreement_ids(self) -> list[str]:
        return [a for (a,) in self.connection.execute(select(t.agreements.c.id))]

    def incident_count(self, day: date, tz: tzinfo, seen_by: Visibility) -> int:
        where = Selection(start=day, end=day, seen_by=seen_by).where(tz)
        return self.connection.execute(select(func.count()).select_from(t.incidents).where(and_(*where))).scalar_one()

    def day_incidents(self, day: date, tz: tzinfo, seen_by: Visibility) -> list[DayIncident]:
        """Every incident of ``day`` (no times, no titles: what the tallies and map need)."""
        i = t.incidents.c
        where = Selection(start=day, end=day, seen_by=seen_by).where(tz)
        query = select(i.id, i.event_type, effective_grade(), i.latitude, i.longitude)
        return [DayIncident(*row) for row in self.connection.execute(query.where(and_(*where)))]

    def day_violations(self, day: date, incidents: dict[str, DayIncident] | None) -> list[DayViolation]:
        """The violations of ``day`` per incident. With ``incidents`` (the day's,
        by id) those not among them are left out, e.g. unpublished ones in the
        public edition; without, they are counted from the violations alone."""
        v = t.violations.c
        query = (select(v.incident_id, v.responsible, v.sector, v.grade)
                 .where(v.agreement_id.in_(self._agreement_ids()), v.day == day))
        found: dict[str, list[Any]] = {}
        for incident_id, responsible, sector, grade in self.connection.execute(query):
            entry = found.setdefault(incident_id, [set(), sector, grade])
            entry[0].add(responsible)
        out = []
        for incident_id, (responsible, sector, grade) in found.items():
            incident = (incidents.get(incident_id) if incidents is not None
                        else DayIncident(incident_id, "", grade, None, None))
            if incident is not None:
                out.append(DayViolation(incident, frozenset(responsible), sector))
        return out

    def violations_by_sector(self, day: date, seen_by: Visibility) -> dict[str | None, int]:
        """Incidents of ``day`` with a violation, per stored sector; the key None
        holds the total (an incident counts once however many terms it broke)."""
        v = t.violations.c
        where = (v.agreement_id.in_(self._agreement_ids()), v.day == day, seen_by.of_incident_sql(v.incident_id))
        counts: dict[str | None, int] = {
            sector: n for sector, n in self.connection.execute(
                select(v.sector, func.count(func.distinct(v.incident_id))).where(*where).group_by(v.sector))
            if sector is not None}
        total = select(func.count(func.distinct(v.incident_id))).where(*where)
        counts[None] = self.connection.execute(total).scalar_one()
        return counts

    def day_list(self, day: date, tz: tzinfo, seen_by: Visibility, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` incidents of the day in time order, for the report's list."""
        i = t.incidents.c
        where = Selection(start=day, end=day, seen_by=seen_by).where(tz)
        query = (select(i.id, i.title, i.start, i.event_type, i.sub_type, i.place_id.label("place"),
                        i.place_name, i.status, i.latitude, i.longitude, i.geo_precision, i.country,
                        i.time_precision, effective_grade().label("grade"))
                 .where(and_(*where)).order_by(i.start, i.id).limit(limit))
        return [dict(r._mapping) for r in self.connection.execute(query)]

    def violation_series(self, last: date, days: int,
                         seen_by: Visibility) -> tuple[list[date], dict[str, list[int]]]:
        """Violations per day by attributed party ("unattributed" when nobody is)
        for the ``days`` days ending ``last``: one grouped query on the violations."""
        span = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
        index = {d: n for n, d in enumerate(span)}
        v = t.violations.c
        query = (select(v.day, v.responsible, func.count(func.distinct(v.incident_id)))
                 .where(v.agreement_id.in_(self._agreement_ids()), v.day >= span[0], v.day <= last,
                        seen_by.of_incident_sql(v.incident_id))
                 .group_by(v.day, v.responsible))
        series: dict[str, list[int]] = defaultdict(lambda: [0] * days)
        for day, responsible, count in self.connection.execute(query):
            series[responsible or "unattributed"][index[day]] = count
        return span, dict(series)

    def casualty_series(self, first: date, last: date, tz: tzinfo, seen_by: Visibility,
                        kind: str = "killed") -> dict[tuple[date, CasualtyCategory], DaySum]:
        """Per-day, per-category sums of incident ranges (discounted incidents left
        out). One indexed query per day, so no moment needs converting to a day."""
        i, f = t.incidents.c, t.casualty_figures.c
        out: dict[tuple[date, CasualtyCategory], DaySum] = {}
        day = first
        while day <= last:
            where = Selection(start=day, end=day, seen_by=seen_by).where(tz)
            query = (select(i.id, f.category, f.value, f.qualifier, f.source_id)
                     .select_from(t.incidents.join(t.casualty_figures, f.incident_id == i.id))
                     .where(and_(*where), f.scope == "incident", f.kind == kind,
                            func.coalesce(effective_grade(), "") != Grade.DISCOUNTED.value))
            groups: dict[tuple[str, str], list[tuple[int, str, str | None]]] = defaultdict(list)
            for iid, category, value, qualifier, source in self.connection.execute(query):
                groups[(iid, category)].append((value, qualifier, source))
            for (iid, category), figures in groups.items():
                cat = CasualtyCategory(category)
                rng = _range(figures, cat, kind)
                cell = out.setdefault((day, cat), DaySum())
                cell.low, cell.best, cell.high = cell.low + rng.low, cell.best + rng.best, cell.high + rng.high
                cell.open_ended |= rng.open_ended
                cell.sources.update(rng.sources)
                cell.incidents.add(iid)
            day += timedelta(days=1)
        return out

    def casualty_totals(self, days: list[date], tz: tzinfo, seen_by: Visibility,
                        kind: str = "killed") -> list[tuple[int, int, int]]:
        """(low, best, high) of every category together, for each of ``days``."""
        totals = {d: [0, 0, 0] for d in days}
        for (day, _category), cell in self.casualty_series(days[0], days[-1], tz, seen_by, kind).items():
            totals[day][0] += cell.low
            totals[day][1] += cell.best
            totals[day][2] += cell.high
        return [(lo, best, hi) for lo, best, hi in (totals[d] for d in days)]

    def cumulative_tolls(self, day: date, seen_by: Visibility) -> list[tuple[CasualtyFigure, str | None, str]]:
        """The latest running toll each source gave on or before ``day``:
        (figure, source name, incident id), newest first."""
        f, s = t.casualty_figures.c, t.sources.c
        query = (select(f.category, f.kind, f.value, f.qualifier, f.source_id, f.as_of, f.text,
                        f.incident_id, s.name)
                 .select_from(t.casualty_figures.outerjoin(t.sources, s.id == f.source_id))
                 .where(f.scope == "cumulative", f.as_of <= day, seen_by.of_incident_sql(f.incident_id))
                 .order_by(f.as_of.desc(), f.id))
        seen: set[tuple[Any, ...]] = set()
        out = []
        for r in self.connection.execute(query):
            key = (r.source_id, r.category, r.kind)
            if key in seen:
                continue
            seen.add(key)
            out.append((CasualtyFigure(category=CasualtyCategory(r.category), kind=r.kind, value=r.value,
                                       qualifier=Qualifier(r.qualifier), scope="cumulative",
                                       source=r.source_id, as_of=r.as_of, text=r.text),
                        r.name, r.incident_id))
        return out[:12]

    def counted_rows(self, sel: Selection, tz: tzinfo, *, incidents: Collection[str] | None = None,
                     casualties: tuple[str, str] | None = None) -> list[str]:
        """The record ids (``<table>/<key>``) of the rows a figure counts: its
        incidents (``incidents`` when given, else those ``sel`` matches: the
        list its link opens), then, when ``sel`` counts violations, their
        violations of its days that it names (sector, party, agreement), or,
        with ``casualties`` (kind, category), their casualty figures of that count."""
        i, v, f = t.incidents.c, t.violations.c, t.casualty_figures.c
        if incidents is None:
            ids = sorted(self.connection.execute(select(i.id).where(and_(*sel.where(tz)))).scalars())
        else:
            ids = sorted(incidents)
        found = [f"incidents/{iid}" for iid in ids]
        if not ids:
            return found
        if casualties is not None:
            kind, category = casualties
            query = select(f.id).where(f.incident_id.in_(ids), f.scope == "incident", f.kind == kind,
                                       f.category == category).order_by(f.id)
            return found + [f"casualty_figures/{fid}" for fid in self.connection.execute(query).scalars()]
        if not (sel.violations or sel.agreement or sel.responsible):
            return found
        cond = [v.incident_id.in_(ids), v.agreement_id.in_(self._agreement_ids())]
        if sel.start:
            cond.append(v.day >= sel.start)
        if sel.end:
            cond.append(v.day <= sel.end)
        query = select(v.id).where(*cond, *sel.violation_where()).order_by(v.id)
        return found + [f"violations/{vid}" for vid in self.connection.execute(query).scalars()]

    def published_records(self, incident_ids: Collection[str], seen_by: Visibility) -> list[tuple[str, tuple]]:
        """(table, primary key) of what these incidents publish to ``seen_by``:
        each incident, then its claims ``seen_by`` may read, its casualty
        figures and its violations, each in id order."""
        ids = sorted(incident_ids)
        found: list[tuple[str, tuple]] = [("incidents", (i,)) for i in ids]
        if not ids:
            return found
        for table, extra in ((t.claims, [seen_by.claims_sql()]), (t.casualty_figures, []), (t.violations, [])):
            query = select(table.c.id).where(table.c.incident_id.in_(ids), *extra).order_by(table.c.id)
            found += [(table.name, (i,)) for i in self.connection.execute(query).scalars()]
        return found

    # -- the dashboard's lists and the report's prose sections --

    def span(self, seen_by: Visibility) -> tuple[Any, Any]:
        """The first and last start among the incidents ``seen_by`` may see (None, None if none)."""
        i = t.incidents.c
        lo, hi = self.connection.execute(
            select(func.min(i.start), func.max(i.start)).where(seen_by.incidents_sql(),
                                                               i.status != "merged")).one()
        return lo, hi

    def event_types(self, seen_by: Visibility, limit: int = 20) -> set[str]:
        query = select(t.incidents.c.event_type).where(seen_by.incidents_sql()).distinct().limit(limit)
        return {ty for (ty,) in self.connection.execute(query)}

    def listing(self, sel: Selection, tz: tzinfo, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """How many incidents ``sel`` matches, and the first ``limit`` in time order."""
        i = t.incidents.c
        where = and_(*sel.where(tz))
        count = self.connection.execute(select(func.count()).select_from(t.incidents).where(where)).scalar_one()
        rows = self.connection.execute(
            select(i.id, i.title, i.start, i.event_type, i.sub_type, i.place_id.label("place"), i.place_name, i.country,
                   i.latitude, i.longitude, effective_grade().label("grade"))
            .where(where).order_by(i.start, i.id).limit(limit)).all()
        return count, [dict(r._mapping) for r in rows]

    def located(self, sel: Selection, tz: tzinfo, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """How many incidents ``sel`` matches (located or not), and the first
        ``limit`` located ones, each with whether it broke a term."""
        i = t.incidents.c
        where = and_(*sel.where(tz))
        count = self.connection.execute(select(func.count()).select_from(t.incidents).where(where)).scalar_one()
        violation = exists().where(t.violations.c.incident_id == i.id)
        rows = self.connection.execute(
            select(i.id, i.title, i.start, i.event_type, i.sub_type, i.place_id.label("place"), i.place_name,
                   i.latitude, i.longitude,
                   i.geo_precision, effective_grade().label("grade"), violation.label("violation"))
            .where(where, i.latitude.is_not(None)).order_by(i.start, i.id).limit(limit)).all()
        return count, [dict(r._mapping) for r in rows]

    def contested(self, day: date, tz: tzinfo, seen_by: Visibility, limit: int) -> dict[str, tuple[str, str | None]]:
        """{incident id: (title, grade)} of up to ``limit`` incidents of ``day``
        that ``seen_by`` may see, graded contested or denied or disputed by a
        counted claim (one awaiting review, rejected or shown false never makes
        an incident contested)."""
        i, c = t.incidents.c, t.claims.c
        sel = Selection(start=day, end=day, seen_by=seen_by)
        denial = exists().where(c.incident_id == i.id, c.stance.in_(("denies", "disputes")),
                                Visibility.counted_sql())
        query = (select(i.id, i.title, effective_grade())
                 .where(and_(*sel.where(tz)), or_(effective_grade() == Grade.CONTESTED.value, denial))
                 .order_by(i.start, i.id).limit(limit))
        return {iid: (title, grade) for iid, title, grade in self.connection.execute(query)}

    def alerts(self, day: date, tz: tzinfo, seen_by: Visibility) -> list[dict[str, Any]]:
        """Alerts raised on ``day``, for a reader who may see alerts (else none)."""
        if not seen_by.alerts():
            return []
        lo, hi = day_bounds(day, day, tz)
        a = t.alerts.c
        query = select(t.alerts).where(a.raised_at >= lo, a.raised_at < hi).order_by(a.raised_at)
        return [dict(row) for row in self.connection.execute(query).mappings()]
