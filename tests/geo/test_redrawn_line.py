"""The line of contact of a day, redrawn from the demo theatre's recorded
control changes (``truce.geo.lines.line_on``): the 1994-2020 held area moved
by a control-radius disc around each place that changed hands."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
import shapely
from shapely.geometry import shape

from truce.data import DATA_DIR
from truce.geo.gazetteer import read_gazetteer
from truce.geo.geometry import project_geometry, read_line_versions, to_metres
from truce.geo.lines import SideChange, line_on

RADIUS_M = 5_000.0
PRE_WAR = date(2020, 9, 27)
LATE = date(2020, 11, 9)
CAPTURED_BY_LATE = {"Sugovushan (Madagiz)", "Talish", "Jabrayil", "Hadrut", "Fuzuli", "Zangilan", "Gubadli", "Shusha"}
# (name, lon, lat, held-area side on the late day?)
NEVER_CHANGED = [("Stepanakert", 46.7528, 39.8177, True), ("Martakert", 46.82086, 40.21238, True),
                 ("Askeran", 46.82, 39.93, True), ("Tartar", 46.93161, 40.34201, False),
                 ("Barda", 47.1264, 40.3744, False), ("Ganja", 46.3606, 40.6828, False)]


def demo_changes() -> list[SideChange]:
    """The shipped scenario's control changes at their gazetteer places
    (the ones with no place, like "eight villages", cannot be drawn)."""
    places = {p.id: p for p, _names in read_gazetteer()}
    controls = json.loads((DATA_DIR / "scenario.json").read_text(encoding="utf-8"))["controls"]
    return [SideChange(c["place"], c["place_name"], places[c["place"]].longitude, places[c["place"]].latitude,
                       c["party"], date.fromisoformat(c["from"]), c["id"]) for c in controls if c["place"]]


def pre_war_line() -> shapely.Geometry:
    return shapely.line_merge(shapely.union_all(
        [project_geometry(shape(g)) for day, _sector, g in read_line_versions() if day == PRE_WAR]))


def metres(lon: float, lat: float) -> shapely.Point:
    return shapely.Point(*to_metres(lon, lat))


def test_before_any_control_change_the_line_is_the_pre_war_line():
    redrawn = line_on(demo_changes(), PRE_WAR, RADIUS_M)
    assert redrawn.changes == () and redrawn.moved_to is None
    drawn = pre_war_line()
    # the held-area polygon (1:10m) and the drawn line (1:50m) agree to ~1 km, ~3 km at the border ends
    assert redrawn.line.hausdorff_distance(drawn) < 3_500
    assert abs(redrawn.line.length - drawn.length) < 0.05 * drawn.length
    assert redrawn.taken_by_aze.is_empty and redrawn.taken_by_held_side.is_empty


def test_on_a_late_day_every_captured_place_is_on_azerbaijans_side_of_a_line_that_moved_around_it():
    before, redrawn = (line_on(demo_changes(), day, RADIUS_M) for day in (PRE_WAR, LATE))
    drawn = pre_war_line()
    assert {c.place_name for c in redrawn.changes} == CAPTURED_BY_LATE
    for change in redrawn.changes:
        at = metres(change.longitude, change.latitude)
        assert before.held_at(change.longitude, change.latitude), change.place_name
        assert not redrawn.held_at(change.longitude, change.latitude), change.place_name
        assert redrawn.taken_by_aze.contains(at), change.place_name
        # around the place the new line runs about one control radius out, where the pre-war line did not
        around = at.buffer(RADIUS_M + 1_000)
        new, old = redrawn.line.intersection(around), drawn.intersection(around)
        assert new.length > 5_000, change.place_name
        assert old.is_empty or new.hausdorff_distance(old) > 1_000, change.place_name
        assert RADIUS_M - 1_000 < redrawn.line.distance(at) < RADIUS_M + 500, change.place_name
    assert redrawn.line.hausdorff_distance(drawn) > 20_000  # islands around Shusha, Hadrut, Jabrayil...


def test_places_that_never_changed_hands_keep_their_side():
    before, after = (line_on(demo_changes(), day, RADIUS_M) for day in (PRE_WAR, LATE))
    for name, lon, lat, held in NEVER_CHANGED:
        assert before.held_at(lon, lat) is held, name
        assert after.held_at(lon, lat) is held, name


def test_the_line_away_from_the_changes_stays_where_it_was():
    before, after = (line_on(demo_changes(), day, RADIUS_M) for day in (PRE_WAR, LATE))
    discs = shapely.union_all([metres(c.longitude, c.latitude).buffer(RADIUS_M + 2_000) for c in after.changes])
    assert before.line.difference(discs).hausdorff_distance(after.line.difference(discs)) < 500  # simplification only


def test_the_redrawn_line_is_valid_simple_geometry_off_the_borders():
    redrawn = line_on(demo_changes(), date(2020, 12, 2), RADIUS_M)  # after the handovers too
    assert redrawn.line.geom_type == "MultiLineString" and redrawn.line.is_valid and not redrawn.line.is_empty
    assert redrawn.held_area.is_valid
    assert all(len(part.coords) < 80 for part in redrawn.line.geoms)  # simplified to a readable line
    geojson = redrawn.geojson()
    assert geojson["features"][0]["geometry"]["type"] == "MultiLineString"
    assert "11 recorded control changes up to 1 Dec 2020" in geojson["derivation"]
    assert {f["properties"]["side"] for f in geojson["changed_ground"]["features"]} == {"AZE"}
    for side in (redrawn, line_on(demo_changes(), PRE_WAR, RADIUS_M)):
        assert shapely.is_valid(shape(side.geojson()["features"][0]["geometry"]))


def test_later_changes_win_and_discounted_changes_are_left_out_by_side_changes():
    shusha = next(c for c in demo_changes() if c.place_name == "Shusha")
    retaken = SideChange(shusha.place_id, shusha.place_name, shusha.longitude, shusha.latitude, "NKR",
                         date(2020, 11, 9), "ctl-retaken")
    assert not line_on([shusha], LATE, RADIUS_M).held_at(shusha.longitude, shusha.latitude)
    assert line_on([shusha, retaken], LATE, RADIUS_M).held_at(shusha.longitude, shusha.latitude)
    assert not line_on([shusha, retaken], date(2020, 11, 8), RADIUS_M).held_at(shusha.longitude, shusha.latitude)

    from truce.geo.lines import side_changes

    class Control:
        id, place, party, start = "ctl-x", shusha.place_id, "AZE", date(2020, 11, 8)

    class Place:
        id, longitude, latitude = shusha.place_id, shusha.longitude, shusha.latitude

    assert side_changes([(Control, "Shusha", "discounted")], {shusha.place_id: Place}) == []
    assert len(side_changes([(Control, "Shusha", "contested")], {shusha.place_id: Place})) == 1


def test_the_redraw_is_cheap_and_cached_per_set_of_standing_changes():
    changes = demo_changes()
    line_on(changes, LATE, RADIUS_M)
    started = time.perf_counter()
    for day in (date(2020, 11, n) for n in range(8, 20)):  # one set of standing changes
        line_on(changes, day, RADIUS_M)
    assert time.perf_counter() - started < 0.05
    assert line_on(changes, date(2020, 11, 8), RADIUS_M) is line_on(changes, date(2020, 11, 19), RADIUS_M)


@pytest.mark.parametrize("radius_m", [2_000.0, 10_000.0])
def test_the_control_radius_sets_how_far_the_line_moves(radius_m):
    redrawn = line_on(demo_changes(), LATE, radius_m)
    hadrut = next(c for c in redrawn.changes if c.place_name == "Hadrut")
    assert redrawn.line.distance(metres(hadrut.longitude, hadrut.latitude)) == pytest.approx(radius_m, rel=0.2)
