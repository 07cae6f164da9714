"""How many: counts and what they mean.

``find_numbers(text, sentence)`` finds "two missile launch sites" (a count),
"more than 600" (a lower bound), "up to 20" (an upper bound), "about 50"
(approximate), "a total of 45" (a total) and "100 of the 800 families" (a
part of a whole). Years, dates, times, durations ("five days after"),
ordinals and percentages are not counts and are skipped.
"""

from __future__ import annotations

import re

from .lowered import Blind
from .model import NumberMention

__all__ = ["find_numbers", "word_value"]

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100, "dozen": 12, "a dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER = (r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:" + _WORDS + r")(?:[- ](?:"
           + _WORDS + r"))?)(?:\s+(?P<scale>hundred|thousand|million))?")
_QUALIFIERS = [
    ("lower_bound", r"more than|over|at least|no fewer than|no less than|in excess of|upwards of"
                    r"|not less than|a minimum of"),
    ("upper_bound", r"up to|at most|less than|fewer than|nearly|almost|no more than|under"),
    ("approximate", r"about|around|some|approximately|roughly|an estimated|estimated|nearly|"
                    r"close to|dozens of|hundreds of"),
    ("total", r"a total of|total of|in total|altogether|overall"),
]
_QUALIFIER = "|".join(f"(?P<{name}>{words})" for name, words in _QUALIFIERS)
_DIGIT = re.compile(r"\d")
_WORD_RUN = re.compile(r"\w+")
_NUMBER_WORDS = frozenset(w for words in _UNITS for w in words.split() if w != "a")
_PATTERN = Blind(
    r"(?:(?:" + _QUALIFIER + r")\s+)?\b" + _NUMBER + r"\b(?P<part>\s+(?:of|out of)\s+(?:the\s+)?"
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+|(?:" + _WORDS + r")))?")
_NOT_COUNT_AFTER = Blind(r"^\s*(?:%|per ?cent|percent|years?|months?|weeks?|days?|hours?|minutes?|seconds?|"
    r"km|kilomet|metres|meters|mm|a\.m|p\.m|o'clock|th\b|st\b|nd\b|rd\b|s\b|"
    + "|".join(("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")) + r")")
_MONTH_BEFORE = Blind(r"(january|february|march|april|may|june|july|august|september|"
                           r"october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|"
                           r"dec)\.?\s*$")
_UNIT_STOP = frozenset({
    "of", "in", "on", "at", "to", "from", "by", "with", "and", "or", "that", "which", "who",
    "were", "was", "are", "is", "had", "have", "has", "been", "since", "after", "before",
    "during", "for", "as", "the", "a", "an", "it", "its", "their", "residing", "remained",
    "according", "left", "while", "but", "near", "inside", "along", "across", "within",
})


def _month_before(text: str, end: int) -> bool:
    """A month name right before ``end`` ("October 14"): searched in the last few letters
    only (the longest name and its dot), not from the start of the sentence."""
    return bool(_MONTH_BEFORE.search(text, max(0, len(text[:end].rstrip()) - 10), end))


def word_value(text: str) -> int | None:
    """The integer a numeral spells: "5", "five", "1,200", "twenty-five", "3 thousand"."""
    words = text.lower().replace("-", " ").replace(",", "").split()
    if not words:
        return None
    total = 0
    for word in words:
        if word.replace(".", "", 1).isdigit():
            total += int(float(word))
        elif word in _SCALES:
            total = max(total, 1) * _SCALES[word]
        elif word in _UNITS:
            total += _UNITS[word]
        elif word != "a":
            return None
    return total


def _unit(after: str) -> str:
    words: list[str] = []
    for word in re.findall(r"[A-Za-z'-]+|[^\sA-Za-z]", after)[:6]:
        if not word[0].isalpha() or word.lower() in _UNIT_STOP:
            break
        words.append(word)
        if len(words) == 4:
            break
    return " ".join(words).lower()


def find_numbers(text: str, sentence: int = 0) -> list[NumberMention]:
    """Counts in ``text`` with their meaning.

    >>> [(n.value, n.meaning) for n in find_numbers("More than 600 people died.")]
    [(600, 'lower_bound')]
    """
    found: list[NumberMention] = []
    if not _DIGIT.search(text) and _NUMBER_WORDS.isdisjoint(_WORD_RUN.findall(text.lower())):
        return found  # most sentences hold no number: one cheap test
    for m in _PATTERN.finditer(text):
        raw = m.group("num")
        if m.group("scale"):
            raw = f"{raw} {m.group('scale')}"
        value = word_value(raw)
        after = text[m.end("num") if not m.group("scale") else m.end("scale"):]
        if value is None or value == 0:
            continue
        if raw.isdigit() and (1900 <= value <= 2100 and len(raw) == 4):
            continue  # a year
        if _NOT_COUNT_AFTER.match(after) or _month_before(text, m.start("num")):
            continue  # a duration, a percentage, an ordinal or a date
        if raw.lower() == "one" and not m.group("part"):
            continue  # "one of", "one side": rarely a count
        if re.match(r"\s*[:.]\d", after) or re.search(r"[\d/:.]\s*$", text[:m.start("num")]):
            continue  # a time or part of another figure
        if re.search(r"\bthe\s+$", text[:m.start()], re.I) and re.match(
                r"\s*(sides|countries|parties|states|nations|leaders|governments|neighbou?rs)\b",
                after, re.I):
            continue  # "the two sides": a reference, not a quantity
        meaning = next((name for name, _w in _QUALIFIERS if m.group(name)), "count")
        whole = None
        if m.group("part"):
            whole = word_value(m.group("whole"))
            meaning = "part" if whole else meaning
            unit = _unit(text[m.end():])
        else:
            unit = _unit(after)
        if re.search(r"\b(a total of|total of|in total|in all)\s*$", text[:m.start()], re.I):
            meaning = "total"
        found.append(NumberMention(m.group(0).strip(), value, meaning, unit, sentence, m.start(),
                                   whole))
    return found
