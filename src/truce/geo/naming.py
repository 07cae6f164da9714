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
call it, so a place is named the same way everywhere.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..data import DATA_DIR

__all__ = ["Naming", "get_naming", "label_rank", "latin", "load_naming", "place_label", "place_names"]

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
            ordered = [names[p] for p in sorted(names, key=lambda p: p != self.first)]
            unique = list(dict.fromkeys(ordered))
            return self.separator.join(unique if self.both else unique[:1])
        if not name:
            return ""
        return latin(name) if self.script == "latin" else name


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
    return Naming(script=script, first=theatre.get("first", "ARM"), both=bool(theatre.get("both", True)),
                  separator=theatre.get("separator", " / "), disputed=disputed,
                  first_labels=tuple(data.get("map", {}).get("first", ())))


@lru_cache(maxsize=1)
def get_naming() -> Naming:
    """The naming setting in force (TRUCE_NAMING_CONFIG, else the shipped one)."""
    return load_naming(Path(os.environ.get("TRUCE_NAMING_CONFIG") or DATA_DIR / "naming.toml"))


def place_label(place_id: str | None, name: str | None) -> str:
    """How every output names a place: the gazetteer id (if any) and the name
    recorded; both names of a disputed place, in the theatre's script."""
    return get_naming().label(place_id, name)


def place_names(place_id: str | None) -> Mapping[str, str]:
    """Each party's name of a disputed place ({} if the parties agree)."""
    return get_naming().disputed.get(place_id or "", {})


def label_rank(place_id: str, population: int | None) -> tuple[int, int]:
    """Which places a map labels first (smaller first): the same order on the
    dashboard and the daily report's map."""
    return get_naming().label_rank(place_id, population)
