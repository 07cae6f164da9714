"""The observer report document: what a field app builds, signs and sends.

This is the wire format of a signed document (docs/canonical-form.md), so it
is shared by the API (request body), the reference client and the service.
Unknown fields are refused: a field the server does not know could not be
shown to have been signed for a reason.
"""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from ..domain.taxonomy import WeaponClass
from .bounded import Moment

__all__ = [
    "Casualties", "Jamming", "Observation", "ObserverReport", "Position", "ReportKind",
    "Restriction", "What", "How",
]

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Short = Annotated[str, Field(min_length=1, max_length=120)]
# Numbers must come as JSON numbers: the signature covers the document as sent,
# so "2" for a count would be a signed string the server read as a number.
Int = Annotated[int, Strict()]
Float = Annotated[float, Strict()]  # a JSON integer is a number too (45 for 45.0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ReportKind(str, Enum):
    INCIDENT = "incident"  # something was seen or heard
    SITUATION = "situation"  # e.g. "calm, no firing heard": the absence of violations
    RESTRICTION = "restriction"  # the observers' freedom of movement was restricted
    JAMMING = "jamming"  # the mission's drones or radios were jammed


class What(str, Enum):
    UNDETERMINED_EXPLOSION = "undetermined_explosion"
    PROJECTILE_IN_FLIGHT = "projectile_in_flight"
    TRACER = "tracer"
    AIRBURST = "airburst"
    SMALL_ARMS_FIRE = "small_arms_fire"
    HEAVY_MACHINE_GUN_FIRE = "heavy_machine_gun_fire"
    IMPACT = "impact"
    OUTGOING = "outgoing"
    ILLUMINATION_FLARE = "illumination_flare"
    DRONE = "drone"
    AIRCRAFT = "aircraft"
    MILITARY_MOVEMENT = "military_movement"
    OTHER = "other"


class How(str, Enum):
    SEEN = "seen"
    HEARD = "heard"
    SEEN_AND_HEARD = "seen_and_heard"
    MISSION_CAMERA = "mission_camera"
    MISSION_DRONE = "mission_drone"


class Position(_Strict):
    latitude: Float = Field(ge=-90, le=90)
    longitude: Float = Field(ge=-180, le=180)
    accuracy_m: Float | None = Field(default=None, ge=0, le=100_000)


class Casualties(_Strict):
    killed: Int = Field(default=0, ge=0, le=100_000)
    injured: Int = Field(default=0, ge=0, le=100_000)


class Observation(_Strict):
    what: What
    how: How
    count: Int = Field(default=1, ge=1, le=100_000)
    bearing_deg: Float | None = Field(default=None, ge=0, lt=360)
    bearing_uncertainty_deg: Float | None = Field(default=None, ge=0, le=90)
    distance_m: Float | None = Field(default=None, gt=0, le=100_000)
    distance_uncertainty_m: Float | None = Field(default=None, ge=0, le=100_000)
    weapon_class: WeaponClass = WeaponClass.UNKNOWN
    direction_of_fire: Short | None = None
    casualties_seen: Casualties | None = None
    damage: Text | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _bearing_with_distance(self) -> Observation:
        if (self.bearing_deg is None) != (self.distance_m is None):
            raise ValueError("give bearing_deg and distance_m together, or neither")
        return self


class Restriction(_Strict):
    place_name: Short
    imposed_by: Short = "unknown"  # a party id, or "unknown"
    description: Text
    duration_min: Int | None = Field(default=None, ge=0, le=100_000)


class Jamming(_Strict):
    asset: Annotated[str, Field(pattern="^(drone|radio|gnss|other)$")]
    effect: Text
    duration_min: Int | None = Field(default=None, ge=0, le=100_000)


Sha256 = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]


class ObserverReport(_Strict):
    """One signed observer report (see docs/canonical-form.md)."""

    id: uuid.UUID = Field(description="Made by the client; a retry reuses it.")
    kind: ReportKind
    observed_at: Moment = Field(description="When it was observed, with its UTC offset.")
    position: Position = Field(description="The observer's own position (staff only).")
    summary: Text
    observations: list[Observation] = Field(default_factory=list, max_length=100)
    restriction: Restriction | None = None
    jamming: Jamming | None = None
    evidence: list[Sha256] = Field(default_factory=list, max_length=50,
                                   description="SHA-256 of files to be uploaded for this report.")
    corrects: uuid.UUID | None = Field(default=None, description="The report this one corrects.")
    task: Annotated[str, Field(pattern="^task-[0-9a-f]{16}$")] | None = Field(
        default=None, description="The task (from GET /api/tasks) this report answers.")
    signature: str = Field(min_length=1, max_length=200,
                           description="Base64 Ed25519 signature of the canonical body without it.")

    @model_validator(mode="after")
    def _kind_has_its_details(self) -> ObserverReport:
        if self.kind is ReportKind.INCIDENT and not self.observations:
            raise ValueError("an incident report needs at least one observation")
        if self.kind is ReportKind.RESTRICTION and self.restriction is None:
            raise ValueError("a restriction report needs 'restriction'")
        if self.kind is ReportKind.JAMMING and self.jamming is None:
            raise ValueError("a jamming report needs 'jamming'")
        return self
