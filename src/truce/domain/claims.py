"""Claims: what an actor says about an incident, as a stance on a proposition."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .exceptions import ValidationError

__all__ = ["Claim", "ClaimStatus", "Proposition", "Stance", "check_claim_value"]


class Stance(str, Enum):
    ASSERTS = "asserts"
    CONFIRMS = "confirms"
    DENIES = "denies"
    DISPUTES = "disputes"
    ATTRIBUTES = "attributes"  # blames someone: the value names the party

    @property
    def supports(self) -> bool:
        return self in (Stance.ASSERTS, Stance.CONFIRMS, Stance.ATTRIBUTES)


class ClaimStatus(str, Enum):
    """Where a claim stands in review. Only ``published`` claims count towards
    a grade or an attribution; the others are kept, never deleted."""

    SUBMITTED = "submitted"  # a liaison's statement, awaiting an analyst's review
    PUBLISHED = "published"
    REJECTED = "rejected"  # an analyst refused it, with a reason
    DISCOUNTED = "discounted"  # shown false by a later, stronger source

    def describe(self, reason: str | None = None, by: str | None = None) -> str:
        """The status in words for people, e.g. 'shown false by HRW (cluster munitions found)'."""
        why = f" ({reason})" if reason else ""
        if self is ClaimStatus.SUBMITTED:
            return "submitted, awaiting review"
        if self is ClaimStatus.REJECTED:
            return f"rejected by an analyst{why}"
        if self is ClaimStatus.DISCOUNTED:
            return f"shown false by {by or 'a later source'}{why}"
        return "published"


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
    status: ClaimStatus = ClaimStatus.PUBLISHED
    status_reason: str | None = None  # why rejected or shown false
    refuted_by: str | None = None  # the source that showed it false


def check_claim_value(stance: Stance, proposition: Proposition, value: str | None,
                      field: str = "value") -> None:
    """What a new claim's ``value`` may be for its stance and proposition, or a
    ValidationError naming ``field``: whether something happened has no value
    beside the stance (``asserts`` or ``denies`` says it); ``attributes``
    blames someone, so it is about the perpetrator and names the party.

    >>> check_claim_value(Stance.ATTRIBUTES, Proposition.PERPETRATOR, "ARM")
    >>> try:
    ...     check_claim_value(Stance.ASSERTS, Proposition.HAPPENED, "X")
    ... except ValidationError as exc:
    ...     print(exc)
    value: a claim that something happened takes no value: its stance (asserts, denies, ...) says it
    """
    if proposition is Proposition.HAPPENED and value is not None:
        raise ValidationError("a claim that something happened takes no value: its stance (asserts, "
                              "denies, ...) says it", field=field)
    if stance is Stance.ATTRIBUTES and (proposition is not Proposition.PERPETRATOR or not value):
        raise ValidationError("'attributes' blames someone: give proposition 'perpetrator' and "
                              "the party blamed as value", field=field)
