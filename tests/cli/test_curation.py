"""An analyst merges, splits, overrides and publishes; nothing is lost."""

from __future__ import annotations

import sqlite3

from typer.testing import CliRunner

from cli_main import token_for
from truce.cli import app
from truce.store import ledger
from truce.store.engine import make_engine

runner = CliRunner()


def truce(*args: str):
    return runner.invoke(app, list(args), terminal_width=250, env={"COLUMNS": "250"})


def analyst(db) -> tuple[str, str]:
    """The --token option of the demo's analyst, who decides."""
    return ("--token", token_for("demo-analyst", db))



def reports_of(db, incident_id):
    with sqlite3.connect(db) as c:
        return {r for (r,) in c.execute(
            "SELECT report_id FROM incident_reports WHERE incident_id = ?", (incident_id,))}


def test_duplicates_proposes_the_two_stepanakert_reports_of_early_october(demo_db_path):
    result = truce("incidents", "duplicates", "--from", "2020-10-02", "--to", "2020-10-05",
                   "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    assert "inc-20201003-stepanakert-cluster" in result.output


def test_merge_keeps_every_report_and_ledgers_the_decision(demo_db):
    keep, other = "inc-20201003-stepanakert-cluster", "inc-20201004-stepanakert-strikes"
    all_reports = reports_of(demo_db, keep) | reports_of(demo_db, other)
    with sqlite3.connect(demo_db) as c:
        report_rows = c.execute("SELECT count(*) FROM reports").fetchone()[0]
    result = truce("incidents", "merge", keep, other, "--reason", "same shelling", *analyst(demo_db),
                   "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert reports_of(demo_db, keep) == all_reports
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT status FROM incidents WHERE id = ?", (other,)).fetchone()[0] == "merged"
        assert c.execute("SELECT count(*) FROM reports").fetchone()[0] == report_rows
        assert c.execute("SELECT count(*) FROM claims WHERE incident_id = ?", (other,)).fetchone()[0] == 0
        entry = c.execute("SELECT content FROM ledger WHERE action = 'incident.merge'").fetchone()[0]
    assert other in entry
    with make_engine(str(demo_db)).connect() as conn:
        assert ledger.verify(conn).ok


def test_split_moves_reports_to_a_new_draft_and_both_are_regraded(demo_db):
    incident = "inc-20201014-arm-launchers"
    reports = sorted(reports_of(demo_db, incident))
    result = truce("incidents", "split", incident, "--reports", reports[-1], "--new-id", "inc-split",
                   "--title", "Separate report", *analyst(demo_db), "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert reports_of(demo_db, "inc-split") == {reports[-1]}
    assert reports_of(demo_db, incident) == set(reports[:-1])
    with sqlite3.connect(demo_db) as c:
        status, grade = c.execute("SELECT status, grade FROM incidents WHERE id = 'inc-split'").fetchone()
    assert status == "draft" and grade is not None


def test_grade_override_needs_a_reason_and_keeps_the_computed_grade(demo_db):
    incident = "inc-20201014-arm-launchers"
    refused = truce("incidents", "grade", incident, "--override", "verified", *analyst(demo_db), "--db", str(demo_db))
    assert refused.exit_code != 0
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT grade_override FROM incidents WHERE id = ?", (incident,)).fetchone()[0] is None
    ok = truce("incidents", "grade", incident, "--override", "verified", "--reason",
               "mission crater analysis", *analyst(demo_db), "--db", str(demo_db))
    assert ok.exit_code == 0, ok.output
    with sqlite3.connect(demo_db) as c:
        grade, override, why = c.execute(
            "SELECT grade, grade_override, grade_override_reason FROM incidents WHERE id = ?",
            (incident,)).fetchone()
    assert (grade, override, why) == ("corroborated", "verified", "mission crater analysis")
    shown = truce("incidents", "show", incident, "--db", str(demo_db))
    assert "grade corroborated" in shown.output and "analyst override verified" in shown.output


def test_publish_makes_a_draft_visible_in_published_lists(demo_db):
    draft = "inc-20201004-beylagan-shelling"
    assert truce("incidents", "publish", draft, *analyst(demo_db), "--db", str(demo_db)).exit_code == 0
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT status FROM incidents WHERE id = ?", (draft,)).fetchone()[0] == "published"


def test_publishing_an_incident_evaluates_it_against_the_truce_in_force_at_once(demo_db):
    added = truce("incidents", "add", "--title", "Shelling of Tartar", "--type", "Explosions/Remote violence",
                  "--sub-type", "Shelling/artillery/missile attack", "--start", "2020-10-20T10:00:00+04:00",
                  "--place", "Tartar", "--weapon", "artillery", "--source", "s-azemod-20201014",
                  "--summary", "MoD reports shelling of Tartar", *analyst(demo_db), "--db", str(demo_db))
    assert added.exit_code == 0, added.output
    incident_id = added.output.split()[1]
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT count(*) FROM violations WHERE incident_id = ?", (incident_id,)).fetchone()[0] == 0
    assert truce("incidents", "publish", incident_id, *analyst(demo_db), "--db", str(demo_db)).exit_code == 0
    with sqlite3.connect(demo_db) as c:
        rows = c.execute("SELECT agreement_id, term FROM violations WHERE incident_id = ?", (incident_id,)).fetchall()
        sector = c.execute("SELECT sector FROM incident_geo WHERE incident_id = ?", (incident_id,)).fetchone()
    assert ("truce-2020-10-18", "no_fire") in rows
    assert sector is not None
