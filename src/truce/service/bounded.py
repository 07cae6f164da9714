"""Bounded pydantic types for dates, times, numbers and offsets that come
from outside, shared by the API's schemas and query parameters and by the
observer report format. Each defers to ``truce.domain.bounds``; a value out
of bounds is a 422 naming the field.

    from_: Annotated[Day | None, Query(alias="from")] = None
    start: Moment
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

from ..domain import bounds
from ..domain.exceptions import ValidationError

__all__ = ["Day", "Finite", "Moment", "Offset"]


def _checked(check, value):  # type: ignore[no-untyped-def]
    try:
        return check(value, "value")
    except ValidationError as exc:
        raise ValueError(exc.message) from None  # pydantic adds the field's location


def _day(value: date) -> date:
    return _checked(bounds.check_day, value)


def _moment(value: datetime) -> datetime:
    return _checked(bounds.check_moment, value)


Day = Annotated[date, AfterValidator(_day)]
"""A calendar day within the record's dates (1900-01-01 .. 2100-12-31)."""

Moment = Annotated[AwareDatetime, AfterValidator(_moment)]
"""A time with its UTC offset, on a day within the record's dates."""

Offset = Annotated[int, Field(ge=0, le=bounds.MAX_OFFSET)]
"""How many rows of a list to skip."""

Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A finite number (never NaN or infinite)."""
