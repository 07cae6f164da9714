"""How outputs write times and distances for people: the one place for both.

Times for people are shown in the theatre's time zone (``TRUCE_TIMEZONE``),
never in the server's: ``local_time`` ("14 Oct 2020 11:30 (Asia/Baku)"), in
tables and pages that name the zone. Times for machines (API JSON, GeoJSON and
CSV exports, webhooks, the CLI's JSON and CSV) are ISO 8601 in UTC with ``Z``
("2020-10-14T07:30:00Z"), written by ``utc_iso`` alone (``domain.moments``,
re-exported here), so a moment is the same string in every output. Distances are rounded to what the figure can
carry: ``distance(564.7)`` is "565 m", ``distance(1234)`` "1.2 km";
``uncertainty`` puts "±" before one. The CLI, the API's ``*_local`` and
``*_label`` fields, the pages and the daily report all call these.

    >>> distance(564.7), distance(1234.0), distance(12_345.0), uncertainty(564.7)
    ('565 m', '1.2 km', '12 km', '±565 m')
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from ..domain.moments import utc_iso
from ..settings import get_settings

__all__ = ["counted", "distance", "local_time", "time_of_day", "uncertainty", "utc_iso"]


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, plural unless one: ``counted(1, "case")`` is
    "1 case", ``counted(3, "case")`` "3 cases", ``counted(2, "query",
    "queries")`` "2 queries". The one place outputs pluralise a count."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def local_time(moment: datetime | None, *, zone: bool = True) -> str:
    """A moment as a person reads it, in the theatre's time zone:
    ``"14 Oct 2020 11:30 (Asia/Baku)"``; without the zone's name (for a
    table whose heading names it) ``"14 Oct 2020 11:30"``; "" for None."""
    if moment is None:
        return ""
    settings = get_settings()
    shown = f"{moment.astimezone(settings.tz):%-d %b %Y %H:%M}"
    return f"{shown} ({settings.timezone})" if zone else shown


def time_of_day(moment: datetime, tz: tzinfo, *, known: bool = True) -> str:
    """The hour and minute of ``moment`` in ``tz`` ("11:30"), for a list
    headed by its day; "that day" when only the day is ``known``."""
    return f"{moment.astimezone(tz):%H:%M}" if known else "that day"


def distance(metres: float | None) -> str:
    """A distance rounded to what it can carry: whole metres under 1 km, a
    tenth of a kilometre under 10 km, whole kilometres beyond; "" for None."""
    if metres is None:
        return ""
    if metres < 999.5:
        return f"{metres:.0f} m"
    if metres < 9_950:
        return f"{metres / 1000:.1f} km"
    return f"{metres / 1000:.0f} km"


def uncertainty(metres: float | None) -> str:
    """An uncertainty radius: ``"±565 m"``; "" for None."""
    return f"±{distance(metres)}" if metres is not None else ""
