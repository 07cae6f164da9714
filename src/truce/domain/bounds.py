"""What the domain allows of the dates, times and numbers that come from
outside (HTTP, the CLI, imported files), checked in one place.

Records are about armed conflict since 1900 and ceasefires agreed until the
end of this century: a day outside 1900-01-01 .. 2100-12-31 is a typo (or a
probe), never data, and refusing it early keeps every date computation
(time zones, "the day after") far from the calendar's edges. Numbers must
be finite; offsets into a list stay below ``MAX_OFFSET``.

Each check returns the value or raises ``ValidationError`` naming the field.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from .exceptions import ValidationError

__all__ = ["EARLIEST_DAY", "LATEST_DAY", "MAX_OFFSET", "check_day", "check_finite",
           "check_moment", "check_offset"]

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
MAX_OFFSET = 10_000_000
"""Far beyond any list the mission keeps, far below any integer limit."""


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
