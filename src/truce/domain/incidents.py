"""Reports as received, and incidents: the mission's view of one event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from .grades import Grade
from .precision import GeoPrecision, TimePrecision
from .taxonomy import WeaponClass

__all__ = [
    "CasualtyCategory",
    "CasualtyFigure",
    "Incident",
    "Qualifier",
    "Report",
    "Status",
    "TargetType",
]


class Status(str, Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    MERGED = "merged"  # folded into another incident; kept, never deleted


class TargetType(str, Enum):
    MILITARY = "military"
    CIVILIAN = "civilian"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class CasualtyCategory(str, Enum):
    CIVILIAN = "civilian"
    MILITARY = "military"
    UNKNOWN = "unknown"


class Qualifier(str, Enum):
    """How a source qualified a number: '600' exact, 'more than 600', ..."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"


@dataclass(frozen=True)
class CasualtyFigure:
    """One number from one source: killed or injured, in one category.

    ``scope`` is "incident" for a figure about this event alone and
    "cumulative" for a running toll (which must not be added to per-incident
    figures).
    """

    category: CasualtyCategory
    kind: str  # "killed" | "injured"
    value: int
    qualifier: Qualifier = Qualifier.EXACT
    scope: str = "incident"
    source: str | None = None
    as_of: date | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError(f"a casualty figure cannot be negative ({self.value})")
        if self.kind not in ("killed", "injured"):
            raise ValueError(f"casualty kind must be 'killed' or 'injured', not {self.kind!r}")
        if self.scope not in ("incident", "cumulative"):
            raise ValueError(f"casualty scope must be 'incident' or 'cumulative', not {self.scope!r}")


@dataclass(frozen=True)
class Report:
    """What one source says happened, as received. Never changed once stored.

    A correction is a new report whose ``corrects`` names the earlier one.
    """

    id: str
    source: str
    received: datetime
    summary: str
    observed_at: datetime | None = None
    incident: str | None = None
    corrects: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    observer: str | None = None
    kind: str = "incident"  # incident | situation | restriction | jamming
    payload: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Incident:
    id: str
    title: str
    event_type: str
    start: datetime
    end: datetime
    time_precision: TimePrecision = TimePrecision.DAY
    sub_type: str | None = None
    place: str | None = None
    place_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: GeoPrecision = GeoPrecision.SETTLEMENT
    country: str | None = None
    weapon_class: WeaponClass = WeaponClass.UNKNOWN
    target_type: TargetType = TargetType.UNKNOWN
    damage: str | None = None
    status: Status = Status.DRAFT
    actor1: str | None = None  # as ACLED: who acted, only when a claim or source says so
    actor2: str | None = None
    grade: Grade | None = None
    grade_reasons: tuple[str, ...] = ()
    grade_override: Grade | None = None
    grade_override_reason: str | None = None
    location_uncertainty_m: float | None = None  # radius of an estimated position

    @property
    def effective_grade(self) -> Grade | None:
        """The analyst's override where one was set, else the computed grade."""
        return self.grade_override or self.grade

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"incident {self.id}: end {self.end} is before start {self.start}")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError(f"incident {self.id}: give both latitude and longitude or neither")

    @property
    def located(self) -> bool:
        return self.latitude is not None

    @property
    def uncertainty_m(self) -> float | None:
        """The radius of doubt of the incident's position, the one every output
        shows: the estimate's where one was computed (``location_uncertainty_m``),
        else the typical radius of its precision; None when it is not located.

        >>> from datetime import UTC, datetime
        >>> t = datetime(2020, 10, 14, tzinfo=UTC)
        >>> Incident("i", "x", "Battles", t, t, latitude=40.3, longitude=46.9).uncertainty_m
        2000.0
        """
        if not self.located:
            return None
        if self.location_uncertainty_m is not None:
            return self.location_uncertainty_m
        return self.geo_precision.uncertainty_m
