"""`truce import ucdp`: the real UCDP GED v23.1 rows (Central African Republic,
a format test) all load; GED fields map onto incidents; bad rows are reported."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_main import added_user
from truce.cli import app
from truce.settings import get_settings
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

pytestmark = pytest.mark.slow

# Real GED rows (Central African Republic), a format test; see tests/data/SOURCES.md.
GED = Path(__file__).resolve().parents[1] / "data" / "ucdp_ged_v23_1_central_african_republic.csv"
runner = CliRunner()


def truce(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "240"})


def counts(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(db) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("incidents", "reports", "casualty_figures", "ledger"))


def ged_rows(n: int) -> tuple[list[str], list[dict[str, str]]]:
    with GED.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), [row for _, row in zip(range(n), reader, strict=False)]


def write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_real_ged_file_loads_all_1848_rows(db):
    result = truce("import", "ucdp", str(GED), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "1848 loaded, 0 skipped (already stored), 0 rejected" in result.stdout
    assert counts(db)[:3] == (1848, 1848, 3 * 1848)
    again = truce("import", "ucdp", str(GED), "--db", str(db))
    assert "0 loaded, 1848 skipped" in again.stdout
    assert counts(db)[:3] == (1848, 1848, 3 * 1848)


def test_ged_row_maps_dates_precision_sides_and_deaths(db, tmp_path):
    columns, rows = ged_rows(1848)
    row = next(r for r in rows if r["id"] == "36211")  # the real file's row, alone
    result = truce("import", "ucdp", str(write(tmp_path / "36211.csv", columns, [row])), "--publish",
                   "--token", added_user("analyst1", "analyst", db), "--db", str(db))
    assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(str(db))) as uow:
        incident = uow.incidents.get("ucdp:36211")
        figures = uow.incidents.casualties(["ucdp:36211"])["ucdp:36211"]
        report = uow.reports.for_incident("ucdp:36211")[0]
    tz = get_settings().tz
    assert incident.start.astimezone(tz).date() == date(2009, 8, 7)
    assert incident.end.astimezone(tz).date() == date(2009, 9, 10)
    assert incident.time_precision.value == "year"  # date_prec 5
    assert incident.geo_precision.value == "line"  # where_prec 5
    assert (incident.event_type, incident.sub_type) == ("Battles", "Armed clash")
    assert (incident.actor1, incident.actor2) == ("Government of Uganda", "LRA")
    assert incident.country == "CF" and incident.status.value == "published"
    assert (incident.latitude, incident.longitude) == (5.399784, 26.486881)
    assert sorted((f.category.value, f.value, f.qualifier.value) for f in figures) == [
        ("civilian", 0, "exact"), ("military", 4, "exact"), ("unknown", 0, "exact")]
    assert (report.payload["low"], report.payload["best"], report.payload["high"]) == ("4", "4", "4")
    assert report.payload["source_article"].startswith("BBC Monitoring Newsfile 10/9-09")
    assert report.payload["where_prec"] == "5" and report.payload["date_prec"] == "5"


def test_one_sided_violence_is_an_attack_on_civilians_and_plain_dates_are_read(db, tmp_path):
    columns, rows = ged_rows(1)
    row = dict(rows[0], id="900001", type_of_violence="3", date_start="2020-10-17",
               date_end="2020-10-17", deaths_a="0", deaths_b="0", deaths_civilians="13",
               deaths_unknown="2", best="15", low="15", high="15")
    result = truce("import", "ucdp", str(write(tmp_path / "one.csv", columns, [row])), "--db", str(db))
    assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(str(db))) as uow:
        incident = uow.incidents.get("ucdp:900001")
        figures = uow.incidents.casualties(["ucdp:900001"])["ucdp:900001"]
    assert (incident.event_type, incident.sub_type) == ("Violence against civilians", "Attack")
    assert incident.target_type.value == "civilian"
    assert incident.start.astimezone(get_settings().tz).date() == date(2020, 10, 17)
    assert {f.category.value: f.value for f in figures} == {"civilian": 13, "military": 0, "unknown": 2}


def test_bad_ged_rows_are_reported_with_line_and_reason_and_the_rest_load(db, tmp_path):
    columns, rows = ged_rows(6)
    rows[1] = dict(rows[1], date_end="2000-01-01T00:00:00")
    rows[2] = dict(rows[2], date_prec="9")
    rows[3] = dict(rows[3], latitude="100.5")
    rows[4] = dict(rows[4], type_of_violence="4")
    result = truce("import", "ucdp", str(write(tmp_path / "bad.csv", columns, rows)), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "2 loaded, 0 skipped (already stored), 4 rejected" in result.stdout
    for reason in ("is before date_start", "UCDP date_prec must be 1 to 5, not 9",
                   "latitude 100.5 is outside -90..90", "type_of_violence '4' is not 1, 2 or 3"):
        assert reason in result.stdout, result.stdout
    for line in ("3", "4", "5", "6"):
        assert any(r.split("│")[1:2] == [f" {line:>4} "] for r in result.stdout.splitlines()), line
    assert counts(db)[0] == 2


def test_ged_file_missing_required_columns_is_refused_and_nothing_written(db, tmp_path):
    columns, rows = ged_rows(2)
    kept = [c for c in columns if c not in ("date_prec", "where_prec")]
    path = write(tmp_path / "cut.csv", kept, [{c: r[c] for c in kept} for r in rows])
    before = counts(db)
    result = truce("import", "ucdp", str(path), "--db", str(db))
    assert result.exit_code == 1
    assert "missing required columns date_prec, where_prec" in result.stderr
    assert counts(db) == before
