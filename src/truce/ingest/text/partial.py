"""Texts in a language the rules do not read (Armenian, Azerbaijani, Arabic...): what
can be proposed without reading it, the rest flagged for a translator.

``extract_partial(text, published, index, language)`` proposes the places
whose names the gazetteer holds in that script or spelling (GeoNames keeps
Armenian, Arabic and Azerbaijani names), the dates dateparser finds in that
language, and the numbers written in digits; it proposes no event and no claim,
and sets ``needs_translation``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from ...domain.precision import GeoPrecision, TimePrecision
from .cleaning import clean
from .model import DateMention, Extraction, NumberMention, PlaceMention
from .places import PlaceIndex
from .sentences import split_sentences

__all__ = ["extract_partial"]

_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*")
_DIGITS = re.compile(r"(?<![\d.:/])\d{1,6}(?![\d.:/])")


def _dates(text: str, published: date, sentence: int, language: str) -> list[DateMention]:
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=[language], settings={
            "RELATIVE_BASE": datetime.combine(published, time(12)),
            "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}) or []
    except Exception:  # dateparser has no data for the language
        return []
    out = []
    for words, when in found:
        day = when.date()
        if day <= published:
            out.append(DateMention(words, day, day, TimePrecision.DAY, sentence,
                                   max(0, text.find(words))))
    return out


def extract_partial(text: str, published: date, index: PlaceIndex, language: str) -> Extraction:
    sentences = split_sentences(clean(text).paragraphs)
    places: list[PlaceMention] = []
    numbers: list[NumberMention] = []
    for s in sentences:
        for m in _WORD.finditer(s.text):
            word = m.group(0)
            hit = index.lookup(word) if len(word) >= 4 else None
            if hit is None and len(word) >= 7:  # an inflected ending on a known name
                hit = index.lookup(word[:-1]) or index.lookup(word[:-2])
            if hit:
                place, score = hit
                places.append(PlaceMention(word, place.name, GeoPrecision.SETTLEMENT, s.index,
                                           m.start(), place_id=place.id, country=place.country,
                                           latitude=place.latitude, longitude=place.longitude,
                                           score=score))
        spans = [(d.offset, d.offset + len(d.text)) for d in _dates(s.text, published, s.index,
                                                                     language)]
        for m in _DIGITS.finditer(s.text):
            value = int(m.group(0))
            in_date = any(a <= m.start() < b for a, b in spans) or \
                re.match(r"-[^\W\d_]", s.text[m.end():m.end() + 2])  # "4-ին", "10-го": a day
            if not 1900 <= value <= 2100 and not in_date:
                numbers.append(NumberMention(m.group(0), value, "count", "", s.index, m.start()))
    return Extraction(events=(), claims=(), places=tuple(places), numbers=tuple(numbers),
                      sentences=sentences, language=language, needs_translation=True)
