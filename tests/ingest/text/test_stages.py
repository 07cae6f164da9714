"""Each stage on its own: cleaning, sentences, dates, numbers, places, events."""

from __future__ import annotations

from datetime import date

from truce.domain.precision import GeoPrecision, TimePrecision
from truce.ingest.text.cleaning import clean, contradicting_tolls
from truce.ingest.text.dates import find_dates
from truce.ingest.text.events import find_triggers, is_calm, weapon_class
from truce.ingest.text.numbers import find_numbers, word_value
from truce.ingest.text.places import find_places
from truce.ingest.text.sentences import split_sentences

PUBLISHED = date(2020, 10, 15)  # a Thursday


def test_captions_credits_boilerplate_and_stray_numbers_are_dropped_with_a_reason():
    text = ("Azerbaijan bombs two sites\n\n  • Men stand by the rubble.\n\n    Reuters\n\npicture\n\n"
            "Shelling hit Tartar yesterday.\n\n600\n\nFollow our latest local and sports news")
    cleaned = clean(text)
    assert cleaned.paragraphs == ("Shelling hit Tartar yesterday.",)
    reasons = {d.text: d.reason for d in cleaned.dropped}
    assert reasons["600"] == "stray number"
    assert reasons["picture"].startswith("caption")
    assert reasons["Reuters"].startswith("caption")
    assert reasons["• Men stand by the rubble."].startswith("caption")
    assert reasons["Follow our latest local and sports news"] == "boilerplate"
    assert reasons["Azerbaijan bombs two sites"].startswith("headline")


def test_a_small_cumulative_toll_contradicting_the_body_is_flagged():
    sentences = split_sentences(["The battles left more than 600 people dead, a partial toll.",
                                 "At least two people have died since the outbreak of fighting."])
    numbers = [n for s in sentences for n in find_numbers(s.text, s.index)]
    assert contradicting_tolls(numbers, sentences) == {1: contradicting_tolls(numbers, sentences)[1]}
    assert "600" in contradicting_tolls(numbers, sentences)[1]


def test_sentences_do_not_split_at_abbreviations_or_initials():
    found = split_sentences(['Gen. Ivanov said "It began." Shelling resumed at 5 a.m. in Tartar.'])
    assert [s.text for s in found] == ['Gen. Ivanov said "It began."',
                                       "Shelling resumed at 5 a.m. in Tartar."]


def test_yesterday_weekdays_and_dates_resolve_against_publication():
    def first(text):
        return find_dates(text, PUBLISHED)[0]

    assert first("Yesterday, shelling resumed.").start == date(2020, 10, 14)
    assert first("Yesterday, shelling resumed.").precision is TimePrecision.DAY
    assert first("On Tuesday the town was hit.").start == date(2020, 10, 13)
    assert first("On Thursday the town was hit.").start == PUBLISHED
    assert first("on 12.10.2020").start == date(2020, 10, 12)
    assert first("on October 4").start == date(2020, 10, 4)
    assert first("in October").precision is TimePrecision.MONTH
    assert first("between the evenings of 12 and 14 October").precision is TimePrecision.DAYS


def test_days_after_the_truce_dates_the_truce_not_the_event():
    mention = find_dates("despite the passage of five days after the announced truce", PUBLISHED)[0]
    assert mention.refers_to == "truce"
    assert mention.start == date(2020, 10, 10)


def test_numbers_carry_their_meaning():
    def read(text):
        return [(n.value, n.meaning) for n in find_numbers(text)]

    assert read("bombed two missile launch sites") == [(2, "count")]
    assert read("left more than 600 people dead") == [(600, "lower_bound")]
    assert read("in control of a total of 45 towns") == [(45, "total")]
    assert read("Only 100 of the 800 families remained") == [(100, "part")]
    assert find_numbers("Only 100 of the 800 families remained")[0].whole == 800
    assert read("up to twenty-five soldiers") == [(25, "upper_bound")]
    assert read("some 1,200 houses") == [(1200, "approximate")]


def test_years_times_durations_and_the_two_sides_are_not_counts():
    assert find_numbers("In 1994, after 30 years, at 05:30 on 14 October, the two sides met.") == []
    assert word_value("twenty-five") == 25 and word_value("3 thousand") == 3000


def test_places_resolve_in_any_spelling(small_index):
    found = find_places("Shelling hit Step'anakert and Terter.", 0, small_index)
    assert [(p.text, p.place_id) for p in found] == [("Step'anakert", "gn:146970"),
                                                      ("Terter", "gn:584871")]


def test_a_country_used_as_a_location_has_country_precision(small_index):
    found = find_places("It bombed two sites inside Armenia.", 0, small_index)
    assert [(p.key, p.precision) for p in found] == [("country:AM", GeoPrecision.COUNTRY)]


def test_a_name_the_gazetteer_lacks_stays_unresolved_with_the_country_given(small_index):
    (place,) = find_places("the small town of Bukharli in Azerbaijan was shelled", 0, small_index)
    assert (place.name, place.place_id, place.country) == ("Bukharli", None, "AZ")
    assert place.precision is GeoPrecision.COUNTRY and not place.resolved


def test_a_capital_speaking_for_its_government_is_not_a_place(gazetteer):
    assert find_places("Baku explained that the army advanced.", 0, gazetteer) == []
    assert [p.name for p in find_places("Shelling hit Baku.", 0, gazetteer)] == ["Baku"]


def test_a_person_named_like_a_town_is_not_a_place(gazetteer):
    assert find_places("Shushan Stepanyan confirmed it.", 0, gazetteer) == []


def test_the_region_refers_back_to_the_last_region_named(small_index):
    found = find_places("Fighting in Nagorno Karabakh; eight towns in the region fell.", 0, small_index)
    assert [p.key for p in found] == ["region:Nagorno-Karabakh"] * 2


def test_triggers_map_to_acled_types_and_weapons():
    (shelling,) = find_triggers("Artillery shelled Tartar.")
    assert (shelling.event_type, shelling.sub_type) == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack")
    (control,) = find_triggers("Azerbaijan took control of eight new towns.")
    assert control.event_type == "Battles"
    (observers,) = find_triggers("Moscow is ready to deploy military observers.")
    assert (observers.event_type, observers.sub_type) == ("Strategic developments", "Other")
    assert weapon_class("bombed two missile launch sites").value == "aviation"
    assert weapon_class("fired Smerch rockets").value == "rocket"


def test_threats_are_not_events_and_calm_is_a_report():
    assert find_triggers("The army reserves the right to target any military facility.") == []
    assert is_calm("The capital, Stepanakert, was calm, yesterday.")
