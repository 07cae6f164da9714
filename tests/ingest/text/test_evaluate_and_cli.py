"""The evaluation command and the review CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli_main import added_user
from truce.cli import app
from truce.ingest.text.evaluate import actor_matches, evaluate_documents, prf

from .conftest import GOLD

runner = CliRunner()


def truce(*args: str):
    return runner.invoke(app, list(args), terminal_width=250, env={"COLUMNS": "250"})


def test_prf_and_actor_matching():
    assert round(prf(8, 2, 2)["f1"], 6) == 0.8
    assert actor_matches("Shushan Stepanyan (spokeswoman for the Armenian Ministry of Defense)",
                         "Armenian Ministry of Defence")
    assert not actor_matches("Armenian army", "Azerbaijani army")


def test_evaluation_scores_a_perfect_document_as_one(fake):
    doc = {"published": "2020-10-15", "text": "Yesterday, artillery shelled Tartar, Baku said.",
           "events": [{"type": "Explosions/Remote violence", "date": "2020-10-14",
                       "place": "gn:584871"}],
           "claims": [{"actor": "Baku", "stance": "asserts"}],
           "places": [{"name": "Tartar", "key": "gn:584871"}], "numbers": []}
    scores = evaluate_documents([doc], fake)
    assert scores["events"]["f1"] == scores["claims"]["f1"] == scores["places"]["f1"] == 1.0
    assert scores["stance_accuracy"] == scores["place_resolution_accuracy"] == 1.0


def test_the_gold_set_has_at_least_15_sourced_dated_documents():
    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(docs) >= 15
    assert all(d["source"] and d["url"] and d["published"] and d["text"] for d in docs)


def test_truce_ingest_evaluate_prints_precision_recall_f1():
    result = truce("ingest", "evaluate", str(GOLD))
    assert result.exit_code == 0, result.output
    for word in ("events", "claims", "places", "numbers", "precision", "recall", "F1",
                 "stance accuracy", "place resolution accuracy"):
        assert word in result.output


def test_ingest_help_shows_both_forms_and_bad_input_fails_in_one_line(tmp_path: Path):
    assert "evaluate" in truce("ingest", "--help").output
    assert "Example:" in truce("ingest", "text", "--help").output
    db = str(tmp_path / "t.db")
    truce("init", "--db", db)
    result = truce("ingest", str(tmp_path / "missing.txt"), "--published", "2020-10-15", "--db", db)
    assert result.exit_code == 1 and "no such file" in result.output
    article = tmp_path / "a.txt"
    article.write_text("Artillery shelled Tartar yesterday.", encoding="utf-8")
    result = truce("ingest", str(article), "--published", "15/10/2020", "--db", db)
    assert result.exit_code != 0


def test_review_list_accept_reject_through_the_cli(tmp_path: Path):
    db = str(tmp_path / "t.db")
    truce("init", "--db", db)
    article = tmp_path / "a.txt"
    article.write_text("Yesterday, the Defense Ministry said artillery shelled Tartar.\n\n"
                       "More than 600 people have died since the start.", encoding="utf-8")
    assert truce("ingest", str(article), "--published", "2020-10-15", "--db", db).exit_code == 0
    listed = truce("review", "list", "--db", db)
    assert listed.exit_code == 0 and "shelled Tartar" in listed.output
    ids = [w for w in listed.output.split() if w.startswith("prop-")]
    token = added_user("analyst1", "analyst", db)
    accepted = truce("review", "accept", ids[0], "--set", "start=2020-10-13", "--token", token, "--db", db)
    assert accepted.exit_code == 0 and "Accepted" in accepted.output
    assert truce("review", "reject", ids[-1], "--reason", "toll", "--token", token, "--db", db).exit_code == 0
    assert truce("review", "reject", ids[-1], "--token", token, "--db", db).exit_code == 1
    done = truce("review", "list", "--status", "all", "--db", db).output
    assert ids[0] in done and ids[0] not in truce("review", "list", "--db", db).output
