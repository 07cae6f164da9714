"""`truce import acled`: real ACLED column layout in, bad rows reported by line,
unusable files refused with nothing written. Through the real CLI."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from cli_main import added_user
from truce.cli import app
from truce.settings import get_settings
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

SAMPLE = Path(__file__).parent.parent / "data" / "acled_sample.csv"
runner = CliRunner()


def truce(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "240"})


def counts(db: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(db) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("incidents", "reports", "casualty_figures", "ledger"))


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def minimal(event_id: str, location: str, lat: str, lon: str, **extra: str) -> dict[str, str]:
    return {"event_id_cnty": event_id, "event_date": "2020-10-17", "event_type": "Battles",
            "latitude": lat, "longitude": lon, "location": location, **extra}


def test_sample_loads_good_rows_and_reports_each_bad_row_with_its_line(db):
    result = truce("import", "acled", str(SAMPLE), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "7 loaded, 0 skipped (already stored), 5 rejected" in result.stdout
    expected = {10: "event_date '2020-13-45' is not a date", 11: "unknown event type 'Skirmish'",
                12: "latitude 95.0 is outside -90..90", 13: "missing event_id_cnty",
                14: "has 8 fields, the header has 31"}
    lines = result.stdout.splitlines()
    for line, reason in expected.items():
        assert any(row.split("│")[1:2] == [f" {line:>4} "] and reason in row for row in lines), (line, result.stdout)
    assert counts(db)[:3] == (7, 7, 7)


def test_row_becomes_published_incident_with_report_source_and_casualty_figure(db):
    truce("import", "acled", str(SAMPLE), "--publish", "--token", added_user("analyst1", "analyst", db),
          "--db", str(db))
    with UnitOfWork(make_engine(str(db))) as uow:
        incident = uow.incidents.get("acled:AZE1004")
        reports = uow.reports.for_incident("acled:AZE1004")
        figures = uow.incidents.casualties(["acled:AZE1004"])["acled:AZE1004"]
        source = uow.directory.get_source("acled-source:reuters")
        early = uow.incidents.get("acled:AZE1002")
        week = uow.incidents.get("acled:AZE1006")
    assert incident.status.value == "published" and incident.country == "AZ"
    assert incident.event_type == "Explosions/Remote violence"
    assert incident.sub_type == "Shelling/artillery/missile attack"
    assert (incident.actor1, incident.actor2) == ("Military Forces of Armenia (2018-)", "Civilians (Azerbaijan)")
    assert incident.start.astimezone(get_settings().tz).date() == date(2020, 10, 17)
    assert incident.time_precision.value == "day" and incident.geo_precision.value == "settlement"
    assert (incident.latitude, incident.longitude) == (40.6816, 46.3613)
    assert [r.id for r in reports] == ["acled-report:AZE1004"]
    assert reports[0].summary.startswith("On 17 October 2020, a missile struck") and "\n" in reports[0].summary
    assert reports[0].payload["admin1"] == "Ganja" and reports[0].payload["iso"] == "31"
    assert source.name == "Reuters" and source.kind.value == "news" and source.independent
    assert [(f.category.value, f.kind, f.value, f.qualifier.value, f.source) for f in figures] == [
        ("civilian", "killed", 13, "exact", "acled-source:reuters")]
    assert early.start.astimezone(get_settings().tz).date() == date(2020, 10, 4)  # "4 October 2020"
    assert week.time_precision.value == "week" and week.geo_precision.value == "near"


def test_actors_are_recorded_verbatim_without_inferring_an_attacker(db):
    truce("import", "acled", str(SAMPLE), "--db", str(db))
    with UnitOfWork(make_engine(str(db))) as uow:
        strike = uow.incidents.get("acled:ARM1003")
        statement = uow.incidents.get("acled:ARM1007")
        claims = uow.claims.count()
    assert (strike.actor1, strike.actor2) == ("Military Forces of Azerbaijan (2003-)", None)
    assert (statement.actor1, statement.actor2) == ("Government of Armenia (2018-)", None)
    assert claims == 0  # no perpetrator claim is made up from ACLED's actor columns


def test_reimporting_the_same_file_loads_nothing_twice(db):
    truce("import", "acled", str(SAMPLE), "--db", str(db))
    before = counts(db)
    result = truce("import", "acled", str(SAMPLE), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "0 loaded, 7 skipped (already stored), 5 rejected" in result.stdout
    assert counts(db) == before


def test_file_missing_required_columns_is_refused_in_one_line_and_nothing_written(db, tmp_path):
    bad = write_csv(tmp_path / "no_coords.csv", [
        {"event_id_cnty": "AZE1", "event_date": "2020-10-17", "event_type": "Battles", "location": "Ganja"}])
    before = counts(db)
    result = truce("import", "acled", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert "missing required columns latitude, longitude" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert counts(db) == before


def test_file_that_is_not_csv_text_is_refused_and_nothing_written(db, tmp_path):
    bad = tmp_path / "picture.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    before = counts(db)
    result = truce("import", "acled", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert "cannot be read as a UTF-8 ACLED CSV file" in result.stderr
    assert counts(db) == before


def test_nonexistent_file_is_refused_with_one_line(db, tmp_path):
    result = truce("import", "acled", str(tmp_path / "nowhere.csv"), "--db", str(db))
    assert result.exit_code == 1
    assert "no such file" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert counts(db) == (0, 0, 0, 0)


def test_coordinates_out_of_range_reject_only_that_row_and_extra_columns_are_ignored(db, tmp_path):
    rows = [minimal("AZE1", "Ganja", "40.68", "46.36", my_note="kept aside"),
            minimal("AZE2", "Ganja", "40.68", "200", my_note=""),
            minimal("AZE3", "Ganja", "north", "46.36", my_note="")]
    path = write_csv(tmp_path / "coords.csv", rows)
    result = truce("import", "acled", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "1 loaded, 0 skipped (already stored), 2 rejected" in result.stdout
    assert "longitude 200.0 is outside -180..180" in result.stdout
    assert "latitude 'north' is not a number" in result.stdout
    assert counts(db)[0] == 1


def test_file_where_every_row_is_rejected_exits_non_zero(db, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [minimal("AZE1", "Ganja", "95", "46.36")])
    result = truce("import", "acled", str(path), "--db", str(db))
    assert result.exit_code == 1
    assert "0 loaded, 0 skipped (already stored), 1 rejected" in result.stdout
    assert counts(db) == (0, 0, 0, 0)  # not even a ledger entry


def test_place_resolves_only_by_exact_name_in_the_same_country(demo_db, tmp_path):
    rows = [minimal("X1", "Ganja", "40.68", "46.36", iso="31"),
            minimal("X2", "Vardenis", "40.18", "45.73", iso="51"),  # two Vardenis in Armenia
            minimal("X3", "Ganja", "40.68", "46.36", iso="51"),  # no Ganja in Armenia
            minimal("X4", "Gandzha", "40.68", "46.36", country="Azerbaijan"),  # another spelling
            minimal("X5", "Ganja", "40.68", "46.36", iso="999")]  # unknown country: kept as named
    path = write_csv(tmp_path / "places.csv", rows)
    result = truce("import", "acled", str(path), "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(str(demo_db))) as uow:
        got = {i: (uow.incidents.get(f"acled:{i}").place, uow.incidents.get(f"acled:{i}").place_name,
                   uow.incidents.get(f"acled:{i}").country) for i in ("X1", "X2", "X3", "X4", "X5")}
    assert got["X1"] == ("gn:586523", "Ganja", "AZ")
    assert got["X2"] == (None, "Vardenis", "AM")
    assert got["X3"] == (None, "Ganja", "AM")
    assert got["X4"][0] == "gn:586523"
    assert got["X5"] == (None, "Ganja", None)
