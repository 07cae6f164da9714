"""Bad input: a one-line error naming the problem and the remedy, a non-zero
exit, and nothing written. Run through the real `truce` command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from cli_main import token_for

BASE = ["--title", "Shelling", "--type", "Explosions/Remote violence", "--source", "s-azemod-20201014",
        "--summary", "MoD reports shelling"]


def truce(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True,
                          timeout=300, env=_env())


def analyst(db) -> tuple[str, str]:
    """The --token option of the demo's analyst, who decides."""
    return ("--token", token_for("demo-analyst", db))



def _env() -> dict[str, str]:
    """A bare environment (no TRUCE_* settings), keeping the interpreter's import path."""
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def counts(db) -> tuple[int, int, int]:
    with sqlite3.connect(db) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("incidents", "reports", "ledger"))


@pytest.mark.parametrize("args, message", [
    (["--start", "2020-10-20", "--place", "Atlantis"], "unknown place 'Atlantis'"),
    (["--start", "2020-10-20", "--lat", "95", "--lon", "46"], "latitude 95.0 is outside -90..90"),
    (["--start", "2020-10-20", "--end", "2020-10-19", "--place", "Tartar"], "is before start"),
    (["--start", "2020-10-20", "--place", "Martuni"], "names 3 places"),
    (["--start", "20/10/2020", "--place", "Tartar"], "is not an ISO 8601 time"),
    (["--start", "0001-01-01T00:00:00+04:00", "--place", "Tartar"], "outside the dates records can have"),
    (["--start", "2020-10-20", "--lat", "nan", "--lon", "46"], "lat: nan is not a finite number"),
    (["--start", "2020-10-20", "--place", "Tartar", "--source", "nobody"], "unknown source"),
    (["--start", "2020-10-15T06:00", "--place", "Tartar"], "start: '2020-10-15T06:00' has no UTC offset"),
    (["--start", "2020-10-20", "--end", "2020-10-20T18:00", "--place", "Tartar"], "end: '2020-10-20T18:00' has no"),
    (["--start", "2020-10-20", "--lat", "-1", "--lon", "46.9"], "-1.00000, 46.90000 is outside the theatre"),
    (["--start", "2020-10-20", "--lat", "0", "--lon", "0"], "0.00000, 0.00000 is outside the theatre"),
])
def test_bad_incident_is_refused_with_one_line_and_nothing_written(demo_db, args, message):
    token = analyst(demo_db)  # issuing it is ledgered: before the count
    before = counts(demo_db)
    result = truce("incidents", "add", *BASE, *args, *token, "--db", str(demo_db))
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert counts(demo_db) == before


def test_good_incident_is_recorded_graded_and_ledgered(demo_db):
    before = counts(demo_db)
    result = truce("incidents", "add", *BASE, "--start", "2020-10-20T10:00:00+04:00",
                   "--place", "Terter", *analyst(demo_db), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert "grade single-source" in result.stdout
    after = counts(demo_db)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1 and after[2] > before[2]


def test_unknown_place_with_a_country_is_kept_unresolved(demo_db):
    result = truce("incidents", "add", *BASE, "--start", "2020-10-20", "--place", "Bukharli",
                   "--country", "AZ", *analyst(demo_db), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(demo_db) as c:
        rows = c.execute("SELECT latitude, geo_precision FROM incidents WHERE place_name = 'Bukharli'").fetchall()
    assert (None, "country") in rows and len(rows) == 2


@pytest.mark.parametrize("args, message", [
    (["incidents", "list", "--from", "0001-01-01"], "from: 0001-01-01 is outside the dates"),
    (["incidents", "list", "--to", "9999-12-31"], "to: 9999-12-31 is outside the dates"),
    (["control", "on", "9999-12-31"], "9999-12-31 is outside the dates"),
    (["casualties", "--from", "0001-01-01"], "0001-01-01 is outside the dates"),
    (["report", "--date", "0001-01-01"], "0001-01-01 is outside the dates"),
    *[([*command, "--from", "2020-10-20", "--to", "2020-10-01"],
       "error: the period ends before it starts (--to 2020-10-01 is before --from 2020-10-20)")
      for command in (["casualties"], ["incidents", "list"], ["incidents", "duplicates"], ["export", "csv"])],
])
def test_dates_out_of_the_calendar_or_a_period_ending_before_it_starts_are_one_line_errors(demo_db, tmp_path, args,
                                                                                        message):
    extra = ["-o", str(tmp_path / "out")] if args[0] == "report" else []
    result = truce(*args, *extra, "--db", str(demo_db))
    assert result.returncode == 1, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_limit_beyond_its_range_is_refused(demo_db):
    result = truce("places", "search", "Tartar", "--limit", "100000000000000000000", "--db", str(demo_db))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--limit" in result.stderr


def test_place_search_skips_a_spelling_whose_place_does_not_exist(demo_db):
    """A place_names row written with SQL for no place (foreign keys are not
    enforced by a SQLite console): search answers as if it were not there."""
    with sqlite3.connect(demo_db) as c:
        c.execute("INSERT INTO place_names (place_id, key, name) VALUES ('plc-none', 'tartarr', 'Tartarr')")
    for spelling in ("Tartarr", "Tartar"):
        result = truce("places", "search", spelling, "--format", "json", "--db", str(demo_db))
        assert "Traceback" not in result.stderr and "KeyError" not in result.stderr, result.stderr
        assert result.returncode == 0 and "plc-none" not in result.stdout, result.stdout


def test_a_refusal_is_one_line_without_a_field_name_before_it(tmp_path):
    db = str(tmp_path / "t.db")
    assert truce("init", "--db", db).returncode == 0
    added = truce("users", "add", "a1", "--role", "admin", "--db", db)
    assert added.returncode == 0, added.stderr
    token = next(w for w in added.stdout.split() if w.startswith("truce_"))
    result = truce("users", "deactivate", "a1", "--token", token, "--db", db)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: deactivating a1 would leave no admin active"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
