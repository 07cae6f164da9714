"""Duplicate candidates: reports or incidents close in time, place and type."""

from __future__ import annotations

import time
from datetime import timedelta

from factories import at, make_incident, make_report

from truce.domain.duplicates import duplicate_candidates, haversine_m

GANJA = (40.6828, 46.3606)
BARDA = (40.3744, 47.1266)
SHELLING = "Explosions/Remote violence"


def test_observer_report_and_news_item_minutes_apart_in_ganja_are_candidates():
    found = duplicate_candidates([
        make_report("r1", "observer-3", at(11, 2, 0), *GANJA, event_type=SHELLING),
        make_report("r2", "afp", at(11, 2, 40), 40.6850, 46.3580, event_type=SHELLING),
    ])
    assert [(c.a, c.b) for c in found] == [("r1", "r2")]
    assert found[0].reasons[1].endswith("km apart")
    assert f"same type {SHELLING}" in found[0].reasons
    assert 0.8 < found[0].score <= 1.0


def test_reports_in_different_towns_are_not_candidates():
    assert duplicate_candidates([
        make_report("r1", "afp", at(28), *GANJA), make_report("r2", "afp", at(28), *BARDA),
    ]) == []


def test_reports_more_than_the_time_window_apart_are_not_candidates():
    assert duplicate_candidates([
        make_report("r1", "afp", at(11, 1), *GANJA), make_report("r2", "afp", at(11, 9), *GANJA),
    ], hours=6) == []


def test_incompatible_event_types_are_not_candidates():
    assert duplicate_candidates([
        make_report("r1", "afp", at(11), *GANJA, event_type="Protests"),
        make_report("r2", "afp", at(11), *GANJA, event_type=SHELLING),
    ]) == []


def test_overlapping_incident_windows_across_midnight_are_candidates():
    found = duplicate_candidates([
        make_incident("i1", at(16, 22), at(17, 3)),
        make_incident("i2", at(17, 1), event_type="Battles"),
    ])
    assert found[0].reasons[0] == "time windows overlap"
    assert "types compatible: Explosions/Remote violence / Battles" in found[0].reasons


def test_unlocated_reports_naming_the_same_place_are_candidates():
    found = duplicate_candidates([
        make_report("r1", "az-mod", at(4), place="ganja"),
        make_report("r2", "am-mod", at(4, 14), place="ganja"),
    ])
    assert found[0].reasons[1] == "same place ganja"


def test_reports_already_in_the_same_incident_are_not_proposed():
    assert duplicate_candidates([
        make_report("r1", "afp", at(11), *GANJA, incident="i1"),
        make_report("r2", "bbc", at(11), *GANJA, incident="i1"),
    ]) == []


def test_injected_distance_function_is_used():
    far = duplicate_candidates([make_report("r1", "afp", at(11), *GANJA),
                                make_report("r2", "bbc", at(11), *GANJA)],
                               distance_m=lambda a, b: 99_999.0)
    assert far == []


def test_haversine_ganja_to_barda_is_about_71_km():
    assert 65_000 < haversine_m(GANJA, BARDA) < 75_000


def test_ten_thousand_reports_over_a_month_are_paired_quickly():
    reports = [
        make_report(f"r{n}", "afp", at(1) + timedelta(minutes=4 * n),
                    39.5 + (n % 100) * 0.01, 46.0 + (n // 100) * 0.01)
        for n in range(10_000)
    ]
    started = time.perf_counter()
    duplicate_candidates(reports, hours=1, metres=500)
    assert time.perf_counter() - started < 5


def test_an_incident_known_only_to_its_country_pairs_with_one_of_the_same_type_inside_it():
    from datetime import UTC, datetime, timedelta

    from truce.domain.incidents import Incident
    from truce.domain.precision import GeoPrecision

    start = datetime(2020, 10, 13, 21, 0, tzinfo=UTC)
    located = Incident(id="inc-vardenis", title="Strike near Vardenis", event_type="Explosions/Remote violence",
                       start=start, end=start + timedelta(hours=22), latitude=40.18, longitude=45.73,
                       geo_precision=GeoPrecision.NEAR, country="AM")
    country = Incident(id="inc-armenia", title="Strike in Armenia", event_type="Explosions/Remote violence",
                       start=start, end=start + timedelta(hours=23), geo_precision=GeoPrecision.COUNTRY,
                       country="AM")
    other_type = Incident(id="inc-clash", title="Clash in Armenia", event_type="Battles", start=start,
                          end=start + timedelta(hours=23), geo_precision=GeoPrecision.COUNTRY, country="AM")
    elsewhere = Incident(id="inc-az", title="Strike in Azerbaijan", event_type="Explosions/Remote violence",
                         start=start, end=start + timedelta(hours=23), geo_precision=GeoPrecision.COUNTRY,
                         country="AZ")
    found = duplicate_candidates([located, country, other_type, elsewhere])
    assert [(c.a, c.b) for c in found] == [("inc-armenia", "inc-vardenis")]
    assert any("known only to AM" in r for r in found[0].reasons)
