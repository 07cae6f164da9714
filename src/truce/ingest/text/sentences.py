"""Paragraphs into sentences, by rule: fast, and needs no model.

A full stop ends a sentence unless it closes a known abbreviation or an
initial, or falls inside a quotation that closes later in the paragraph; closing
quotes stay with their sentence. spaCy later parses only the
sentences that carry a trigger or a speech verb, one sentence per Doc.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lowered import Blind
from .model import Sentence

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "brig", "adm",
    "gov", "sen", "rep", "st", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "e.g", "i.e", "approx", "km",
})
_BOUNDARY = re.compile(r"([.!?]+[\"”’»)]*)\s+(?=[\"“‘«(]?[A-Z0-9\u0400-\u04FF])")


def _ends_with_abbreviation(chunk: str) -> bool:
    word = re.search(r"([A-Za-z.]+)\.$", chunk)
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or len(token) == 1


_CLOCK_MID_SENTENCE = Blind(r"\d\s*[ap]\.m\.$")
# the next words continue a clause: a name, then a verb in the past or present
_LOWER_VERB_NEXT = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}\s+"
                              r"(?:[a-z]+ed|[a-z]+s|began|struck|shot|hit|fired|opened|was|were|"
                              r"had|has)\b")


def _inside_quote(chunk: str) -> bool:
    """True when ``chunk`` opened a quotation it has not closed yet."""
    return chunk.count('"') % 2 == 1 or chunk.count("“") > chunk.count("”")


def _closes_later(paragraph: str, end: int) -> bool:
    rest = paragraph[end:]
    return '"' in rest or "”" in rest


def _split_paragraph(paragraph: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end(1)
        chunk = paragraph[start:end]
        if chunk.endswith(".") and _ends_with_abbreviation(chunk):
            continue
        if _CLOCK_MID_SENTENCE.search(chunk) and _LOWER_VERB_NEXT.match(paragraph, match.end()):
            continue  # "at about 2.30 p.m. Pakistan initiated ...": the time, not an end
        if _inside_quote(chunk) and _closes_later(paragraph, end):
            continue  # 'She added, "These allegations are baseless. The army ...": one quote
        parts.append(chunk.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]


def split_sentences(paragraphs: Sequence[str]) -> tuple[Sentence, ...]:
    """Number the sentences of ``paragraphs`` in reading order.

    >>> [s.text for s in split_sentences(["Gen. Ivanov spoke. Shelling resumed at 5 a.m."])]
    ['Gen. Ivanov spoke.', 'Shelling resumed at 5 a.m.']
    """
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        for text in _split_paragraph(paragraph):
            sentences.append(Sentence(len(sentences), text, number))
    return tuple(sentences)
