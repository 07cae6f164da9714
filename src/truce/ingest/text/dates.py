"""When: dates in a sentence, resolved against the publication date, with precision.

``find_dates(text, published, sentence)`` returns every date mention:
"yesterday" and "last night" (the day before), "on Tuesday" (the latest
Tuesday on or before publication), "October 14" and "14.10.2020" (via
dateparser, day-month order), "in October" (month precision), "in the 1990s"
(year precision), "three days ago", "last week" (week precision), and
"five days after the truce", which dates the truce, not the event.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from ...domain.precision import TimePrecision
from .lowered import Blind
from .model import DateMention
from .numbers import word_value

__all__ = ["find_dates", "precision_of_span"]

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_MONTH_NAMES = {m: [n[:3] for n in _MONTHS.split("|")[:12]].index(m[:3]) + 1
                for m in _MONTHS.split("|")}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUM = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day_before", Blind(r"\bthe day before yesterday\b")),
    ("yesterday", Blind(r"\b(yesterday|last night|on the previous day)\b")),
    ("today", Blind(r"\b(today|overnight|this (morning|afternoon|evening)|tonight|"
                         r"earlier today)\b")),
    ("range", Blind(r"\bbetween (?:the (?:evenings|mornings|nights) of )?(\d{1,2}) and "
                         r"(\d{1,2}) (" + _MONTHS + r")\b")),
    ("weekday", Blind(r"\b(?:(?:on|last|late|early|since)\s+)?(" + "|".join(_WEEKDAYS)
                           + r")(?:\s+(?:morning|afternoon|evening|night))?\b")),
    ("after_truce", Blind(r"\b" + _NUM + r"\s+days?\s+(?:after|since)\s+(?:the\s+)?"
                               r"(?:announced\s+|declared\s+|agreed\s+)?(truce|ceasefire|cease-fire)")),
    ("ago", Blind(r"\b" + _NUM + r"\s+(day|week)s?\s+ago\b")),
    ("last_week", Blind(r"\b(last|this|past) week\b")),
    ("recent_days", Blind(r"\b(?:in|over) (?:the )?(?:past|last|recent) (?:" + _NUM[1:-1]
                               + r"\s+)?days\b")),
    ("absolute", Blind(r"\b(\d{1,2}(?:st|nd|rd|th)?\s+(?:" + _MONTHS + r")\.?(?:,?\s+\d{4})?"
        r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
        r"|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2})\b")),
    ("month", Blind(r"\b(?:in|since|during|early|late|mid-?)\s+(" + _MONTHS + r")"
                         r"(?:\s+(\d{4}))?\b")),
    ("decade", Blind(r"\b(?:in|since|during|after) (?:the )?((?:19|20)\d0)s\b")),
    ("year", Blind(r"\b(?:in|since|during) ((?:19|20)\d\d)\b")),
]


def precision_of_span(start: date, end: date) -> TimePrecision:
    days = (end - start).days + 1
    if days <= 1:
        return TimePrecision.DAY
    if days <= 6:
        return TimePrecision.DAYS
    if days <= 8:
        return TimePrecision.WEEK
    if days <= 31:
        return TimePrecision.MONTH
    return TimePrecision.YEAR


_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?")
_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def _direct(text: str, published: date) -> date | None:
    """The shapes the "absolute" pattern finds ("14 October 2020", "Oct. 14", "14.10.2020"),
    read directly, as dateparser reads them (a test compares the two on every day of the
    year); None for anything else, which goes to dateparser (~1 ms a call)."""
    low = text.lower()
    if m := _DAY_MONTH.fullmatch(low):
        day, name, year = m.group(1), m.group(2), m.group(3)
    elif m := _MONTH_DAY.fullmatch(low):
        name, day, year = m.group(1), m.group(2), m.group(3)
    elif m := _NUMERIC.fullmatch(low):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            return date(year, month, day)
        except ValueError:
            return None
    else:
        return None
    if name not in _MONTH_NAMES or not year and (int(day), name[:3]) == (29, "feb"):
        return None
    try:
        when = date(int(year) if year else published.year, _MONTH_NAMES[name], int(day))
    except ValueError:
        return None
    return when.replace(year=when.year - 1) if not year and when > published else when


@lru_cache(maxsize=4096)
def _parse_absolute(text: str, published: date) -> date | None:
    direct = _direct(text, published)
    if direct is not None:
        return direct
    import dateparser

    base = datetime.combine(published, datetime.min.time())
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"]})
    if parsed is None:
        return None
    day = parsed.date()
    if not re.search(r"\d{4}", text) and day > published:  # "December 30" read in January
        day = day.replace(year=day.year - 1)
    return day


def _month_index(name: str) -> int:
    return [m[:3] for m in _MONTHS.split("|")[:12]].index(name[:3].lower()) + 1


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, date, str] | None:
    day = timedelta(days=1)
    if kind == "day_before":
        return published - 2 * day, published - 2 * day, "event"
    if kind == "yesterday":
        return published - day, published - day, "event"
    if kind == "today":
        return published, published, "event"
    if kind == "weekday":
        back = (published.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
        if m.group(0).lower().startswith("last") and back == 0:
            back = 7
        when = published - timedelta(days=back)
        if m.group(0).lower().startswith("since"):
            return when, published, "event"
        return when, when, "event"
    if kind == "after_truce":
        when = published - timedelta(days=word_value(m.group(1)) or 0)
        return when, when, "truce"
    if kind == "ago":
        n = word_value(m.group(1)) or 0
        if m.group(2).lower() == "week":
            return published - timedelta(days=7 * n + 3), published - timedelta(days=7 * n - 3), "event"
        return published - timedelta(days=n), published - timedelta(days=n), "event"
    if kind == "last_week":
        if m.group(1).lower() == "this":
            return published - timedelta(days=published.weekday()), published, "event"
        return published - 7 * day, published - day, "event"
    if kind == "recent_days":
        n = word_value(m.group(1)) if m.group(1) else 3
        return published - timedelta(days=n or 3), published, "event"
    if kind == "range":
        last = _parse_absolute(f"{m.group(2)} {m.group(3)}", published)
        if last is None or int(m.group(1)) > last.day:
            return None
        return last.replace(day=int(m.group(1))), last, "event"
    if kind == "absolute":
        when = _parse_absolute(m.group(1), published)
        return (when, when, "event") if when else None
    if kind == "month":
        month = _month_index(m.group(1))
        year = int(m.group(2)) if m.group(2) else published.year - (month > published.month)
        start = date(year, month, 1)
        end = (date(year + month // 12, month % 12 + 1, 1) - day)
        return start, min(end, published) if end > published >= start else end, "event"
    if kind == "decade":
        year = int(m.group(1))
        return date(year, 1, 1), date(year + 9, 12, 31), "event"
    if kind == "year":
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31), "event"
    return None


# what each kind needs somewhere in the sentence (lower case): most kinds skip most sentences
_ANCHORS = {kind: re.compile(a) for kind, a in {
    "day_before": "day before", "yesterday": "yesterday|last night|previous day",
    "today": "today|overnight|this |tonight", "range": "between", "weekday": "day",
    "after_truce": "after|since", "ago": "ago", "last_week": "week", "recent_days": "days",
    "month": _MONTHS, "decade": r"0s", "year": r"\d\d\d\d"}.items()}
_DIGIT = re.compile(r"\d")
# substring tests on the lower-cased sentence: a case-blind alternation scans ~10x slower
_QUICK_WORDS = ("day", "night", "morning", "afternoon", "evening", "week", *_MONTHS.split("|"))
_SAID = Blind(r"\b(said|says|announced|reported|stated|told|added|confirmed|claimed|"
                   r"tweeted|wrote|denied)(?: in (?:a|an|its) [\w-]+(?: [\w-]+)?)?,? $")


# "On Tuesday the Russian Defense Ministry blamed Azerbaijan": the day of the statement
_SAID_AFTER = re.compile(r",?\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+){1,5}(?:said|blamed|accused|announced|"
                         r"reported|stated|denied|claimed|confirmed)\b")


def find_dates(text: str, published: date, sentence: int = 0) -> list[DateMention]:
    """Every date mention in ``text``, in order; overlapping matches keep the first kind.

    >>> [m.start.isoformat() for m in find_dates("Yesterday, shelling hit Tartar.", date(2020, 10, 15))]
    ['2020-10-14']
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    low = text.lower()
    if not _DIGIT.search(text) and not any(w in low for w in _QUICK_WORDS):
        return found  # no digit, day, week or month word: no date
    for kind, pattern in _PATTERNS:
        anchor = _ANCHORS.get(kind)
        if anchor is not None and not anchor.search(low):
            continue
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            start, end, refers_to = resolved
            if refers_to == "event" and (_SAID.search(text[max(0, m.start() - 40):m.start()])
                                         or _SAID_AFTER.match(text, m.end())):
                refers_to = "statement"  # "the ministry said on Monday": when it was said
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.group(0), start, end, precision_of_span(start, end),
                                     sentence, m.start(), refers_to))
    return sorted(found, key=lambda d: d.offset)
