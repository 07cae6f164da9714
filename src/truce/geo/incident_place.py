"""Where an incident is, as every output writes it: one function for the
fields the API, the pages, the GeoJSON and CSV exports and the CLI derive
from an incident's place, so none names or bounds it differently.

    >>> from datetime import UTC, datetime
    >>> from truce.domain.incidents import Incident
    >>> t = datetime(2020, 10, 14, tzinfo=UTC)
    >>> where_fields(Incident("i", "x", "Battles", t, t, latitude=40.36, longitude=46.96,
    ...                       location_uncertainty_m=564.7))["location_uncertainty_m"]
    564.7
"""

from __future__ import annotations

from typing import Any

from ..domain.incidents import Incident
from .naming import place_label

__all__ = ["where_fields"]


def where_fields(incident: Incident) -> dict[str, Any]:
    """``place_label`` (the theatre's neutral name: the gazetteer's, else the
    name recorded, else the point named after the nearest place; None if
    nothing names it) and ``location_uncertainty_m`` (``Incident.uncertainty_m``:
    the estimate's radius, else the typical one of its precision; None when
    it is not located)."""
    i = incident
    return {"place_label": place_label(i.place, i.place_name, i.latitude, i.longitude) or None,
            "location_uncertainty_m": i.uncertainty_m}
