"""Alerts: what a person must look at now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

__all__ = ["Alert", "AlertKind"]


class AlertKind(str, Enum):
    SPIKE = "spike"
    NEW_WEAPON = "new_weapon"
    NEW_GEOGRAPHY = "new_geography"
    CIVILIAN_HARM = "civilian_harm"
    OBSERVER_DANGER = "observer_danger"
    CASE_OVERDUE = "case_overdue"  # a case of the joint commission past its finding's deadline


@dataclass(frozen=True)
class Alert:
    """An alert: ``raised_at`` is when the rule fired; ``event_at`` the time of
    what it concerns (the start of the incident that raised it, the first
    incident of a spike), which places it on a day in every output."""

    id: str
    kind: AlertKind
    raised_at: datetime
    message: str
    incident_ids: tuple[str, ...]
    agreement: str | None = None
    sector: str | None = None
    event_at: datetime | None = None

    @property
    def when(self) -> datetime:
        """The time of what the alert concerns (``raised_at`` only if unknown)."""
        return self.event_at or self.raised_at
