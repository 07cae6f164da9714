"""Scripting output: every list and show command prints a table, JSON (Lines
for lists) or CSV; tables are never squeezed when piped; unknown names are
errors naming them; a failed command leaves no database file behind."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli_main import token_for
from truce.cli import app

runner = CliRunner()


def truce(*args: str, width: int | None = None):
    """In-process, with the terminal width given explicitly (None: as if piped)."""
    env = {"COLUMNS": str(width) if width else ""}
    return runner.invoke(app, list(args), env=env)


def piped(*args: str) -> subprocess.CompletedProcess:
    """The real command with its output going to a pipe, and no COLUMNS."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_piped_incident_list_keeps_every_title_on_one_line(demo_db_path):
    result = piped("incidents", "list", "--db", str(demo_db_path))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "missile launch" in line]
    assert len(lines) == 1 and "inc-20201014-arm-launchers" in lines[0]
    assert "Strike on missile launch sites inside Armenia" in lines[0]


def test_table_fits_the_terminal_width_without_breaking_ids(demo_db_path):
    result = truce("incidents", "list", "--db", str(demo_db_path), width=120)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 120
    assert "inc-20201014-arm-launchers" in result.output


def test_incident_list_as_json_lines_and_csv_agree(demo_db_path):
    as_json = truce("incidents", "list", "--from", "2020-10-14", "--to", "2020-10-15",
                    "--format", "json", "--db", str(demo_db_path))
    rows = [json.loads(line) for line in as_json.output.splitlines()]
    as_csv = truce("incidents", "list", "--from", "2020-10-14", "--to", "2020-10-15",
                   "--format", "csv", "--db", str(demo_db_path))
    table = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [r["id"] for r in rows] == [r["id"] for r in table]
    launchers = next(r for r in rows if r["id"] == "inc-20201014-arm-launchers")
    assert launchers["place"] == "Vardenis" and launchers["date"] == "2020-10-14"
    assert launchers["grade"] in ("corroborated", "verified", "single-source", "contested")


def test_incident_show_as_json_carries_claims_and_reports(demo_db_path):
    result = truce("incidents", "show", "inc-20201014-arm-launchers", "--format", "json",
                   "--db", str(demo_db_path))
    record = json.loads(result.output)
    assert record["id"] == "inc-20201014-arm-launchers"
    stances = {(c["actor_party"], c["stance"]) for c in record["claims"]}
    assert ("ARM", "confirms") in stances or ("ARM", "denies") in stances
    assert record["reports"] and all(r["source_name"] for r in record["reports"])


@pytest.mark.parametrize("command", [
    ["agreements", "list"], ["sources", "list"], ["actors", "list"], ["places", "search", "Tartar"],
    ["places", "unresolved"], ["control", "on", "2020-10-20"], ["control", "history", "Hadrut"],
    ["casualties"], ["violations", "--agreement", "truce-2020-10-10"], ["alerts", "list", "--all"],
    ["review", "list", "--status", "all"], ["users", "list"], ["incidents", "duplicates"],
    ["incidents", "list"], ["incidents", "show", "inc-20201014-arm-launchers"], ["tasks", "list"],
])
def test_every_list_and_show_command_speaks_json_and_csv(demo_db_path, command):
    as_json = truce(*command, "--format", "json", "--db", str(demo_db_path))
    assert as_json.exit_code == 0, as_json.output
    text = as_json.output.strip()
    records = [json.loads(text)] if text.startswith("{\n") else [json.loads(x) for x in text.splitlines()]
    as_csv = truce(*command, "--format", "csv", "--db", str(demo_db_path))
    assert as_csv.exit_code == 0, as_csv.output
    header = next(csv.reader(io.StringIO(as_csv.output)))
    assert header and all(set(header) <= set(r) for r in records[:1])


