"""Neutral place names: the one function every output names a place with.

A theatre's naming setting (``data/naming.toml``, or the file named by
``TRUCE_NAMING_CONFIG``) says which script names are shown in, whose name
comes first where the parties name a place differently, and whether both
are shown. ``place_label(place_id, name)`` applies it::

    >>> place_label("gn:146970", "Khankendi")
    'Stepanakert / Khankendi'
    >>> place_label("gn:147429", "Naxçıvan")
    'Nakhchivan'

The CLI, search results, the dashboard, the daily report and the exports all
call it, so a place is named the same way everywhere. A point with no place
of its own (an incident placed by an observer's bearing and distance) is
named after the nearest gazetteer place: "near X" within 2 km, else
"N km SE of X" (within 50 km)::

    >>> place_label(None, None, 40.345, 46.935)
    'near Tartar'
    >>> place_label(None, None, 40.25, 46.95)
    '10 km S of Tartar'

A sector of the line of contact is named the same way (``sector_label``):
the line file's key, "Kalbajar-Murovdag (north)", is shown with both
parties' names of the places it is named after::

    >>> sector_label("Kalbajar-Murovdag (north)")
    'Karvachar-Mrav / Kalbajar-Murovdag (north)'
"""

from __future__ import annotations

import math
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..data import DATA_DIR

__all__ = [
    "Naming", "get_naming", "label_rank", "latin", "load_naming", "location_name", "nearest_place", "place_label",
    "place_names", "sector_label",
]

# Azerbaijani Latin letters in English-style transliteration; "q", "x" and "c"
# are only read as Azerbaijani in a name that has one of the special letters
# (or a q or x, which English spellings of these names do not use).
_AZ_LETTERS = {"ə": "a", "Ə": "A", "ç": "ch", "Ç": "Ch", "ş": "sh", "Ş": "Sh", "ğ": "gh", "Ğ": "Gh",
               "ı": "i", "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"}
_AZ_MARKS = re.compile("[əƏçÇşŞğĞıİöÖüÜ]|[qQxX]")
_AZ_CONSONANTS = (("x", "kh"), ("X", "Kh"), ("q", "g"), ("Q", "G"))
_MODIFIERS = re.compile("[ʻʼ’'`]")  # Armenian aspiration marks in transliterations


@dataclass(frozen=True)
class Naming:
    """A theatre's naming setting."""

    script: str = "latin"
    first: str = "ARM"
    both: bool = True
    separator: str = " / "
    disputed: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    first_labels: tuple[str, ...] = ()  # place ids a map labels first, in order
    # sector key -> (its parts: {party: name} or one name for all, a note such as "north")
    sectors: Mapping[str, tuple[tuple[Mapping[str, str] | str, ...], str]] = field(default_factory=dict)

    def label_rank(self, place_id: str, population: int | None) -> tuple[int, int]:
        """Sort key for labelling: the theatre's first places in their order, then by population."""
        try:
            first = self.first_labels.index(place_id)
        except ValueError:
            first = len(self.first_labels)
        return first, -(population or 0)

    def label(self, place_id: str | None, name: str | None) -> str:
        names = self.disputed.get(place_id or "")
        if names:
            return self.separator.join(self._both(names))
        if not name:
            return ""
        return latin(name) if self.script == "latin" else name

    def _both(self, names: Mapping[str, str]) -> list[str]:
        ordered = [names[p] for p in sorted(names, key=lambda p: p != self.first)]
        unique = list(dict.fromkeys(ordered))
        return unique if self.both else unique[:1]

    def sector_label(self, sector: str | None) -> str:
        """A sector of the line named as its places are: each party's names of
        its parts joined by "-", both parties' forms where they differ, then its
        note; a sector the setting does not list keeps its key (in the script)."""
        if not sector:
            return ""
        known = self.sectors.get(sector)
        if known is None:
            return latin(sector) if self.script == "latin" else sector
        parts, note = known
        parties = {p for part in parts if not isinstance(part, str) for p in part}
        names = {p: "-".join(part if isinstance(part, str) else part[p] for part in parts) for p in parties}
        return self.separator.join(self._both(names) or [sector]) + (f" ({note})" if note else "")


