"""Casualty ranges (low / best / high) per incident and in aggregate."""

from __future__ import annotations

from datetime import date

import pytest
from factories import make_casualties, make_figure

from truce.domain.casualties import CasualtyRange, CumulativeToll, aggregate, casualty_range
from truce.domain.exceptions import ValidationError
from truce.domain.incidents import CasualtyCategory, Qualifier

CIV, MIL = CasualtyCategory.CIVILIAN, CasualtyCategory.MILITARY


def test_range_with_low_above_best_is_rejected():
    with pytest.raises(ValidationError, match="low <= best <= high"):
        CasualtyRange(5, 3, 9)


def test_no_figures_give_a_zero_range():
    assert casualty_range([]) == CasualtyRange(0, 0, 0)


def test_single_exact_figure_is_low_best_and_high():
    r = casualty_range([make_figure(9, source="afp-ganja")])
    assert (r.low, r.best, r.high, r.sources, r.open_ended) == (9, 9, 9, ("afp-ganja",), False)


def test_more_than_600_likely_much_higher_is_an_open_lower_bound():
    r = casualty_range([make_figure(600, Qualifier.MORE_THAN, category=MIL)])
    assert (r.low, r.best, r.high, r.open_ended) == (601, 601, 601, True)


def test_stray_at_least_two_does_not_lower_a_toll_of_more_than_600():
    r = casualty_range([make_figure(600, Qualifier.MORE_THAN, source="afp"),
                        make_figure(2, Qualifier.AT_LEAST, source="reuters")])
    assert (r.low, r.best, r.high) == (601, 601, 601)
    assert r.sources == ("afp", "reuters")


def test_disagreeing_exact_figures_span_low_to_high_with_the_median_as_best():
    r = casualty_range([make_figure(8, source="am-mod"), make_figure(12, source="afp"),
                        make_figure(45, source="az-mod")])
    assert (r.low, r.best, r.high) == (8, 12, 45)


def test_lower_bound_above_some_exact_figures_raises_low_and_best():
    r = casualty_range([make_figure(3), make_figure(5, source="hrw"),
                        make_figure(7, Qualifier.AT_LEAST, source="reuters")])
    assert (r.low, r.best, r.high) == (7, 7, 7)


def test_at_most_figure_only_sets_high():
    r = casualty_range([make_figure(10, Qualifier.AT_MOST)])
    assert (r.low, r.best, r.high) == (0, 0, 10)


def test_figures_from_discounted_sources_are_ignored():
    r = casualty_range([make_figure(4, source="afp"), make_figure(300, source="am-mod")],
                       discounted_sources=frozenset({"am-mod"}))
    assert (r.low, r.best, r.high, r.sources) == (4, 4, 4, ("afp",))


def test_mixing_killed_and_injured_is_rejected():
    with pytest.raises(ValidationError, match="different kind"):
        casualty_range([make_figure(4), make_figure(30, kind="injured")])


def test_earlier_cumulative_toll_is_only_a_floor_for_the_later_day():
    r = casualty_range([
        make_figure(532, source="am-mod", category=MIL, scope="cumulative",
                    as_of=date(2020, 10, 12)),
        make_figure(604, source="am-mod", category=MIL, scope="cumulative",
                    as_of=date(2020, 10, 14)),
    ])
    assert (r.low, r.best, r.high) == (604, 604, 604)


def test_an_investigations_later_count_of_one_strike_supersedes_the_first_day():
    r = casualty_range([
        make_figure(12, source="az-prosecutor", as_of=date(2020, 10, 17)),
        make_figure(13, source="az-mes", qualifier=Qualifier.AT_LEAST, as_of=date(2020, 10, 17)),
        make_figure(60, source="az-mes", qualifier=Qualifier.AT_MOST, as_of=date(2020, 10, 17)),
        make_figure(21, source="amnesty", as_of=date(2021, 1, 14)),
    ])
    assert (r.low, r.best, r.high) == (21, 21, 21)
    same_day = casualty_range([make_figure(2, source="reuters", as_of=date(2020, 10, 1)),
                               make_figure(4, source="civilnet", as_of=date(2020, 10, 1))])
    assert (same_day.low, same_day.best, same_day.high) == (2, 2, 4)  # disagreement stays a range


def test_aggregate_by_day_sums_incident_figures():
    result = aggregate([
        make_casualties("i1", date(2020, 10, 11), make_figure(9)),
        make_casualties("i2", date(2020, 10, 11), make_figure(2), make_figure(3, source="hrw")),
        make_casualties("i3", date(2020, 10, 14), make_figure(1)),
    ])
    day11 = result[(date(2020, 10, 11),)]
    assert (day11.range.low, day11.range.best, day11.range.high) == (11, 11, 12)
    assert day11.incidents == ("i1", "i2")
    assert result[(date(2020, 10, 14),)].range.best == 1


def test_aggregate_by_category_keeps_civilian_and_military_apart():
    result = aggregate([make_casualties("i1", date(2020, 10, 4), make_figure(1),
                                        make_figure(5, category=MIL))], by=("category",))
    assert result[(CIV,)].range.best == 1
    assert result[(MIL,)].range.best == 5


def test_cumulative_toll_supersedes_the_incident_sum_and_is_never_added():
    incidents = [make_casualties("i1", date(2020, 10, 10), make_figure(20, category=MIL)),
                 make_casualties("i2", date(2020, 10, 16), make_figure(3, category=MIL))]
    toll = CumulativeToll("am", make_figure(600, Qualifier.MORE_THAN, source="am-mod",
                                            category=MIL, scope="cumulative",
                                            as_of=date(2020, 10, 15)))
    result = aggregate(incidents, [toll], by=("party", "category"))
    entry = result[("am", MIL)]
    assert (entry.range.low, entry.range.best, entry.range.high) == (604, 604, 604)
    assert entry.range.open_ended
    assert entry.tolls == ("am-mod",)
    assert "supersedes" in entry.note


def test_incident_sum_larger_than_an_old_toll_wins():
    incidents = [make_casualties("i1", date(2020, 10, 1), make_figure(50, category=MIL))]
    toll = CumulativeToll("am", make_figure(30, source="am-mod", category=MIL,
                                            scope="cumulative", as_of=date(2020, 10, 2)))
    entry = aggregate(incidents, [toll], by=("party",))[("am",)]
    assert entry.range.best == 50


def test_aggregate_by_day_does_not_use_cumulative_tolls_and_says_so():
    toll = CumulativeToll("am", make_figure(600, source="am-mod", scope="cumulative",
                                            as_of=date(2020, 10, 15)))
    result = aggregate([make_casualties("i1", date(2020, 10, 15), make_figure(2))], [toll])
    entry = result[(date(2020, 10, 15),)]
    assert entry.range.best == 2
    assert "cumulative tolls not used" in entry.note


def test_aggregate_ignores_discounted_sources_and_days_after_until():
    result = aggregate([
        make_casualties("i1", date(2020, 10, 4), make_figure(30, source="am-mod")),
        make_casualties("i2", date(2020, 10, 20), make_figure(4)),
    ], by=(), discounted_sources=frozenset({"am-mod"}), until=date(2020, 10, 15))
    assert result == {}


def test_aggregate_by_unknown_dimension_is_rejected():
    with pytest.raises(ValidationError, match="cannot group by"):
        aggregate([], by=("weapon",))


def test_cumulative_figure_inside_incident_figures_is_rejected():
    with pytest.raises(ValidationError, match="not an incident figure"):
        make_casualties("i1", date(2020, 10, 4), make_figure(600, scope="cumulative"))
