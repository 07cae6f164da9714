"""Agreements with evaluable terms, and the violations found against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

__all__ = ["Agreement", "Term", "TermKind", "Violation"]


class TermKind(str, Enum):
    NO_FIRE = "no_fire"
    NO_HEAVY_WEAPONS_NEAR_LINE = "no_heavy_weapons_near_line"
    NO_STRIKES_ON_CIVILIANS = "no_strikes_on_civilians"
    NO_ADVANCE = "no_advance"
    OBSERVER_FREEDOM_OF_MOVEMENT = "observer_freedom_of_movement"


@dataclass(frozen=True)
class Term:
    kind: TermKind
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def describe(self) -> str:
        if self.kind is TermKind.NO_HEAVY_WEAPONS_NEAR_LINE:
            return f"no heavy weapons within {self.params.get('km', 0)} km of the line of contact"
        return self.kind.value.replace("_", " ")


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    parties: tuple[str, ...]
    start: datetime
    end: datetime | None = None
    terms: tuple[Term, ...] = ()
    scope: str = "theatre"
    source: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError(f"agreement {self.name!r}: start must carry a time zone")
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"agreement {self.name!r}: end {self.end} is not after start {self.start}")

    def in_force(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class Violation:
    agreement: str
    incident: str
    term: TermKind
    responsible: str | None  # party id, or None = unattributed
    basis: str  # "found" | "alleged" | "unattributed"
    claim_ids: tuple[str, ...] = ()
    grade: str | None = None
