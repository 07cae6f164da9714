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
import re._constants as _sre
import re._parser as _parser
import sys
from collections.abc import Iterator

__all__ = ["Blind", "Spans", "lowered", "needs", "plain"]

_PIECE = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)|[^\\(]+|\(", re.S)
# letters whose case-blind matches are exactly the letters of the same lower case: ASCII,
# Cyrillic (U+0400-04FF), and the punctuation of news text ("«»", "—", "№", no-break space;
# not "µ", which is also Greek)
_OTHER = re.compile("[^\x00-\x7f\u0400-\u04ff\u00a0-\u00b4\u00b6-\u00bf\u2000-\u206f\u2116]")


def plain(text: str) -> bool:
    """True when ``text.lower()`` matched case-sensitively is ``text`` matched case-blind."""
    return text.isascii() or not _OTHER.search(text)


_SEEN: dict[str, str | None] = {}  # the last few texts read: many patterns read each sentence
_UNSEEN = object()


def lowered(text: str) -> str | None:
    """``text.lower()`` when ``plain(text)``, else None; remembered for the last few texts."""
    try:
        return _SEEN[text]
    except KeyError:
        if len(_SEEN) >= 512:
            _SEEN.clear()
        low = _SEEN[text] = text.lower() if plain(text) else None
        return low


def _lower_source(pattern: str) -> str:
    """The pattern for lower-cased text: its capitals ("[A-Z]", "Armenia", "Минобороны") in
    lower case, escapes ("\\W", "\\B") and group names as written. Under ``re.IGNORECASE`` a
    capital matches either case, and the text it runs on has only lower case."""
    return "".join(p if p.startswith(("\\", "(?P")) else p.lower()
                   for p in _PIECE.findall(pattern))


def _needs(items) -> frozenset[str] | None:
    """Words one of which every match of the parsed pattern ``items`` holds, or None: the
    longest run of letters the pattern must match, or one from each branch of an
    alternation it must pass through."""
    found: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            found.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        close()
        need = None
        if op is _sre.SUBPATTERN:
            need = _needs(av[3])
        elif op is _sre.ATOMIC_GROUP:
            need = _needs(av)
        elif op is _sre.BRANCH:
            branches = [_needs(b) for b in av[1]]
            need = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _needs(av[2])
        if need:
            found.append(need)
    close()
    return max(found, key=lambda words: (min(map(len, words)), -len(words)), default=None)


def needs(pattern: str) -> tuple[str, ...]:
    """A few words (lower case) one of which any text the pattern matches holds; () when
    there is no short such list ("\\d+ km" has none; "shell(ed|ing)|bomb" has two)."""
    try:
        words = _needs(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 - a pattern the reader does not know: no shortcut
        return ()
    if not words or len(words) > 16 or min(map(len, words)) < 3:
        return ()
    return tuple(sorted(words))


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
        self.needs = needs(_lower_source(pattern))

    def _lower(self, text: str) -> str | bool | None:
        """The lower-cased text to read; None when it is not plain (read it case-blind);
        False when it holds none of the words every match needs (nothing to find)."""
        low = _SEEN.get(text, _UNSEEN)
        if low is _UNSEEN:
            low = lowered(text)
        if low is None or not self.needs:
            return low
        for word in self.needs:
            if word in low:
                return low
        return False

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
               ) -> Spans | re.Match[str] | None:
        low = self._lower(text)
        if low is None:
            return self.blind.search(text, pos, endpos)
        m = self.lower.search(low, pos, endpos) if low is not False else None
        return Spans(m, text) if m else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
              ) -> Spans | re.Match[str] | None:
        low = self._lower(text)
        if low is None:
            return self.blind.match(text, pos, endpos)
        m = self.lower.match(low, pos, endpos) if low is not False else None
        return Spans(m, text) if m else None

    def __getattr__(self, name: str):
        # sub, findall, split, flags, groups...: the case-blind pattern itself (no faster)
        return getattr(self.blind, name)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize,
                 ) -> Iterator[Spans | re.Match[str]]:
        low = self._lower(text)
        if low is None:
            return self.blind.finditer(text, pos, endpos)
        if low is False:
            return iter(())
        return (Spans(m, text) for m in self.lower.finditer(low, pos, endpos))
