"""Noise out before anything is read: captions, headlines, boilerplate, stray numbers.

``clean(text)`` takes the raw text of an article or statement and returns the
paragraphs worth reading and the lines it dropped, each with its reason, so an
analyst can see that nothing was lost silently. ``contradicting_tolls`` finds
the second kind of noise, which needs the numbers first: a stray casualty
figure far below a toll the body states for the same period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .lowered import Blind
from .model import Dropped, NumberMention, Sentence

__all__ = ["Cleaned", "clean", "contradicting_tolls"]

_BULLET = re.compile(r"^\s*[•·▪●◦‣*\u2022-]\s+")
_MEDIA_WORD = Blind(r"^\s*(picture|pictures|photo|photos|image|video|watch|gallery|file photo|credit|source|"
    r"reuters|afp|ap|getty images|epa|anadolu|tass|photo credit)\s*[:.]?\s*$")
_CAPTION = Blind(r"^\s*(photo|picture|image|video|caption|file|pictured)\s*[:|(]")
_BOILERPLATE = Blind(r"^\s*(follow (us|our)|subscribe|sign up|read (more|also)|click here|share (this|on)|"
    r"related:|advertisement|all rights reserved|copyright|©|download (our|the) app|"
    r"join our|you may also like|recommended)")
_LONE_NUMBER = re.compile(r"^\s*[\d.,%]+\s*$")
_END = re.compile(r"([.!?։。؟][\"”’»)]*|:)\s*$")  # Armenian, CJK and Arabic stops too
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")


@dataclass(frozen=True)
class Cleaned:
    paragraphs: tuple[str, ...]
    dropped: tuple[Dropped, ...]


def _reason(line: str) -> str | None:
    if _LONE_NUMBER.match(line):
        return "stray number"
    if _BULLET.match(line):
        return "caption (bulleted line)"
    if _MEDIA_WORD.match(line) or _CAPTION.match(line):
        return "caption or credit"
    if _BOILERPLATE.match(line):
        return "boilerplate"
    if not _END.search(line) and len(_WORD.findall(line)) <= 30:
        return "headline (no sentence ending)"
    return None


def clean(text: str) -> Cleaned:
    """Split ``text`` into paragraphs (one per non-empty line) and drop noise.

    >>> clean("Big news\\n\\npicture\\n\\nShelling hit Tartar.\\n600").paragraphs
    ('Shelling hit Tartar.',)
    """
    kept: list[str] = []
    dropped: list[Dropped] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        reason = _reason(line)
        if reason:
            dropped.append(Dropped(line, reason))
        else:
            kept.append(line)
    return Cleaned(tuple(kept), tuple(dropped))


def _is_toll(sentence: str) -> bool:
    low = sentence.lower()
    return any(w in low for w in ("dead", "died", "killed", "death", "toll", "lives"))


def contradicting_tolls(numbers: Sequence[NumberMention], sentences: Sequence[Sentence],
                        background: frozenset[int] = frozenset()) -> dict[int, str]:
    """Sentences whose casualty toll contradicts a much larger toll stated elsewhere.

    A stray "at least two people have died since the outbreak of fighting" in
    an article whose body says "more than 600 dead" is a leftover, not news:
    a cumulative figure under a tenth of the largest toll, leaving out
    ``background`` sentences (an old war's toll). Returns {sentence index: reason}.
    """
    text = {s.index: s.text for s in sentences}
    tolls = [n for n in numbers if n.sentence not in background and _is_toll(text.get(n.sentence, ""))
             and n.meaning in ("lower_bound", "total", "count", "approximate")]
    if len(tolls) < 2:
        return {}
    largest = max(tolls, key=lambda n: n.value)
    flagged: dict[int, str] = {}
    for n in tolls:
        cumulative = re.search(r"\bsince\b|\bso far\b|\bin total\b|\btoll\b",
                               text.get(n.sentence, ""), re.I)
        if n.sentence != largest.sentence and cumulative and n.value * 10 < largest.value:
            flagged[n.sentence] = (f"toll of {n.value} contradicts {largest.text!r} "
                                   f"in sentence {largest.sentence}")
    return flagged
