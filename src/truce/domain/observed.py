"""What the observations of a signed observer report give its incident
beyond place and time: the casualties the observers saw.

A signed report keeps its observations under ``payload["report"]``; each may
carry ``casualties_seen`` (killed, injured). ``observed_casualties`` turns
them into casualty figures sourced to the report's own source (the
mission's observer), so an incident built from or joined by the report counts
them like any other figure: at least what was seen, category unknown (an
observer at a distance cannot tell a soldier from a civilian).

>>> from datetime import UTC, datetime
>>> from truce.domain.incidents import Report
>>> r = Report(id="r1", source="src-obs", received=datetime(2020, 10, 16, tzinfo=UTC), summary="",
...            payload={"report": {"observations": [{"casualties_seen": {"injured": 1}}]}})
>>> [(f.kind, f.value, f.qualifier.value, f.source) for f in observed_casualties(r)]
[('injured', 1, 'at_least', 'src-obs')]
"""

from __future__ import annotations

from .incidents import CasualtyCategory, CasualtyFigure, Qualifier, Report

__all__ = ["observed_casualties"]


def observed_casualties(report: Report) -> list[CasualtyFigure]:
    """The casualty figures a report's observations saw (killed, injured; none when none seen)."""
    signed = (report.payload or {}).get("report") or {}
    seen = {"killed": 0, "injured": 0}
    for observation in signed.get("observations") or []:
        for kind in seen:
            seen[kind] += int(((observation or {}).get("casualties_seen") or {}).get(kind) or 0)
    moment = report.observed_at or report.received
    return [CasualtyFigure(category=CasualtyCategory.UNKNOWN, kind=kind, value=value,
                           qualifier=Qualifier.AT_LEAST, source=report.source, as_of=moment.date(),
                           text=f"{value} {kind} seen by the observers (report {report.id})")
            for kind, value in seen.items() if value]
