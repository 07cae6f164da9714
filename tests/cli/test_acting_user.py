"""Every CLI step that records who decided takes that user from a token
(issue 11: "every recorded identity comes from the authenticated principal"):
a liaison's token, an unknown token or none is refused for the analyst's
steps with one line and nothing written; the ledger names the token's user;
a name typed on the command line is no option."""

from __future__ import annotations

import json
import sqlite3

import pytest

from cli_main import added_user, run_main, token_for


def truce(db, *args: str):
    return run_main(*args, "--db", str(db), env={"TRUCE_TIMEZONE": "Asia/Baku", "TRUCE_TOKEN": None})


def _ledger(db) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT seq, actor, action, record_id FROM ledger ORDER BY seq").fetchall()


def _first(db, *args: str) -> dict:
    done = truce(db, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[0])


@pytest.fixture
def desk(demo_db):
    """The demo store with a liaison; (db, an observer report waiting, an alert, {who: token options})."""
    liaison = added_user("la1", "liaison", demo_db, "--party", "ARM")
    report = _first(demo_db, "review", "list", "--kind", "report")["id"]
    alert = _first(demo_db, "alerts", "list", "--all")["id"]
    tokens = {"liaison": ["--token", liaison], "nobody": [], "unknown": ["--token", "truce_mallory_nonexistent"],
              "analyst": ["--token", token_for("demo-analyst", demo_db)]}
    return demo_db, report, alert, tokens


def _steps(report: str, alert: str) -> dict[str, list[str]]:
    return {
        "review accept": ["review", "accept", "prop-any"],
        "review reject": ["review", "reject", "prop-any", "--reason", "noise"],
        "review incident": ["review", "incident", report, "--type", "Explosions/Remote violence"],
        "review attach": ["review", "attach", "inc-20201014-arm-launchers", report],
        "review dismiss": ["review", "dismiss", report, "--reason", "training"],
        "alerts ack": ["alerts", "ack", alert, "--note", "seen"],
        "cases open": ["cases", "open", "--agreement", "truce-2020-10-10", "--incident",
                       "inc-20201014-bukharli-bombardment", "--summary", "Shelling"],
        "incidents publish": ["incidents", "publish", "inc-20201004-beylagan-shelling"],
        "incidents grade": ["incidents", "grade", "inc-20201015-ordubad-missile", "--override", "corroborated",
                            "--reason", "ICRC confirmed"],
    }


STEPS = list(_steps("R", "A"))


@pytest.mark.parametrize("who, message", [
    ("liaison", "la1 is liaison"),
    ("nobody", "this needs the token of"),
    ("unknown", "the token was refused"),
])
@pytest.mark.parametrize("step", STEPS)
def test_an_analysts_step_is_refused_without_an_analysts_token_and_writes_nothing(desk, step, who, message):
    db, report, alert, tokens = desk
    before = _ledger(db)
    done = truce(db, *_steps(report, alert)[step], *tokens[who])
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert "give --token (or TRUCE_TOKEN) of an" in done.stderr and "`truce users token NAME`" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _ledger(db) == before


@pytest.mark.parametrize("step, action", [("alerts ack", "alert.acknowledge"), ("review dismiss", None),
                                          ("review incident", None), ("cases open", "case.open"),
                                          ("incidents publish", "incident.publish")])
def test_the_ledger_names_the_user_whose_token_it_is(desk, step, action):
    db, report, alert, tokens = desk
    before = len(_ledger(db))
    done = truce(db, *_steps(report, alert)[step], *tokens["analyst"])
    assert done.returncode == 0, done.stderr
    written = _ledger(db)[before:]
    assert written and {actor for _seq, actor, _action, _record in written} == {"demo-analyst"}
    if action:
        assert action in {a for _seq, _actor, a, _record in written}


def test_the_token_may_come_from_truce_token(desk):
    db, _report, alert, tokens = desk
    done = run_main("alerts", "ack", alert, "--note", "seen", "--db", str(db),
                    env={"TRUCE_TOKEN": tokens["analyst"][1]})
    assert done.returncode == 0, done.stderr
    assert _ledger(db)[-1][1] == "demo-analyst"


@pytest.mark.parametrize("args", [
    ["alerts", "ack", "al-x", "--note", "x", "--by", "mallory-nonexistent"],
    ["review", "reject", "prop-x", "--by", "la1"],
    ["cases", "open", "case-0002", "--by", "la1"],
])
def test_a_name_typed_on_the_command_line_is_no_option(desk, args):
    db, *_rest, tokens = desk
    before = _ledger(db)
    done = truce(db, *args, *tokens["analyst"])
    assert done.returncode == 2 and "No such option: --by" in done.stderr, done.stderr
    assert _ledger(db) == before
