"""Geometry facts on the real theatre geometry, in metres (shapely back end)."""

from __future__ import annotations

from datetime import date

import pytest
from pyproj import Geod

from truce.geo.facts import FactsEngine
from truce.geo.gazetteer import read_gazetteer
from truce.geo.geometry import read_line_versions, theatre
from truce.geo.lines import LineHistory, SideChange

VARDENIS = (45.73156, 40.1827)  # Armenia, the 14 Oct 2020 strike
STEPANAKERT = (46.7528, 39.8177)  # inside the 1994-2020 held area
TARTAR = (46.93161, 40.34201)  # Azerbaijani side, close to the northern line
MARTAKERT = (46.82086, 40.21238)  # held-area side of the same sector
TBILISI = (44.8271, 41.7151)  # neither party
FUZULI = (47.14529, 39.60094)
DAY = date(2020, 10, 14)


@pytest.fixture(scope="module")
def engine() -> FactsEngine:
    places = [(p.id, p.longitude, p.latitude) for p, _ in read_gazetteer()]
    return FactsEngine(LineHistory(read_line_versions()), places)


def test_point_in_armenia_is_sovereign_armenian_outside_the_disputed_region(engine):
    f = engine.facts(*VARDENIS, DAY)
    assert (f.sovereign_country, f.in_disputed_region, f.side) == ("AM", False, "ARM")
    assert f.populated_place_id == "gn:616108"  # Vardenis, Gegharkunik
    assert 15_000 < f.distance_to_line_m < 30_000


def test_point_in_nagorno_karabakh_is_azerbaijan_de_jure_and_in_the_disputed_region(engine):
    f = engine.facts(*STEPANAKERT, DAY)
    assert (f.sovereign_country, f.in_disputed_region, f.side) == ("AZ", True, "NKR")
    assert f.populated_place_id == "gn:146970"


def test_points_on_either_side_of_the_line_in_one_sector(engine):
    near, far = engine.facts(*TARTAR, DAY), engine.facts(*MARTAKERT, DAY)
    assert near.sector == far.sector == "Tartar-Aghdara (north)"
    assert (near.side, near.in_disputed_region) == ("AZE", False)
    assert (far.side, far.in_disputed_region) == ("NKR", True)
    assert near.distance_to_line_m < 10_000 < far.distance_to_line_m


def test_point_outside_both_states_has_no_country_and_no_side(engine):
    f = engine.facts(*TBILISI, DAY)
    assert (f.sovereign_country, f.side, f.in_disputed_region) == (None, None, False)


def test_distances_are_metres_not_degrees(engine):
    # A point on a vertex of the line is 0 m from it; 10 km due north of it, at most 10 km.
    lon, lat = read_line_versions()[0][2]["coordinates"][3]
    assert engine.facts(lon, lat, DAY).distance_to_line_m == pytest.approx(0, abs=1)
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, 0, 10_000)
    assert 3_000 < engine.facts(lon2, lat2, DAY).distance_to_line_m <= 10_010


def test_incident_is_judged_against_the_line_of_its_date(engine):
    before = engine.facts(*STEPANAKERT, date(2020, 10, 1))
    after = engine.facts(*STEPANAKERT, date(2020, 10, 25))
    assert before.line_valid_from == date(2020, 9, 27)
    assert after.line_valid_from == date(2020, 10, 20)
    assert after.sector == "Fuzuli-Hadrut-Zangilan (south, approximate)"


def test_a_control_change_moves_the_side_from_its_date():
    change = SideChange("gn:148106", "Fuzuli", *FUZULI, side="AZE", since=date(2020, 10, 17),
                        control_id="ctl-fuzuli")
    engine = FactsEngine(LineHistory(read_line_versions(), [change]), [])
    assert engine.facts(*FUZULI, date(2020, 10, 16)).side == "NKR"
    moved = engine.facts(*FUZULI, date(2020, 10, 18))
    assert (moved.side, moved.line_valid_from, moved.in_disputed_region) == (
        "AZE", date(2020, 10, 17), True)


def test_many_points_at_once_match_one_at_a_time(engine):
    points = [VARDENIS, STEPANAKERT, TARTAR, MARTAKERT, TBILISI]
    days = [DAY, date(2020, 10, 25), DAY, DAY, DAY]
    many = engine.facts_many([p[0] for p in points], [p[1] for p in points], days)
    assert many == [engine.facts(*p, d) for p, d in zip(points, days, strict=True)]


def test_theatre_geometry_is_loaded_once():
    assert theatre() is theatre()
