"""Places of the gazetteer and who controls them over time."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = ["Control", "Place", "check_coordinates", "fold_name"]


def fold_name(name: str) -> str:
    """A spelling-insensitive key: no accents, apostrophes, case or hyphens.

    >>> fold_name("Stepʻanakert") == fold_name("Stepanakert")
    True
    """
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = kept.replace("ı", "i").replace("ə", "a").replace("Ə", "a")
    return "".join(c for c in kept.casefold() if c.isalnum())


def check_coordinates(latitude: float, longitude: float) -> None:
    """Raise ValueError for a latitude or longitude outside the globe."""
    if not -90.0 <= latitude <= 90.0:
        raise ValueError(f"latitude {latitude} is outside -90..90")
    if not -180.0 <= longitude <= 180.0:
        raise ValueError(f"longitude {longitude} is outside -180..180")


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166-1 alpha-2 of the de jure state
    admin1: str | None = None
    population: int | None = None
    alternatenames: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_coordinates(self.latitude, self.longitude)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.alternatenames)


@dataclass(frozen=True)
class Control:
    """A claim that ``party`` holds ``place`` from ``start`` (until superseded)."""

    id: str
    place: str
    party: str
    start: date
    previous_party: str | None = None
    claim_ids: tuple[str, ...] = ()
