"""Selections: what a figure's link carries, parsed back the same, bad values refused."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

import pytest

from truce.domain.exceptions import ValidationError
from truce.store.selection import Selection


def test_a_selection_survives_its_own_link() -> None:
    sel = Selection(start=date(2020, 10, 14), end=date(2020, 10, 14), event_type="Explosions/Remote violence",
                    responsible="none", grades=("verified", "corroborated"), sector="Fuzuli", violations=True)
    assert Selection.from_query(dict(parse_qsl(sel.query()))) == sel


def test_unknown_grade_in_a_link_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Selection.from_query({"grade": "rumoured"})
    assert caught.value.field == "grade"


def test_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Selection.from_query({"from": "2020-10-14", "to": "2020-10-13"})
    assert caught.value.field == "to"


def test_describe_says_what_is_counted() -> None:
    sel = Selection(start=date(2020, 10, 14), end=date(2020, 10, 14), sector="Aghdam", violations=True)
    assert sel.describe() == "ceasefire violations, 14 Oct 2020, sector Aghdam"


@pytest.mark.parametrize("qualifier", ["exact", "about"])
@pytest.mark.parametrize("value", [0, 1, 7, 600])
def test_a_lone_point_figure_takes_the_domain_rules_range(qualifier: str, value: int) -> None:
    from truce.domain.casualties import casualty_range
    from truce.domain.incidents import CasualtyCategory, CasualtyFigure, Qualifier
    from truce.store.daily import _range

    fast = _range([(value, qualifier, "s1")], CasualtyCategory.CIVILIAN, "killed")
    figure = CasualtyFigure(CasualtyCategory.CIVILIAN, "killed", value, Qualifier(qualifier), source="s1")
    rule = casualty_range([figure])
    assert fast == rule
