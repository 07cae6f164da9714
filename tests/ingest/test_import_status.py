"""Imported incidents land as drafts with grades computed here, whatever the
file claims; ``--publish`` publishes them, as the decision of the analyst
whose token it is, and the ledger says which it was and who decided.
A source URL that is not http(s) rejects its row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_main import added_user, run_main
from truce.cli import app
from truce.store.engine import make_engine
from truce.store.schema import upgrade

runner = CliRunner()


def _fresh(path: Path) -> Path:
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()
    return path


def _feature(incident_id: str, url: str = "https://wire.example/story") -> dict:
    return {"type": "Feature", "id": incident_id, "geometry": {"type": "Point", "coordinates": [46.93, 40.34]},
            "properties": {
                "id": incident_id, "title": "Shelling of Tartar", "event_type": "Explosions/Remote violence",
                "sub_type": "Shelling/artillery/missile attack", "start": "2020-10-15T06:00:00+04:00",
                "end": "2020-10-15T07:00:00+04:00", "country": "AZ",
                "status": "published", "grade": "verified", "grade_reasons": ["the file says so"],
                "grade_override": "verified", "grade_override_reason": "trust me",
                "reports": [{"id": f"{incident_id}-r", "source": "s-wire", "received": "2020-10-15T08:00:00+00:00",
                             "summary": "Shelling reported in Tartar."}],
                "sources": [{"id": "s-wire", "name": "A wire", "kind": "news", "url": url}]}}


def _write(path: Path, *features: dict) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchall()


def test_geojson_lands_as_a_draft_with_a_computed_grade(tmp_path):
    db = _fresh(tmp_path / "t.db")
    result = runner.invoke(app, ["import", "geojson", str(_write(tmp_path / "f.geojson", _feature("x-1"))),
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "0 published, 1 drafts for review" in result.output
    status, grade, override = _rows(db, "SELECT status, grade, grade_override FROM incidents")[0]
    assert (status, override) == ("draft", None)
    assert grade == "single-source"  # one news report, computed here, not the file's "verified"
    content = _rows(db, "SELECT content FROM ledger WHERE action = 'import.geojson'")[0][0]
    assert json.loads(content)["status"] == "draft"
    assert not _rows(db, "SELECT 1 FROM ledger WHERE action = 'incident.publish'")


def test_publish_flag_publishes_and_is_ledgered_under_the_analysts_name(tmp_path):
    db = _fresh(tmp_path / "t.db")
    token = added_user("analyst1", "analyst", db)
    result = runner.invoke(app, ["import", "geojson", str(_write(tmp_path / "f.geojson", _feature("x-2"))),
                                 "--publish", "--token", token, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _rows(db, "SELECT status, grade FROM incidents") == [("published", "single-source")]
    actor, content = _rows(db, "SELECT actor, content FROM ledger WHERE action = 'import.geojson'")[0]
    assert json.loads(content)["status"] == "published" and actor == "analyst1"
    assert _rows(db, "SELECT record_id, actor FROM ledger WHERE action = 'incident.publish'") == [("x-2", "analyst1")]


@pytest.mark.parametrize("fmt", ["geojson", "acled", "ucdp"])
@pytest.mark.parametrize("who", ["nobody", "wrong", "observer"])
def test_publishing_an_import_needs_an_analysts_token_and_writes_nothing_without(tmp_path, fmt, who):
    db = _fresh(tmp_path / "t.db")
    observer = added_user("observer1", "observer", db)
    before = _rows(db, "SELECT count(*) FROM ledger")
    token = {"nobody": [], "wrong": ["--token", observer[:-4] + "abcd"], "observer": ["--token", observer]}[who]
    done = run_main("import", fmt, str(_write(tmp_path / "f.geojson", _feature("x-5"))), "--publish", *token,
                    "--db", str(db), env={"TRUCE_TOKEN": None})
    assert done.returncode == 1 and "give --token (or TRUCE_TOKEN) of an analyst" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _rows(db, "SELECT count(*) FROM ledger") == before and not _rows(db, "SELECT 1 FROM incidents")


def test_a_javascript_source_url_rejects_its_row(tmp_path):
    db = _fresh(tmp_path / "t.db")
    path = _write(tmp_path / "f.geojson", _feature("x-3", url="javascript:alert(document.cookie)"),
                  _feature("x-4"))
    result = runner.invoke(app, ["import", "geojson", str(path), "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "1 loaded" in result.output and "is not an http(s) address" in result.output
    assert _rows(db, "SELECT id FROM incidents") == [("x-4",)]
    assert not [u for (u,) in _rows(db, "SELECT url FROM sources") if u and "javascript" in u]


def _with_source(incident_id: str, source: dict) -> dict:
    raw = _feature(incident_id)
    raw["properties"]["reports"][0]["source"] = source["id"]
    raw["properties"]["sources"] = [source]
    return raw


def _import(tmp_path: Path, db: Path, *features: dict):
    path = _write(tmp_path / "f.geojson", *features)
    return runner.invoke(app, ["import", "geojson", str(path), "--db", str(db)], env={"COLUMNS": "300"})


def test_a_file_source_of_kind_observer_rejects_its_feature_and_writes_nothing(tmp_path):
    db = _fresh(tmp_path / "t.db")
    result = _import(tmp_path, db, _with_source("x-obs", {"id": "s-fake-obs", "name": "Us", "kind": "observer"}))
    assert result.exit_code == 1, result.output
    assert "feature x-obs: source s-fake-obs is of the mission's own kind (observer)" in result.output
    assert not _rows(db, "SELECT 1 FROM incidents")
    assert not _rows(db, "SELECT 1 FROM sources WHERE id = 's-fake-obs'")
    assert not _rows(db, "SELECT 1 FROM reports")
    assert not _rows(db, "SELECT 1 FROM ledger")


def test_a_feature_reusing_the_mission_observers_source_is_rejected(tmp_path):
    db = _fresh(tmp_path / "t.db")
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO sources (id, name, kind) VALUES ('s-mission-observers', 'Observers', 'observer')")
    as_news = _with_source("x-m1", {"id": "s-mission-observers", "name": "Observers", "kind": "news"})
    undeclared = _feature("x-m2")
    undeclared["properties"]["reports"][0]["source"] = "s-mission-observers"
    result = _import(tmp_path, db, as_news, undeclared, _feature("x-ok"))
    assert result.exit_code == 0, result.output
    assert "feature x-m1: source s-mission-observers is of the mission's own kind" in result.output
    assert "feature x-m2: source s-mission-observers is of the mission's own kind" in result.output
    assert _rows(db, "SELECT id, grade FROM incidents") == [("x-ok", "single-source")]
    assert not _rows(db, "SELECT 1 FROM reports WHERE source_id = 's-mission-observers'")


def test_a_source_id_stored_with_another_kind_or_affiliation_is_not_merged(tmp_path):
    db = _fresh(tmp_path / "t.db")
    assert _import(tmp_path, db, _feature("x-a")).exit_code == 0
    as_party = _with_source("x-b", {"id": "s-wire", "name": "A wire", "kind": "party_statement",
                                    "affiliation": "AZ"})
    result = _import(tmp_path, db, as_party)
    assert result.exit_code == 1, result.output
    assert "feature x-b: source s-wire is already known as news (affiliation none), not party_statement" \
        in result.output
    assert _rows(db, "SELECT kind, affiliation FROM sources WHERE id = 's-wire'") == [("news", None)]
    assert _rows(db, "SELECT id FROM incidents") == [("x-a",)]