def test_sources_and_actors_are_listed_for_the_ids_commands_take(demo_db_path):
    actors = truce("actors", "list", "--party", "ARM", "--format", "json", "--db", str(demo_db_path))
    ids = {json.loads(line)["id"] for line in actors.output.splitlines()}
    assert "arm-mod" in ids and "aze-mod" not in ids
    sources = truce("sources", "list", "--format", "csv", "--db", str(demo_db_path))
    assert "s-azemod-20201014" in {r["id"] for r in csv.DictReader(io.StringIO(sources.output))}


def test_unknown_source_error_names_the_closest_valid_ids(demo_db):
    result = piped("incidents", "add", "--title", "Shelling", "--type", "Battles", "--start",
                   "2020-10-20", "--place", "Tartar", "--source", "s-aze-mod", "--summary", "x",
                   "--token", token_for("demo-analyst", demo_db), "--db", str(demo_db))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "unknown source 's-aze-mod'" in result.stderr and "s-azemod-" in result.stderr
    assert "truce sources list" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--place", "Atlantis"], "unknown place 'Atlantis'"),
    (["--party", "XYZ"], "unknown party 'XYZ'; valid ids: ARM, AZE"),
])
def test_a_filter_naming_something_unknown_is_an_error(demo_db_path, args, message):
    result = piped("incidents", "list", *args, "--db", str(demo_db_path))
    assert result.returncode == 1 and result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize("command, message", [
    (["incidents", "list", "--type", "Nonsense"], "unknown event type 'Nonsense'"),
    (["incidents", "list", "--grade", "sure"], "unknown grade 'sure'"),
    (["export", "csv", "--place", "Atlantis"], "unknown place 'Atlantis'"),
    (["export", "geojson", "--party", "XYZ"], "unknown party 'XYZ'"),
    (["export", "geojson", "--type", "Nonsense"], "unknown event type 'Nonsense'"),
    (["actors", "list", "--party", "XYZ"], "unknown party 'XYZ'"),
    (["alerts", "list", "--kind", "earthquake"], "unknown alert kind 'earthquake'"),
    (["alerts", "list", "--all", "--kind", "earthquake"], "unknown alert kind 'earthquake'"),
    (["review", "list", "--kind", "rumour"], "unknown kind 'rumour'"),
    (["tasks", "list", "--status", "lost"], "one of open, closed"),
    (["users", "changes", "--status", "lost"], "unknown status 'lost'"),
    (["casualties", "--kind", "missing"], "'missing'"),
    (["violations", "--agreement", "Atlantis accord"], "'Atlantis accord'"),
    (["control", "history", "Atlantis"], "'Atlantis'"),
])
def test_every_list_filter_naming_something_unknown_is_an_error_naming_it(demo_db_path, command, message):
    result = truce(*command, "--db", str(demo_db_path))
    said = result.output + (str(result.exception) if result.exception else "")
    assert result.exit_code != 0, f"truce {' '.join(command)} exited 0: {result.output[:300]}"
    assert message in said, said


def test_an_unresolved_place_name_is_a_known_filter(demo_db_path):
    result = truce("incidents", "list", "--place", "Bukharli", "--format", "json", "--db", str(demo_db_path))
    assert result.exit_code == 0 and result.output.strip()


@pytest.mark.parametrize("command", [
    ["incidents", "list"], ["demo", "load"], ["db", "upgrade"], ["ledger", "verify"], ["serve"],
    ["sources", "list"],
])
def test_a_failed_command_leaves_no_database_file(tmp_path, command):
    path = tmp_path / "never.db"
    result = piped(*command, "--db", str(path))
    assert result.returncode == 1 and "truce init" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_init_removes_the_file_it_created(tmp_path):
    blocker = tmp_path / "dir-not-file"
    blocker.mkdir()
    result = piped("init", "--db", str(blocker / "sub" / "x.db"))
    assert result.returncode == 1
    assert list(blocker.iterdir()) == []


