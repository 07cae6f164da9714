"""Regressions from a user review of the Karabakh example (2020-10-15)."""

from __future__ import annotations

from datetime import date

import pytest

from truce.ingest.text.pipeline import extract
from truce.ingest.text.sentences import split_sentences

from .conftest import EXAMPLE

PUBLISHED = date(2020, 10, 15)


@pytest.fixture(scope="module")
def example(gazetteer):
    return extract(EXAMPLE.read_text(), PUBLISHED, places=gazetteer)


def _claims(x, actor):
    return [c for c in x.claims if actor in c.actor]


def test_a_speaker_who_talks_of_observers_asserts_no_strike(example):
    x = example
    strike = next(k for k, e in enumerate(x.events) if e.sub_type == "Air/drone strike")
    russia = _claims(x, "Russia")[0]
    assert russia.actor == "Russia" and russia.event != strike
    assert x.events[russia.event].event_type == "Strategic developments"
    # Lavrov on Turkey's position and on monitoring: no event of the sentences before
    for c in _claims(x, "Lavrov"):
        if "Turkey" in c.text or "monitor" in c.text:
            assert c.event is None


def test_a_later_speaker_without_an_event_does_not_take_the_previous_one(fake):
    text = ("Russia announced it was ready to deploy observers along the front line. "
            "Lavrov said that Moscow does not agree with Ankara's position on the talks.")
    x = extract(text, PUBLISHED, extractor=fake)
    lavrov = next(c for c in x.claims if c.actor.endswith("Lavrov"))
    assert lavrov.event is None


def test_denying_an_intention_to_target_civilians_is_no_denial_of_the_strike(example):
    stepanyan = _claims(example, "Stepanyan")
    assert {(c.stance, c.proposition) for c in stepanyan} == {
        ("confirms", "happened"), ("denies", "target_type")}
    strike = next(k for k, e in enumerate(example.events) if e.sub_type == "Air/drone strike")
    assert all(c.event == strike for c in stepanyan)
    assert not any(c.stance == "denies" and c.proposition == "happened" for c in stepanyan)


def test_a_quote_running_over_two_sentences_stays_one_sentence():
    text = ('She added, "These allegations are baseless. The army reserves the right to '
            'respond." Shelling resumed.')
    assert [s.text for s in split_sentences([text])] == [
        'She added, "These allegations are baseless. The army reserves the right to respond."',
        "Shelling resumed."]


def test_an_event_told_second_in_a_sentence_is_shown_with_its_own_sentence(example):
    control = next(e for e in example.events if e.sub_type == "Government regains territory")
    observers = next(e for e in example.events if e.event_type == "Strategic developments")
    assert control.text.startswith("In addition, Azerbaijan has taken control")
    assert observers.text.startswith("Russian Foreign Minister Sergey Lavrov announced")
    strike = next(e for e in example.events if e.sub_type == "Air/drone strike")
    assert strike.text.startswith("Yesterday, the Azerbaijani Ministry of Defense")
    # "She added, '...'" is the same speaker's denial again: one claim that keeps the quote
    quoted = next(c for c in example.claims if "These allegations" in c.text + (c.quote or ""))
    assert "reserves the right" in quoted.text + (quoted.quote or "")


def test_a_toll_of_a_past_war_is_no_figure_of_the_event(example, fake):
    assert not any(n.value == 30000 for n in example.numbers)
    assert any(n.value == 30000 for n in example.background)  # recognised all the same
    assert any(n.value == 600 for n in example.numbers)
    x = extract("The war has killed 30,000 people since 1994. Shelling hit Tartar yesterday, "
                "killing 3 people.", PUBLISHED, extractor=fake)
    assert [n.value for n in x.numbers] == [3]
