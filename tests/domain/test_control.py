"""Territorial control over time, graded like incidents."""

from __future__ import annotations

from datetime import date

import pytest
from factories import at, control_claim, karabakh_sources, make_change, make_report, make_source

from truce.domain.actors import SourceKind
from truce.domain.claims import Stance
from truce.domain.control import ControlChange, control_map, controller_on, grade_change, history
from truce.domain.exceptions import ValidationError
from truce.domain.grades import Grade

OCT = date(2020, 10, 1)


def baseline(place: str, party: str = "nk") -> ControlChange:
    return make_change(f"{place}-0", place, party, date(2020, 9, 1),
                       reports=[make_report(f"{place}-r0", "observer-3")])


def test_taking_asserted_and_denied_by_the_other_party_is_contested_but_shown():
    hadrut = make_change("k1", "hadrut", "az", date(2020, 10, 9), previous_party="nk", claims=[
        control_claim("c1", "az-president", Stance.ASSERTS, "k1"),
        control_claim("c2", "am-mod", Stance.DENIES, "k1"),
    ])
    state = controller_on([baseline("hadrut"), hadrut], "hadrut", date(2020, 10, 15))
    assert state is not None
    assert (state.party, state.grade, state.contested) == ("az", Grade.CONTESTED, True)
    assert state.previous_party == "nk"
    assert state.claim_ids == ("c1", "c2")


def test_taking_confirmed_by_the_losing_party_is_corroborated():
    change = make_change("k1", "hadrut", "az", date(2020, 10, 9), claims=[
        control_claim("c1", "az-president", Stance.ASSERTS, "k1"),
        control_claim("c2", "am-mod", Stance.CONFIRMS, "k1"),
    ])
    assert grade_change(change).grade is Grade.CORROBORATED


def test_initial_denial_followed_by_confirmation_is_corroborated():
    sources = karabakh_sources()
    sources["am-14"] = make_source("am-14", "Ministry of Defence of Armenia",
                                   SourceKind.PARTY_STATEMENT, "am", published=at(14))
    sources["am-15"] = make_source("am-15", "Ministry of Defence of Armenia",
                                   SourceKind.PARTY_STATEMENT, "am", published=at(15))
    change = make_change("k1", "village-8", "az", date(2020, 10, 14), sources=sources, claims=[
        control_claim("c1", "az-president", Stance.ASSERTS, "k1"),
        control_claim("c2", "am-mod", Stance.DENIES, "k1", source="am-14"),
        control_claim("c3", "am-mod", Stance.CONFIRMS, "k1", source="am-15"),
    ])
    assert grade_change(change).grade is Grade.CORROBORATED


def test_controller_before_the_change_is_the_earlier_holder():
    change = make_change("k1", "hadrut", "az", date(2020, 10, 9),
                         claims=[control_claim("c1", "az-mod", Stance.ASSERTS, "k1")])
    changes = [baseline("hadrut"), change]
    assert controller_on(changes, "hadrut", date(2020, 10, 8)).party == "nk"
    assert controller_on(changes, "hadrut", date(2020, 10, 9)).party == "az"
    assert controller_on(changes, "hadrut", date(2020, 8, 1)) is None


def test_discounted_change_is_skipped_on_the_map_but_kept_in_history():
    sources = karabakh_sources()
    change = make_change("k1", "shusha", "az", date(2020, 10, 10), sources=sources, claims=[
        control_claim("c1", "az-mod", Stance.ASSERTS, "k1"),
        control_claim("c2", "observer-3", Stance.DENIES, "k1", source="observer-3"),
    ])
    changes = [baseline("shusha"), change]
    assert controller_on(changes, "shusha", date(2020, 10, 15)).party == "nk"
    records = history(changes, "shusha")
    assert [(r.control.id, r.result.grade) for r in records] == [
        ("shusha-0", Grade.VERIFIED), ("k1", Grade.DISCOUNTED)]
    assert records[1].claims[0].id == "c1"


def test_control_map_lists_every_place_with_a_holder_on_the_day():
    changes = [
        baseline("hadrut"), baseline("stepanakert"),
        make_change("k1", "hadrut", "az", date(2020, 10, 9),
                    claims=[control_claim("c1", "az-mod", Stance.ASSERTS, "k1")]),
        make_change("k2", "jabrayil", "az", date(2020, 10, 20),
                    claims=[control_claim("c2", "az-mod", Stance.ASSERTS, "k2")]),
    ]
    on_15th = control_map(changes, date(2020, 10, 15))
    assert {p: (s.party, s.grade) for p, s in on_15th.items()} == {
        "hadrut": ("az", Grade.SINGLE_SOURCE),
        "stepanakert": ("nk", Grade.VERIFIED),
    }
    assert on_15th["hadrut"].since == date(2020, 10, 9)


def test_change_without_any_evidence_is_rejected():
    with pytest.raises(ValidationError, match="no report or claim supports"):
        grade_change(make_change("k1", "hadrut", "az", OCT))
