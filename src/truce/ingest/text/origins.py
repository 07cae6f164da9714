"""Attributions: where a text says its facts come from ("according to AFP",
"citing TASS", "an AFP correspondent reported", "the ministry said").

A text that attributes what it reports relays another source; grading
counts the origin, not the outlet. ``attributions(sentence)`` returns the
names a sentence attributes to, in order, without repeats. Minimal and
conservative: a name must be capitalised (an agency, a ministry, a capital
standing for its government) or a ministry, so ordinary verbs of saying with
no named origin propose nothing.

>>> attributions("An AFP correspondent reported that Bukharli was under fire.")
['AFP']
>>> attributions("Two sites were hit, according to Baku, citing TASS.")
['Baku', 'TASS']
>>> attributions("Azerbaijan's defence ministry said the sites were destroyed.")
["Azerbaijan's defence ministry"]
"""

from __future__ import annotations

import re

__all__ = ["attributions"]

_NAME = r"(?:[A-Z][\w'’.&-]*|of|the)(?:\s+(?:[A-Z][\w'’.&-]*|of|the))*"
_MINISTRY = (r"(?:[A-Z][\w'’]*(?:'s|’s)?\s+)?(?:[Dd]efen[cs]e\s+|[Ff]oreign\s+|[Ii]nterior\s+)?"
             r"[Mm]inistry(?:\s+of\s+[A-Z][\w]*(?:\s+of\s+[A-Z][\w]*)?)?")
_PATTERNS = [
    re.compile(rf"\baccording to (?:the |an? )?(?P<name>{_MINISTRY}|{_NAME})"),
    re.compile(rf"\bciting (?:the |an? )?(?P<name>{_MINISTRY}|{_NAME})"),
    re.compile(rf"\b(?:as )?(?:reported|quoted|cited) by (?:the |an? )?(?P<name>{_MINISTRY}|{_NAME})"),
    re.compile(rf"\b(?:[Tt]he |[Aa]n? )?(?P<name>{_MINISTRY}|[A-Z][A-Za-z&.-]+(?:\s+[A-Z][A-Za-z&.-]+)?)"
               r"(?:\s+(?:news\s+)?(?:correspondent|reporter|agency|journalist|spokes(?:wo)?man))?"
               r"\s+(?:reported|said|announced|stated|wrote)\b"),
]
_NOT_ORIGINS = {"He", "She", "They", "It", "We", "I", "This", "That", "The", "A", "An", "Officials"}


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|an?)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"\s+(?:of|the)$", "", name).strip(" ,.")


def attributions(sentence: str) -> list[str]:
    """The origins a sentence attributes its facts to (see the module docstring)."""
    found: list[tuple[int, str]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            name = _clean(m.group("name"))
            if name and name not in _NOT_ORIGINS and name[0].isupper():
                found.append((m.start("name"), name))
    out: list[str] = []
    for _pos, name in sorted(found):
        if not any(name in kept or kept in name for kept in out):
            out.append(name)
    return out
