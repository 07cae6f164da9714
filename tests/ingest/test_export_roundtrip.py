"""`truce export` and back: GeoJSON is valid RFC 7946 and re-imports with
import-level fidelity; the ACLED-layout CSV re-imports with `truce import acled`."""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.domain.actors import Source, SourceKind
from truce.domain.incidents import CasualtyCategory, CasualtyFigure, Incident, Qualifier, Report, Status
from truce.domain.precision import GeoPrecision, TimePrecision
from truce.geo.gazetteer import read_gazetteer
from truce.service.records import add_incident, add_party_actor_source, add_report
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent.parent / "data"
GED = Path(__file__).resolve().parents[1] / "data" / "ucdp_ged_v23_1_central_african_republic.csv"
runner = CliRunner()
MOMENT = datetime(2020, 10, 15, 6, 30, tzinfo=UTC)


def fresh(path: Path, *, gazetteer: bool = False) -> Path:
    """An empty database at ``path``; with ``gazetteer``, the shipped places only."""
    engine = make_engine(str(path))
    upgrade(engine)
    if gazetteer:
        with UnitOfWork(engine) as uow:
            uow.places.add_many(p for p, _origin in read_gazetteer())
            uow.commit()
    engine.dispose()
    return path


def truce(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return result


def add_hand_made(db: Path) -> None:
    """Incidents as an analyst records them: unlocated, corrected, ranged tolls."""
    with UnitOfWork(make_engine(str(db)), actor="test") as uow:
        add_party_actor_source(uow, Source(id="s-arm-mod-test", name="Armenian MoD (test)",
                                           kind=SourceKind.PARTY_STATEMENT, published=MOMENT, affiliation="ARM"))
        add_incident(uow, Incident(
            id="hm-bukharli", title="Bukharli under bombardment", event_type="Explosions/Remote violence",
            sub_type="Shelling/artillery/missile attack", start=MOMENT, end=MOMENT + timedelta(hours=6),
            time_precision=TimePrecision.EXACT, place_name="Bukharli", geo_precision=GeoPrecision.COUNTRY,
            country="AZ", status=Status.DRAFT,
        ), MOMENT, [CasualtyFigure(CasualtyCategory.MILITARY, "killed", 600, Qualifier.MORE_THAN, "cumulative",
                                   "s-arm-mod-test", date(2020, 10, 15), "more than 600 dead")])
        add_incident(uow, Incident(
            id="hm-precise", title="Point with many decimals", event_type="Battles", sub_type="Armed clash",
            start=MOMENT, end=MOMENT, latitude=39.123456789, longitude=46.987654321,
            geo_precision=GeoPrecision.EXACT, country="AZ", actor1="Unidentified armed group",
        ), MOMENT, [])
        first = Report(id="hm-r1", source="s-arm-mod-test", received=MOMENT, summary="Two killed.")
        second = Report(id="hm-r2", source="s-arm-mod-test", received=MOMENT + timedelta(hours=2),
                        summary="Correction: three killed.", corrects="hm-r1", payload={"note": "revised"})
        for report in (first, second):
            add_report(uow, report)
            uow.incidents.link_report("hm-precise", report.id)
        uow.commit()


DECIDED = ("status", "grade", "grade_reasons", "grade_override", "grade_override_reason")


def _recorded(feature: dict) -> dict:
    """A feature without what the importing store decides for itself."""
    return {**feature, "properties": {k: v for k, v in feature["properties"].items()
                                      if k not in DECIDED}}


def check_rfc7946(text: str) -> dict:
    """Assert the structure RFC 7946 asks of a FeatureCollection of Points."""
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON number {c}"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert isinstance(data["features"], list) and data["features"]
    for f in data["features"]:
        assert f["type"] == "Feature" and "geometry" in f and isinstance(f["properties"], dict)
        assert isinstance(f.get("id", ""), str | int)
        geometry = f["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90, f["id"]
        assert all(math.isfinite(x) and round(x, 6) == x for x in (lon, lat)), f["id"]
        assert f["properties"]["acled_geo_precision"] in (1, 2, 3)
    return data


def _first_rows(source: Path, rows: int, target: Path) -> Path:
    """``source``'s header and first ``rows`` rows (the whole file's load is tested apart)."""
    with source.open(encoding="utf-8", newline="") as f, target.open("w", encoding="utf-8", newline="") as out:
        reader = csv.reader(f)
        csv.writer(out).writerows(row for _, row in zip(range(rows + 1), reader, strict=False))
    return target


GED_ROWS = 150


def test_geojson_export_is_rfc7946_and_reimports_to_the_same_features(demo_db, tmp_path):
    truce("import", "ucdp", str(_first_rows(GED, GED_ROWS, tmp_path / "ged.csv")), "--db", str(demo_db))
    truce("import", "acled", str(DATA / "acled_sample.csv"), "--db", str(demo_db))
    add_hand_made(demo_db)
    first = tmp_path / "first.geojson"
    truce("export", "geojson", "-o", str(first), "--db", str(demo_db))
    data = check_rfc7946(first.read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in data["features"]}
    with sqlite3.connect(demo_db) as c:
        assert len(by_id) == c.execute("SELECT count(*) FROM incidents").fetchone()[0] > GED_ROWS + 7 + 2
    assert by_id["hm-bukharli"]["geometry"] is None
    assert by_id["hm-precise"]["geometry"]["coordinates"] == [46.987654, 39.123457]
    assert by_id["ucdp:36211"]["properties"]["ucdp_where_prec"] == 5
    assert by_id["ucdp:36211"]["properties"]["reports"][0]["payload"]["best"] == "4"

    # the mission's own observer reports do not travel by file: only signed reports speak for it
    mission = {i for i, f in by_id.items()
               if any(s["kind"] in ("observer", "camera") for s in f["properties"]["sources"])}
    target = fresh(tmp_path / "target.db", gazetteer=True)
    result = truce("import", "geojson", str(first), "--db", str(target))
    assert f"{len(by_id) - len(mission)} loaded, 0 skipped (already stored), {len(mission)} rejected" \
        in result.stdout
    assert "parties added from source affiliations" in result.stdout
    second = tmp_path / "second.geojson"
    truce("export", "geojson", "-o", str(second), "--db", str(target))
    again_features = json.loads(second.read_text(encoding="utf-8"))["features"]
    # status and grade are decided by the importing store, never taken from the file
    assert {f["properties"]["status"] for f in again_features} == {"draft"}
    assert [_recorded(f) for f in again_features] == \
        [_recorded(f) for f in data["features"] if f["id"] not in mission]

    again = truce("import", "geojson", str(first), "--db", str(target))
    assert f"0 loaded, {len(by_id) - len(mission)} skipped" in again.stdout


def test_geojson_import_without_the_gazetteer_keeps_the_place_name_only(demo_db, tmp_path):
    out = tmp_path / "out.geojson"
    truce("export", "geojson", "--type", "Battles", "-o", str(out), "--db", str(demo_db))
    placed = [f for f in json.loads(out.read_text())["features"] if f["properties"]["place_id"]]
    assert placed
    target = fresh(tmp_path / "bare.db")
    truce("import", "geojson", str(out), "--db", str(target))
    with UnitOfWork(make_engine(str(target))) as uow:
        incident = uow.incidents.get(placed[0]["id"])
    assert incident.place is None and incident.place_name == placed[0]["properties"]["place_name"]


def test_geojson_that_is_not_a_feature_collection_is_refused(tmp_path):
    db = fresh(tmp_path / "t.db")
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "Point", "coordinates": [1, 2]}')
    result = runner.invoke(app, ["import", "geojson", str(bad), "--db", str(db)])
    assert result.exit_code == 1 and "not a GeoJSON FeatureCollection" in result.stderr


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_acled_csv_export_reimports_with_the_fields_acled_carries(tmp_path):
    a, b = fresh(tmp_path / "a.db"), fresh(tmp_path / "b.db")
    truce("import", "acled", str(DATA / "acled_sample.csv"), "--db", str(a))
    exported = tmp_path / "a.csv"
    truce("export", "csv", "-o", str(exported), "--db", str(a))
    result = truce("import", "acled", str(exported), "--db", str(b))
    assert "7 loaded, 0 skipped (already stored), 0 rejected" in result.stdout
    again = truce("export", "csv", "-o", "-", "--db", str(b)).stdout
    assert read_rows(again) == read_rows(exported.read_text(encoding="utf-8"))

    original = {r["event_id_cnty"]: r for r in csv.DictReader((DATA / "acled_sample.csv").open(encoding="utf-8"))}
    for row in read_rows(again):
        source = original[row["event_id_cnty"]]
        for column in ("event_type", "sub_event_type", "actor1", "actor2", "civilian_targeting", "iso",
                       "country", "admin1", "region", "location", "time_precision", "geo_precision",
                       "source", "notes", "fatalities", "inter1", "interaction", "timestamp"):
            assert row[column] == source[column], (row["event_id_cnty"], column)
        assert float(row["latitude"]) == float(source["latitude"])
        assert float(row["longitude"]) == float(source["longitude"])
    dates = {r["event_id_cnty"]: r["event_date"] for r in read_rows(again)}
    assert dates["AZE1002"] == "2020-10-04" and dates["AZE1004"] == "2020-10-17"


def test_demo_csv_export_including_unlocated_incidents_imports_back(demo_db, tmp_path):
    exported = tmp_path / "demo.csv"
    truce("export", "csv", "-o", str(exported), "--db", str(demo_db))
    rows = read_rows(exported.read_text(encoding="utf-8"))
    with sqlite3.connect(demo_db) as c:
        assert len(rows) == c.execute("SELECT count(*) FROM incidents").fetchone()[0]
    assert any(not r["latitude"] for r in rows)
    assert list(rows[0])[-1] == "truce_location_uncertainty_m" and rows[0]["truce_grade"]
    located = [r for r in rows if r["latitude"]]
    assert all(r["truce_place_label"] and float(r["truce_location_uncertainty_m"]) > 0 for r in located)
    assert all(not r["truce_location_uncertainty_m"] for r in rows if not r["latitude"])
    result = truce("import", "acled", str(exported), "--db", str(fresh(tmp_path / "t.db")))
    assert f"{len(rows)} loaded, 0 skipped (already stored), 0 rejected" in result.stdout


def test_export_filters_by_type_and_writes_stdout_with_dash(demo_db):
    out = truce("export", "geojson", "--type", "Battles", "-o", "-", "--db", str(demo_db)).stdout
    types = {f["properties"]["event_type"] for f in json.loads(out)["features"]}
    assert types == {"Battles"}


def test_export_in_an_unknown_format_is_refused(demo_db):
    result = runner.invoke(app, ["export", "kml", "--db", str(demo_db)])
    assert result.exit_code == 1 and "unknown export format 'kml'" in result.stderr
