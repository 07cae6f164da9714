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


@dataclass(frozen=True)
class Alert:
    id: str
    kind: AlertKind
    raised_at: datetime
    message: str
    incident_ids: tuple[str, ...]
    agreement: str | None = None
    sector: str | None = None
