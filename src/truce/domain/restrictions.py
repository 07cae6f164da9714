"""Restrictions of the observers' freedom of movement, and jamming of the
mission's drones and radios, as observers report them.

A signed observer report keeps its details under ``payload["report"]``
(``restriction``: place_name, imposed_by, description, duration_min;
``jamming``: asset, effect, duration_min). ``restriction_details`` reads
them the same way for every output, so none shows "place not given" for a
report that gave one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RESTRICTION_KINDS", "RestrictionDetails", "restriction_details"]

RESTRICTION_KINDS = ("restriction", "jamming")


@dataclass(frozen=True)
class RestrictionDetails:
    kind: str  # restriction | jamming
    place_name: str | None
    imposed_by: str | None  # a party id, or None when the observer could not say
    duration_min: int | None
    description: str | None

    def summary(self) -> str:
        """``"restriction at Kornidzor, imposed by AZE, 45 min"``."""
        parts = [self.kind + (f" at {self.place_name}" if self.place_name else "")]
        parts.append(f"imposed by {self.imposed_by}" if self.imposed_by else "imposed by unknown")
        if self.duration_min is not None:
            parts.append(f"{self.duration_min} min")
        return ", ".join(parts)


def restriction_details(kind: str, payload: dict[str, Any] | None) -> RestrictionDetails:
    """The restriction or jamming a report describes, from its stored payload.

    >>> restriction_details("restriction", {"report": {"restriction": {
    ...     "place_name": "Kornidzor", "imposed_by": "AZE", "description": "turned back",
    ...     "duration_min": 45}}}).summary()
    'restriction at Kornidzor, imposed by AZE, 45 min'
    """
    payload = payload or {}
    signed = payload.get("report") or {}
    detail = (signed.get("restriction") or signed.get("jamming")
              or payload.get("restriction") or payload.get("jamming") or {})

    def pick(key: str) -> Any:
        return detail.get(key) if detail.get(key) is not None else payload.get(key)

    imposed = pick("imposed_by")
    place = pick("place_name") or pick("place") or None
    description = pick("description") or (
        f"{detail['asset']} jammed: {detail.get('effect', '')}".strip(": ")
        if detail.get("asset") else None)
    return RestrictionDetails(kind=kind, place_name=place,
                              imposed_by=None if imposed in (None, "", "unknown") else imposed,
                              duration_min=pick("duration_min"), description=description)
