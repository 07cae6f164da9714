"""Time and place precision, and their mapping to ACLED and UCDP GED codes.

ACLED ``time_precision``: 1 day, 2 week, 3 month (or longer).
UCDP ``date_prec``: 1 day, 2 2-6 days, 3 week, 4 month, 5 year.
ACLED ``geo_precision``: 1 town, 2 near a town / part of a region, 3 region.
UCDP ``where_prec``: 1 exact, 2 within 25 km, 3 second-order admin area,
4 first-order admin area, 5 linear feature, 6 country, 7 international waters.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["GeoPrecision", "TimePrecision"]


class TimePrecision(str, Enum):
    EXACT = "exact"
    DAY = "day"
    DAYS = "days"  # within 2-6 days
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    def to_acled(self) -> int:
        return {"exact": 1, "day": 1, "days": 2, "week": 2, "month": 3, "year": 3}[self.value]

    @classmethod
    def from_acled(cls, code: int) -> TimePrecision:
        try:
            return {1: cls.DAY, 2: cls.WEEK, 3: cls.MONTH}[int(code)]
        except (KeyError, ValueError):
            raise ValueError(f"ACLED time_precision must be 1, 2 or 3, not {code!r}") from None

    def to_ucdp(self) -> int:
        return {"exact": 1, "day": 1, "days": 2, "week": 3, "month": 4, "year": 5}[self.value]

    @classmethod
    def from_ucdp(cls, code: int) -> TimePrecision:
        try:
            return {1: cls.DAY, 2: cls.DAYS, 3: cls.WEEK, 4: cls.MONTH, 5: cls.YEAR}[int(code)]
        except (KeyError, ValueError):
            raise ValueError(f"UCDP date_prec must be 1 to 5, not {code!r}") from None


class GeoPrecision(str, Enum):
    EXACT = "exact"  # a measured point
    SETTLEMENT = "settlement"  # the named town or village
    NEAR = "near"  # near a town, within ~25 km
    DISTRICT = "district"  # second-order admin area
    REGION = "region"  # first-order admin area
    LINE = "line"  # somewhere along a linear feature (the line of contact)
    COUNTRY = "country"  # only the country is known

    def to_acled(self) -> int:
        return {
            "exact": 1, "settlement": 1, "near": 2, "district": 2,
            "region": 3, "line": 3, "country": 3,
        }[self.value]

    @classmethod
    def from_acled(cls, code: int) -> GeoPrecision:
        try:
            return {1: cls.SETTLEMENT, 2: cls.NEAR, 3: cls.REGION}[int(code)]
        except (KeyError, ValueError):
            raise ValueError(f"ACLED geo_precision must be 1, 2 or 3, not {code!r}") from None

    def to_ucdp(self) -> int:
        return {
            "exact": 1, "settlement": 1, "near": 2, "district": 3,
            "region": 4, "line": 5, "country": 6,
        }[self.value]

    @classmethod
    def from_ucdp(cls, code: int) -> GeoPrecision:
        try:
            return {
                1: cls.SETTLEMENT, 2: cls.NEAR, 3: cls.DISTRICT, 4: cls.REGION,
                5: cls.LINE, 6: cls.COUNTRY, 7: cls.COUNTRY,
            }[int(code)]
        except (KeyError, ValueError):
            raise ValueError(f"UCDP where_prec must be 1 to 7, not {code!r}") from None

    @property
    def uncertainty_m(self) -> float:
        """A typical radius of doubt for this precision, in metres."""
        return {
            "exact": 100.0, "settlement": 2_000.0, "near": 25_000.0, "district": 40_000.0,
            "region": 80_000.0, "line": 100_000.0, "country": 300_000.0,
        }[self.value]
