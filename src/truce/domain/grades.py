"""The grade scale: how well an incident is supported."""

from __future__ import annotations

from enum import Enum

__all__ = ["CONFIRMED", "Grade"]


class Grade(str, Enum):
    VERIFIED = "verified"
    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single-source"
    CONTESTED = "contested"
    DISCOUNTED = "discounted"

    @property
    def confirmed(self) -> bool:
        """Verified or corroborated: what the daily report counts as established."""
        return self in CONFIRMED


CONFIRMED = (Grade.VERIFIED, Grade.CORROBORATED)
"""The grades that count as confirmed; ``truce.store.rules.confirmed`` is the SQL form."""
