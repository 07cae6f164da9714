"""Claims: what an actor says about an incident, as a stance on a proposition."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Claim", "Proposition", "Stance"]


class Stance(str, Enum):
    ASSERTS = "asserts"
    CONFIRMS = "confirms"
    DENIES = "denies"
    DISPUTES = "disputes"
    ATTRIBUTES = "attributes"  # blames someone: the value names the party

    @property
    def supports(self) -> bool:
        return self in (Stance.ASSERTS, Stance.CONFIRMS, Stance.ATTRIBUTES)


class Proposition(str, Enum):
    HAPPENED = "happened"
    PERPETRATOR = "perpetrator"
    TARGET_TYPE = "target_type"
    CASUALTIES = "casualties"
    CONTROL = "control"


@dataclass(frozen=True)
class Claim:
    id: str
    actor: str
    stance: Stance
    proposition: Proposition
    incident: str | None = None
    control: str | None = None
    source: str | None = None
    value: str | None = None
    text: str | None = None