def latin(name: str) -> str:
    """A name in plain Latin letters: Azerbaijani letters transliterated the
    English way, Armenian aspiration marks and other diacritics dropped.

    >>> latin("Şirvan"), latin("Xaçmaz"), latin("Hacıqabul"), latin("Stepʻanakert")
    ('Shirvan', 'Khachmaz', 'Hajigabul', 'Stepanakert')
    """
    text = name
    if _AZ_MARKS.search(text):
        text = re.sub(r"c(?!h)", "j", text)
        text = re.sub(r"C(?!h)", "J", text)
        for a, b in _AZ_CONSONANTS:
            text = text.replace(a, b)
        text = "".join(_AZ_LETTERS.get(ch, ch) for ch in text)
    text = _MODIFIERS.sub("", text) if re.search(r"[A-Za-z][ʻʼ’'`][a-z]", text) else text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def load_naming(path: Path) -> Naming:
    """Read a naming file; unknown keys are ignored, a bad value is a clear error."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    theatre = data.get("theatre", {})
    script = theatre.get("script", "latin")
    if script not in ("latin", "gazetteer"):
        raise ValueError(f"{path}: script must be 'latin' or 'gazetteer', not {script!r}")
    disputed = {pid: dict(names) for pid, names in data.get("disputed", {}).items()}
    sectors = {}
    for key, entry in data.get("sectors", {}).items():
        parts = []
        for part in entry.get("parts", ()):  # a place id of [disputed], {PARTY = name, ...} or a name
            if isinstance(part, str) and ":" in part:
                if part not in disputed:
                    raise ValueError(f"{path}: sector {key!r} names {part!r}, which [disputed] does not list")
                part = disputed[part]
            parts.append(part if isinstance(part, str) else dict(part))
        sectors[key] = (tuple(parts), entry.get("note", ""))
    return Naming(script=script, first=theatre.get("first", "ARM"), both=bool(theatre.get("both", True)),
                  separator=theatre.get("separator", " / "), disputed=disputed,
                  first_labels=tuple(data.get("map", {}).get("first", ())), sectors=sectors)


@lru_cache(maxsize=1)
def get_naming() -> Naming:
    """The naming setting in force (TRUCE_NAMING_CONFIG, else the shipped one)."""
    return load_naming(Path(os.environ.get("TRUCE_NAMING_CONFIG") or DATA_DIR / "naming.toml"))


NEAR_M = 2_000.0  # "near X" (the geometry facts' populated-place radius)
RELATIVE_M = 50_000.0  # beyond this, a point is not named after a place
_POINTS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def place_label(place_id: str | None, name: str | None, latitude: float | None = None,
                longitude: float | None = None) -> str:
    """How every output names a place: the gazetteer id (if any) and the name
    recorded; both names of a disputed place, in the theatre's script. With
    neither, a point (``latitude``, ``longitude``) is named after the nearest
    gazetteer place ("near X", "N km SE of X"); "" if nothing names it."""
    label = get_naming().label(place_id, name)
    if label or latitude is None or longitude is None:
        return label
    return _relative(latitude, longitude)


def location_name(place_id: str | None, name: str | None, latitude: float | None = None,
                  longitude: float | None = None) -> str:
    """A place as ACLED's ``location`` names it: the place recorded
    (``place_label``), else the named place nearest the point (not "3 km NE
    of X": a location is a named place); "" if nothing names it."""
    label = get_naming().label(place_id, name)
    if label or latitude is None or longitude is None:
        return label
    found = nearest_place(latitude, longitude)
    return get_naming().label(*found[0]) if found else ""


def _relative(latitude: float, longitude: float) -> str:
    found = nearest_place(latitude, longitude)
    if found is None:
        return ""
    (place_id, name), metres, bearing = found
    named = get_naming().label(place_id, name)
    if metres <= NEAR_M:
        return f"near {named}"
    point = _POINTS[round(bearing / 45) % 8]
    return f"{metres / 1000:.0f} km {point} of {named}"


def nearest_place(latitude: float, longitude: float,
                  within_m: float = RELATIVE_M) -> tuple[tuple[str, str], float, float] | None:
    """The gazetteer place nearest a point: ((id, name), metres, bearing from
    the place to the point in degrees), or None beyond ``within_m``."""
    ids, lats, lons = _gazetteer_points()
    if not len(ids):
        return None
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    h = (np.sin((lats - lat1) / 2) ** 2
         + math.cos(lat1) * np.cos(lats) * np.sin((lons - lon1) / 2) ** 2)
    metres = 2 * 6_371_008.8 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    n = int(np.argmin(metres))
    if metres[n] > within_m:
        return None
    place_id, name = ids[n]
    phi1, phi2, dlon = float(lats[n]), lat1, lon1 - float(lons[n])
    bearing = math.degrees(math.atan2(math.sin(dlon) * math.cos(phi2),
                                      math.cos(phi1) * math.sin(phi2)
                                      - math.sin(phi1) * math.cos(phi2) * math.cos(dlon))) % 360
    return (place_id, name), float(metres[n]), bearing


@lru_cache(maxsize=1)
def _gazetteer_points() -> tuple[tuple[tuple[str, str], ...], np.ndarray, np.ndarray]:
    """The shipped gazetteer's places: (id, name) each, and their latitudes and
    longitudes in radians."""
    from .gazetteer import read_gazetteer

    places = [p for p, _origin in read_gazetteer()]
    return (tuple((p.id, p.name) for p in places), np.radians([p.latitude for p in places]),
            np.radians([p.longitude for p in places]))


def place_names(place_id: str | None) -> Mapping[str, str]:
    """Each party's name of a disputed place ({} if the parties agree)."""
    return get_naming().disputed.get(place_id or "", {})


def sector_label(sector: str | None) -> str:
    """How every output names a sector of the line of contact (its key as
    stored, e.g. "Fuzuli", shown as "Varanda / Fuzuli"); "" for no sector."""
    return get_naming().sector_label(sector)


def label_rank(place_id: str, population: int | None) -> tuple[int, int]:
    """Which places a map labels first (smaller first): the same order on the
    dashboard and the daily report's map."""
    return get_naming().label_rank(place_id, population)
