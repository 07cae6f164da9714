"""Imports hold dates and counts to what the domain allows (``domain.bounds``,
issue 11): a day outside 1900-01-01 .. 2100-12-31, a count that is not a whole
number from 0 to 10 000 000, is a rejected row naming its line and field, never
a traceback or a record no filter can reach; the file's other rows load."""

from __future__ import annotations

import copy
import csv
import json
import sqlite3
from pathlib import Path

import pytest

from cli_main import run_main

DATA = Path(__file__).parent.parent / "data"


def rows_of(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def incidents(db: Path) -> set[str]:
    with sqlite3.connect(db) as c:
        return {r[0] for r in c.execute("SELECT id FROM incidents")}


def rejected(stdout: str) -> dict[int, str]:
    """{line: reason} of the "Rejected rows" table."""
    found = {}
    for row in stdout.splitlines():
        cells = row.split("│")
        if len(cells) == 4 and cells[1].strip().isdigit():
            found[int(cells[1])] = cells[2].strip()
    return found


ACLED_EDGES = [  # (column, value, what the reason must say)
    ("event_date", "9999-12-31", "event_date: 9999-12-31 is outside the dates records can have"),
    ("event_date", "0001-01-01", "event_date: 0001-01-01 is outside the dates records can have"),
    ("event_date", "1899-12-31", "event_date: 1899-12-31 is outside the dates records can have"),
    ("event_date", "2101-01-01", "event_date: 2101-01-01 is outside the dates records can have"),
    ("fatalities", "99999999999999999999999", "fatalities: 99999999999999999999... is outside 0 .. 10000000"),
    ("fatalities", "1e400", "fatalities: '1e400' is not a whole number"),
    ("fatalities", "-2", "fatalities: -2 is outside 0 .. 10000000"),
    ("fatalities", "2.5", "fatalities: '2.5' is not a whole number"),
    ("timestamp", "99999999999999", "timestamp: 99999999999999 seconds since 1970 is outside"),
]


def test_acled_rows_with_dates_or_counts_out_of_bounds_are_rejected_and_the_rest_load(db, tmp_path):
    columns, sample = rows_of(DATA / "acled_sample.csv")
    good = sample[0]
    rows = [dict(good, event_id_cnty=f"EDGE{n}", **{column: value})
            for n, (column, value, _reason) in enumerate(ACLED_EDGES)]
    rows.append(dict(good, event_id_cnty="EDGE-OK", event_date="1900-01-01", fatalities="3.0"))
    done = run_main("import", "acled", str(write_csv(tmp_path / "edges.csv", columns, rows)), "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"1 loaded, 0 skipped (already stored), {len(ACLED_EDGES)} rejected" in done.stdout, done.stdout
    reasons = rejected(done.stdout)
    for n, (_column, _value, reason) in enumerate(ACLED_EDGES):
        assert reason in reasons.get(n + 2, ""), (n + 2, reasons)
    assert incidents(db) == {"acled:EDGE-OK"}


UCDP_EDGES = [
    ({"date_start": "0001-01-01 00:00:00.000"}, "date_start: 0001-01-01 is outside the dates records can have"),
    ({"date_end": "9999-12-31 00:00:00.000"}, "date_end: 9999-12-31 is outside the dates records can have"),
    ({"date_start": "1899-12-31", "date_end": "1899-12-31"},
     "date_start: 1899-12-31 is outside the dates records can have"),
    ({"deaths_civilians": "99999999999999999999999"},
     "deaths_civilians: 99999999999999999999... is outside 0 .. 10000000"),
    ({"deaths_a": "1e400"}, "deaths_a: '1e400' is not a whole number"),
    ({"deaths_unknown": "-1"}, "deaths_unknown: -1 is outside 0 .. 10000000"),
]


def test_ucdp_rows_with_dates_or_deaths_out_of_bounds_are_rejected_and_the_rest_load(db, tmp_path):
    columns, sample = rows_of(DATA / "ucdp_ged_sample.csv")
    good = sample[0]
    rows = [dict(good, id=f"9900{n}", **changes) for n, (changes, _reason) in enumerate(UCDP_EDGES)]
    rows.append(dict(good, id="99999"))
    done = run_main("import", "ucdp", str(write_csv(tmp_path / "edges.csv", columns, rows)), "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"1 loaded, 0 skipped (already stored), {len(UCDP_EDGES)} rejected" in done.stdout, done.stdout
    reasons = rejected(done.stdout)
    for n, (_changes, reason) in enumerate(UCDP_EDGES):
        assert reason in reasons.get(n + 2, ""), (n + 2, reasons)
    assert incidents(db) == {"ucdp:99999"}


def _feature(n: int) -> dict:
    return {"type": "Feature", "id": f"geo-{n}", "geometry": {"type": "Point", "coordinates": [46.93, 40.34]},
            "properties": {
                "id": f"geo-{n}", "title": "Shelling near Tartar", "event_type": "Explosions/Remote violence",
                "start": "2020-10-14T08:00:00Z", "end": "2020-10-14T09:00:00Z",
                "casualties": [{"category": "civilian", "kind": "killed", "value": 2, "source": "s-geo"}],
                "reports": [{"id": f"geo-report-{n}", "source": "s-geo", "received": "2020-10-14T10:00:00Z",
                             "summary": "Shelling reported."}],
                "sources": [{"id": "s-geo", "name": "Geo wire", "kind": "news"}]}}


GEOJSON_EDGES = [  # (change to a feature's properties, what the reason must say)
    (lambda p: p.update(start="1899-12-31T00:00:00Z"), "start: 1899-12-31 is outside the dates"),
    (lambda p: p.update(end="9999-12-31T00:00:00+00:00"), "end: 9999-12-31 is outside the dates"),
    (lambda p: p.update(start="2020-10-14T08:00"), "start: '2020-10-14T08:00' has no UTC offset"),
    (lambda p: p["casualties"][0].update(value=10**23), "casualties.0.value: 10000000000000000000... is outside"),
    (lambda p: p["casualties"][0].update(value=-1), "casualties.0.value: -1 is outside 0 .. 10000000"),
    (lambda p: p["casualties"][0].update(as_of="0001-01-01"), "casualties.0.as_of: 0001-01-01 is outside"),
    (lambda p: p["reports"][0].update(received="0001-01-01T00:00:00+00:00"), "received: 0001-01-01 is outside"),
]


def test_geojson_features_with_dates_or_counts_out_of_bounds_are_rejected_and_the_rest_load(db, tmp_path):
    features = []
    for n, (change, _reason) in enumerate(GEOJSON_EDGES):
        feature = copy.deepcopy(_feature(n))
        change(feature["properties"])
        features.append(feature)
    features.append(_feature(99))
    path = tmp_path / "edges.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    done = run_main("import", "geojson", str(path), "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"1 loaded, 0 skipped (already stored), {len(GEOJSON_EDGES)} rejected" in done.stdout, done.stdout
    reasons = rejected(done.stdout)
    for n, (_change, reason) in enumerate(GEOJSON_EDGES):
        assert reason in reasons.get(n + 1, ""), (n + 1, reasons)
    assert incidents(db) == {"geo-99"}


@pytest.mark.parametrize("number", ["1e400", "NaN"])
@pytest.mark.parametrize(("where", "field"), [('"value": 2', "casualties.0.value"),
                                              ("[46.93, 40.34]", "latitude")])
def test_geojson_count_or_coordinate_that_is_not_finite_is_a_rejected_feature(db, tmp_path, number, where,
                                                                             field):
    text = json.dumps({"type": "FeatureCollection", "features": [_feature(1), _feature(2)]})
    edge = where.replace("2", number) if field != "latitude" else f"[46.93, {number}]"
    path = tmp_path / "edge.geojson"
    path.write_text(text.replace(where, edge, 1), encoding="utf-8")
    done = run_main("import", "geojson", str(path), "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 loaded, 0 skipped (already stored), 1 rejected" in done.stdout, done.stdout
    assert rejected(done.stdout)[1].startswith(field), done.stdout
    assert incidents(db) == {"geo-2"}