def test_demo_load_summary_is_whole_sentences_and_prints_demo_credentials(tmp_path):
    db = tmp_path / "demo.db"
    assert truce("init", "--db", str(db)).exit_code == 0
    assert truce("users", "list", "--format", "json", "--db", str(db)).output == ""  # not before the demo
    result = truce("demo", "load", "--db", str(db), width=80)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    summary = [line for line in lines if line.startswith(("Loaded", "Graded", "Filed"))]
    assert len(summary) == 4 and all(len(line) <= 80 and line.endswith(".") for line in summary)
    assert any(line.startswith("DEMO CREDENTIALS") for line in lines)
    assert "/signin" in result.output and "Authorization: Bearer" in result.output
    tokens = {line.split()[1]: line.split()[2] for line in lines if line.startswith("  ") and "truce_" in line}
    assert set(tokens) == {"demo-analyst", "demo-observer"}
    users = [json.loads(x) for x in truce("users", "list", "--format", "json", "--db", str(db)).output.splitlines()]
    assert {(u["name"], u["role"]) for u in users} == {("demo-analyst", "analyst"), ("demo-observer", "observer"),
                                                       ("demo-field-observer", "observer")}  # the queue's reports


def test_a_narrow_terminal_never_cuts_a_date_and_wraps_the_long_text_instead(demo_db_path):
    result = truce("incidents", "list", "--from", "2020-10-14", "--to", "2020-10-15", "--db", str(demo_db_path),
                   width=100)
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 100 for line in result.output.splitlines())
    # a table row, or (too wide for a table that narrow) a record's line, holds the whole date
    dates = re.findall(r"^│ inc-2020\S* +│ (\S+) +│", result.output, re.M) or re.findall(
        r"^  date +(\S+)$", result.output, re.M)
    assert len(dates) >= 4 and all(re.fullmatch(r"2020-10-1[45]", d) for d in dates), dates
    listed = truce("sources", "list", "--db", str(demo_db_path), width=100)
    assert listed.exit_code == 0, listed.output
    assert re.search(r"published \([A-Za-z_/]+\)", listed.output)
    assert re.search(r"(│ |  )15 Jan 2021 \d\d:\d\d( +│|$)", listed.output, re.M)  # as people read it, whole
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", listed.output)


def test_incident_show_gives_times_in_the_theatre_zone_as_people_read_them(demo_db_path):
    result = truce("incidents", "show", "inc-20201014-arm-launchers", "--db", str(demo_db_path), width=120)
    assert result.exit_code == 0, result.output
    assert re.search(r"when  14 Oct 2020 01:00 – 14 Oct 2020 23:59 \([A-Za-z_/]+\)", result.output)
    assert re.search(r"received \([A-Za-z_/]+\)", result.output)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", result.output)


def test_casualties_as_json_are_numbers_with_a_flag_for_an_open_ended_range(demo_db_path):
    result = truce("casualties", "--format", "json", "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert all(isinstance(r[k], int) for r in rows for k in ("low", "best", "high"))
    assert any(r["open_ended"] is True for r in rows) and all(isinstance(r["open_ended"], bool) for r in rows)
    table = truce("casualties", "--db", str(demo_db_path), width=200)
    assert re.search(r"│ \d+\+ +│", table.output)  # a person still reads "79+"


def test_incident_show_names_the_actors_the_acled_export_names(demo_db_path, tmp_path):
    shown = json.loads(truce("incidents", "show", "inc-20201014-arm-launchers", "--format", "json",
                             "--db", str(demo_db_path)).output)
    out = tmp_path / "x.csv"
    done = truce("export", "csv", "--from", "2020-10-14", "--to", "2020-10-14", "-o", str(out),
                 "--db", str(demo_db_path))
    assert done.exit_code == 0, done.output
    row = next(r for r in csv.DictReader(out.open()) if r["event_id_cnty"] == "inc-20201014-arm-launchers")
    assert shown["actor1"] == row["actor1"] == "Military Forces of Azerbaijan"
    assert shown["actor2"] == row["actor2"] and shown["interaction"] == row["interaction"]


def test_init_with_a_sqlite_path_in_a_missing_folder_says_so_not_a_server(tmp_path):
    result = piped("init", "--db", str(tmp_path / "no-such-folder" / "x.db"))
    assert result.returncode == 1
    assert "server" not in result.stderr
    assert "no-such-folder does not exist" in result.stderr and "existing folder" in result.stderr
