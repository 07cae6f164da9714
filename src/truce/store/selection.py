"""A selection of incidents that a dashboard link, the map and the daily
report all speak: days, type, party, grade(s), sector, agreement, violations.

A day is a calendar day in the theatre's time zone and an incident belongs to
the day its ``start`` falls in, so a range query walks ``ix_incidents_start``
and stays per-day work however large the store is.

    >>> Selection(start=date(2020, 10, 14), end=date(2020, 10, 14), grades=("verified",)).query()
    'from=2020-10-14&to=2020-10-14&grade=verified'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, exists, or_, select

from ..domain.bounds import check_day, check_period
from ..domain.claims import Proposition
from ..domain.exceptions import ValidationError
from ..domain.grades import Grade
from ..domain.incidents import Status
from ..domain.taxonomy import EVENT_TYPES
from . import tables as t
from .rules import effective_grade
from .visibility import PUBLIC, Visibility

__all__ = ["Selection", "day_bounds"]

GRADES = tuple(g.value for g in Grade)
UNGRADED = "ungraded"
NONE = "none"  # responsible or sector: nobody, no sector


def day_bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in ``tz``, as UTC moments."""
    lo = datetime.combine(first, time(), tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    return lo, hi


@dataclass(frozen=True)
class Selection:
    start: date | None = None
    end: date | None = None  # inclusive
    event_type: str | None = None
    party: str | None = None  # named in the incident: blamed, speaking, actor
    responsible: str | None = None  # party a violation is attributed to ("none": unattributed)
    grades: tuple[str, ...] = ()
    sector: str | None = None  # "none": no sector assigned
    agreement: str | None = None
    violations: bool = False
    seen_by: Visibility = PUBLIC  # whose outputs: the public's by default

    @classmethod
    def from_query(cls, params: Mapping[str, str], *, seen_by: Visibility = PUBLIC) -> Selection:
        """Parse a query string's values; a bad value is a ValidationError naming its field."""
        def day(name: str) -> date | None:
            text = (params.get(name) or "").strip()
            if not text:
                return None
            try:
                parsed = date.fromisoformat(text)
            except ValueError:
                raise ValidationError(f"{text!r} is not a date (YYYY-MM-DD)", field=name) from None
            return check_day(parsed, name)

        grades = tuple(g for g in (params.get("grade") or "").split(",") if g)
        for g in grades:
            if g not in GRADES and g != UNGRADED:
                raise ValidationError(f"unknown grade {g!r}; one of: {', '.join(GRADES)}", field="grade")
        event_type = params.get("type") or None
        if event_type and event_type not in EVENT_TYPES:
            raise ValidationError(f"unknown event type {event_type!r}", field="type")
        sel = cls(start=day("from"), end=day("to"), event_type=event_type,
                  party=params.get("party") or None, responsible=params.get("responsible") or None,
                  grades=grades, sector=params.get("sector") or None,
                  agreement=params.get("agreement") or None,
                  violations=(params.get("violations") or "") in ("1", "true", "yes"),
                  seen_by=seen_by)
        check_period(sel.start, sel.end)
        return sel

    def with_(self, **changes: Any) -> Selection:
        return replace(self, **changes)

    def query(self) -> str:
        """The query string a link to this selection carries."""
        pairs = [("from", self.start.isoformat() if self.start else None),
                 ("to", self.end.isoformat() if self.end else None),
                 ("type", self.event_type), ("party", self.party), ("responsible", self.responsible),
                 ("grade", ",".join(self.grades) or None), ("sector", self.sector),
                 ("agreement", self.agreement), ("violations", "1" if self.violations else None)]
        return urlencode([(k, v) for k, v in pairs if v])

    def where(self, tz: tzinfo) -> list[Any]:
        """SQLAlchemy clauses on ``incidents`` (joined to nothing)."""
        c = t.incidents.c
        clauses: list[Any] = [c.status != Status.MERGED.value, self.seen_by.incidents_sql()]
        if self.start or self.end:
            lo, hi = day_bounds(self.start or date(1900, 1, 1), self.end or date(2999, 12, 30), tz)
            if self.start:
                clauses.append(c.start >= lo)
            if self.end:
                clauses.append(c.start < hi)
        if self.event_type:
            clauses.append(c.event_type == self.event_type)
        if self.grades:
            effective = effective_grade()
            named = [g for g in self.grades if g != UNGRADED]
            either = [effective.in_(named)] if named else []
            if UNGRADED in self.grades:
                either.append(effective.is_(None))
            clauses.append(or_(*either))
        if self.party:
            blamed = select(t.claims.c.incident_id).where(
                t.claims.c.proposition == Proposition.PERPETRATOR.value, t.claims.c.value == self.party)
            spoke = select(t.claims.c.incident_id).join(
                t.actors, t.actors.c.id == t.claims.c.actor_id).where(t.actors.c.party_id == self.party)
            clauses.append(or_(c.id.in_(blamed), c.id.in_(spoke), c.actor1 == self.party,
                               c.actor2 == self.party))
        violating = self.violations or self.agreement or self.responsible
        if self.sector and not violating:
            g = t.incident_geo.c
            if self.sector == NONE:
                clauses.append(~exists().where(g.incident_id == c.id, g.sector.is_not(None)))
            else:
                clauses.append(exists().where(g.incident_id == c.id, g.sector == self.sector))
        if violating:  # a violation's sector is the one stored with it
            clauses.append(exists().where(and_(t.violations.c.incident_id == c.id, *self.violation_where())))
        return clauses

    def violation_where(self) -> list[Any]:
        """The conditions on a violation row this selection names (sector,
        agreement, responsible party): one rule for the list and its counts."""
        v = t.violations.c
        cond: list[Any] = []
        if self.sector == NONE:
            cond.append(v.sector.is_(None))
        elif self.sector:
            cond.append(v.sector == self.sector)
        if self.agreement:
            cond.append(v.agreement_id == self.agreement)
        if self.responsible == "none":
            cond.append(v.responsible.is_(None))
        elif self.responsible:
            cond.append(v.responsible == self.responsible)
        return cond

    def describe(self, sector_name: Callable[[str], str] = str) -> str:
        """Plain words for a page heading, e.g. 'violations, 14 Oct 2020, sector Varanda / Fuzuli'
        (``sector_name``: how the theatre names a sector, ``naming.sector_label``)."""
        parts = []
        if self.violations or self.agreement:
            parts.append("ceasefire violations")
        if self.start and self.end and self.start == self.end:
            parts.append(self.start.strftime("%-d %b %Y"))
        elif self.start or self.end:
            parts.append(f"{self.start or '…'} to {self.end or '…'}")
        sector = sector_name(self.sector) if self.sector and self.sector != NONE else self.sector
        for label, value in (("type", self.event_type), ("party named", self.party),
                             ("attributed to", self.responsible), ("sector", sector),
                             ("agreement", self.agreement)):
            if value:
                parts.append(f"{label} {value}")
        if self.grades:
            parts.append("graded " + " or ".join(self.grades))
        return ", ".join(parts) or "all incidents"
