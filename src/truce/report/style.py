"""Colours and marker shapes shared by the map, the charts and the report,
so an explosion or a contested grade looks the same everywhere.

Colours are the Okabe-Ito palette (distinguishable with the common colour
vision deficiencies); grade is carried by shape and outline, never by colour
alone.
"""

from __future__ import annotations

__all__ = ["GRADE_MARKERS", "PARTY_COLOURS", "TYPE_COLOURS", "party_colour", "type_colour"]

TYPE_COLOURS = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#0072B2",
    "Violence against civilians": "#CC79A7",
    "Strategic developments": "#009E73",
    "Protests": "#E69F00",
    "Riots": "#56B4E9",
}

PARTY_COLOURS = {
    "AZE": "#0072B2",
    "ARM": "#E69F00",
    "NKR": "#D55E00",
    "unattributed": "#8A8A8A",
}

# grade -> (matplotlib marker, outline width, filled, label shown in legends)
GRADE_MARKERS = {
    "verified": ("o", 2.2, True, "verified: circle, heavy outline"),
    "corroborated": ("o", 0.8, True, "corroborated: circle"),
    "single-source": ("^", 0.8, True, "single source: triangle"),
    "contested": ("D", 1.2, True, "contested: diamond"),
    "discounted": ("o", 1.2, False, "discounted: hollow circle"),
    "ungraded": ("s", 0.8, True, "ungraded: square"),
}


def type_colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, "#555555")


def party_colour(party: str) -> str:
    return PARTY_COLOURS.get(party, "#444444")
