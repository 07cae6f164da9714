"""Case-blind patterns, run fast: case-sensitive over the lower-cased text.

Python's ``re`` folds the case of every character it compares under ``re.IGNORECASE``.
A pattern finds the same matches at the same offsets in ``text.lower()``, with its own
capitals lower-cased, as case-blind in ``text`` when the text is ASCII (lower-casing ASCII
keeps every offset), and so in Russian text (Cyrillic too); elsewhere case-blind matching
also pairs letters such as "ſ" and "s", so such text keeps the case-blind pattern. It takes
a third to a half of the time.
``Blind(pattern)`` holds both and hands back matches whose groups are read from the text
as written.

>>> Blind(r"\\bshell(?:ed|ing)\\b").search("Armenia Shelled Tartar").group(0)
'Shelled'
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

__all__ = ["Blind", "Spans", "plain"]

_PIECE = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[^\\(]+|\(", re.S)
# letters whose case-blind matches are exactly the letters of the same lower case: ASCII,
# Cyrillic (U+0400-04FF), and the punctuation of news text ("«»", "—", "№", no-break space;
# not "µ", which is also Greek)
_OTHER = re.compile("[^\x00-\x7f\u0400-\u04ff\u00a0-\u00b4\u00b6-\u00bf\u2000-\u206f\u2116]")


def plain(text: str) -> bool:
    """True when ``text.lower()`` matched case-sensitively is ``text`` matched case-blind."""
    return text.isascii() or not _OTHER.search(text)


def _lower_source(pattern: str) -> str:
    """The pattern for lower-cased text: its capitals ("[A-Z]", "Armenia", "Минобороны") in
    lower case, escapes ("\\W", "\\B") and group names as written. Under ``re.IGNORECASE`` a
    capital matches either case, and the text it runs on has only lower case."""
    return "".join(p if p.startswith(("\\", "(?P")) else p.lower()
                   for p in _PIECE.findall(pattern))


class Spans:
    """A match found in the lower-cased text, its groups read from the text as written."""

    __slots__ = ("_m", "_text")

    def __init__(self, m: re.Match[str], text: str):
        self._m, self._text = m, text

    def group(self, key: int | str = 0) -> str | None:
        a, b = self._m.span(key)
        return None if a < 0 else self._text[a:b]

    def __getitem__(self, key: int | str) -> str | None:
        return self.group(key)

    def groups(self) -> tuple[str | None, ...]:
        return tuple(self.group(k) for k in range(1, self._m.re.groups + 1))

    def start(self, key: int | str = 0) -> int:
        return self._m.start(key)

    def end(self, key: int | str = 0) -> int:
        return self._m.end(key)

    def span(self, key: int | str = 0) -> tuple[int, int]:
        return self._m.span(key)

    @property
    def lastindex(self) -> int | None:
        return self._m.lastindex

    @property
    def string(self) -> str:
        return self._text


class Blind:
    """A case-blind pattern (``re.IGNORECASE``): ``search``, ``match`` and ``finditer`` read
    lower-cased text; any other method is the case-blind pattern's."""

    def __init__(self, pattern: str):
        coded = [chr(int(h, 16)) for h in re.findall(r"\\[ux]([0-9a-fA-F]{2,4})", pattern)]
        if re.search(r"\(\?[a-zA-Z]*-|\\[UN0-7]", pattern) or _OTHER.search(pattern) or any(
                c.lower() != c.upper() for c in coded):
            raise ValueError(f"case-sensitive parts or coded letters: {pattern[:60]!r}")
        self.pattern = pattern
        self.blind = re.compile(pattern, re.I)
        self.lower = re.compile(_lower_source(pattern))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
               ) -> Spans | re.Match[str] | None:
        if plain(text):
            m = self.lower.search(text.lower(), pos, endpos)
            return Spans(m, text) if m else None
        return self.blind.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
              ) -> Spans | re.Match[str] | None:
        if plain(text):
            m = self.lower.match(text.lower(), pos, endpos)
            return Spans(m, text) if m else None
        return self.blind.match(text, pos, endpos)

    def __getattr__(self, name: str):
        # sub, findall, split, flags, groups...: the case-blind pattern itself (no faster)
        return getattr(self.blind, name)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
                 ) -> Iterator[Spans | re.Match[str]]:
        if plain(text):
            return (Spans(m, text) for m in self.lower.finditer(text.lower(), pos, endpos))
        return self.blind.finditer(text, pos, endpos)
