"""Absolute dates are read directly, exactly as dateparser reads them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser

from truce.ingest.text.dates import _direct, find_dates


def _by_dateparser(text: str, published: date) -> date | None:
    """What ``dates._parse_absolute`` returned before the direct reading (its settings)."""
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
        "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]})
    if parsed is None:
        return None
    day = parsed.date()
    return day.replace(year=day.year - 1) if not re.search(r"\d{4}", text) and day > published \
        else day


def test_day_month_shapes_read_directly_agree_with_dateparser_on_every_day_of_a_year():
    published = date(2021, 1, 5)  # dates without a year fall on both sides of new year
    day = date(2020, 1, 1)
    while day.year == 2020:
        month = day.strftime("%B")
        for text in (f"{day.day} {month}", f"{month[:3]}. {day.day}th", f"{month} {day.day}, 2020",
                     f"{day.day:02d}.{day.month:02d}.2020"):
            direct = _direct(text, published)
            assert direct is not None, text
            assert direct == _by_dateparser(text, published), text
        day += timedelta(days=17)  # every month, most days of the month


def test_shapes_the_direct_reading_leaves_go_to_dateparser():
    published = date(2020, 10, 15)
    assert _direct("10/14/2020", published) is None  # not day-month order
    assert _direct("29 February", published) is None  # the year decides
    assert [d.start for d in find_dates("Shelling on 10/14/2020 hit Tartar.", published)] == \
        [date(2020, 10, 14)]
    assert [d.start for d in find_dates("On October 14 and 3 Nov. 2020.", published)] == \
        [date(2020, 10, 14), date(2020, 11, 3)]
