"""What the domain allows of the dates, times and numbers that come from
outside (HTTP, the CLI, imported files), checked in one place.

Records are about armed conflict since 1900 and ceasefires agreed until the
end of this century: a day outside 1900-01-01 .. 2100-12-31 is a typo (or a
probe), never data, and refusing it early keeps every date computation
(time zones, "the day after") far from the calendar's edges. Numbers must
be finite; offsets into a list stay below ``MAX_OFFSET``; a count of people
(killed, injured, displaced) is a whole number from 0 to ``MAX_COUNT``. A
period (``from`` .. ``to``) never ends before it starts.

Each check returns the value or raises ``ValidationError`` naming the field;
``parse_moment`` reads the one text form of a moment every input takes.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from .exceptions import ValidationError

__all__ = ["EARLIEST_DAY", "LATEST_DAY", "MAX_COUNT", "MAX_OFFSET", "check_count", "check_day",
           "check_finite", "check_moment", "check_offset", "check_period", "parse_moment"]

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
MAX_OFFSET = 10_000_000
"""Far beyond any list the mission keeps, far below any integer limit."""
MAX_COUNT = 10_000_000
"""More people than any one event or toll has counted, far below any integer column's limit."""


def _range() -> str:
    return f"{EARLIEST_DAY.isoformat()} .. {LATEST_DAY.isoformat()}"


def check_day(value: date, field: str) -> date:
    """``value`` if it lies in the record's calendar.

    >>> check_day(date(2020, 10, 14), "to")
    datetime.date(2020, 10, 14)
    """
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(f"{value.isoformat()} is outside the dates records can have "
                              f"({_range()})", field=field)
    return value


def check_moment(value: datetime, field: str) -> datetime:
    """``value`` (with a time zone) if its day in UTC lies in the record's calendar."""
    if value.tzinfo is None:
        raise ValidationError(f"{value.isoformat()} has no time zone offset", field=field)
    # the local date bounds it before any conversion can overflow
    check_day(value.date(), field)
    check_day(value.astimezone(UTC).date(), field)
    return value


def check_finite(value: float, field: str, *, low: float | None = None,
                 high: float | None = None) -> float:
    """``value`` if it is a finite number within [low, high] (either may be open)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{value!r} is not a number", field=field)
    if not math.isfinite(value):
        raise ValidationError(f"{value!r} is not a finite number", field=field)
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{'-inf' if low is None else low:g} .. {'inf' if high is None else high:g}"
        raise ValidationError(f"{value:g} is outside {bounds}", field=field)
    return value


def check_offset(value: int, field: str = "offset") -> int:
    if not 0 <= value <= MAX_OFFSET:
        raise ValidationError(f"{value} is outside 0 .. {MAX_OFFSET}", field=field)
    return value


def check_count(value: int, field: str) -> int:
    """``value`` if it is a whole number of people, 0 .. ``MAX_COUNT``.

    >>> check_count(13, "fatalities")
    13
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{value!r} is not a whole number", field=field)
    if not 0 <= value <= MAX_COUNT:
        shown = str(value) if value.bit_length() <= 64 else f"{str(value)[:20]}..."
        raise ValidationError(f"{shown} is outside 0 .. {MAX_COUNT}", field=field)
    return value


def check_period(start: date | datetime | None, end: date | datetime | None, *,
                 names: tuple[str, str] = ("from", "to")) -> None:
    """Refuse a period that ends before it starts (either end may be open).

    ``names`` are its two ends as the person gave them: the query parameters
    ``from`` and ``to`` by default, a command's ``("--from", "--to")``; the
    error's field is the end's, without dashes.

    >>> try:
    ...     check_period(date(2020, 10, 20), date(2020, 10, 1))
    ... except ValidationError as exc:
    ...     print(exc)
    to: the period ends before it starts (to 2020-10-01 is before from 2020-10-20)
    """
    if start is None or end is None or end >= start:
        return
    first, last = names
    raise ValidationError(f"the period ends before it starts ({last} {end.isoformat()} is before "
                          f"{first} {start.isoformat()})", field=last.lstrip("-"))


def parse_moment(text: str, field: str) -> datetime:
    """A moment written in ISO 8601 with its UTC offset, within the record's
    calendar (``check_moment``); a time without an offset is refused, never guessed.

    >>> parse_moment("2020-10-15T06:00+04:00", "start").isoformat()
    '2020-10-15T06:00:00+04:00'
    """
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationError(f"{text!r} is not an ISO 8601 time", field=field) from None
    if moment.tzinfo is None:
        raise ValidationError(f"{text!r} has no UTC offset (e.g. 2020-10-14T09:00+04:00)", field=field)
    return check_moment(moment, field)
