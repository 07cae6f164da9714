"""The ACLED-layout export names who acted on whom as the record says
(actor1/actor2, their types, the interaction code, civilian targeting), and
a round trip through ACLED's layout keeps them."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from truce.cli import app

runner = CliRunner()
COLUMNS = ("actor1", "inter1", "actor2", "inter2", "interaction", "civilian_targeting")


def truce(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["truce_id"].removeprefix("acled:"): r for r in csv.DictReader(handle)}


def test_export_names_perpetrator_target_and_interaction(demo_db_path, tmp_path):
    out = tmp_path / "demo.csv"
    truce("export", "csv", "--db", str(demo_db_path), "-o", str(out))
    exported = rows(out)
    strike = exported["inc-20201014-arm-launchers"]  # Azerbaijan struck launchers inside Armenia
    assert strike["actor1"] == "Military Forces of Azerbaijan" and strike["inter1"] == "1"
    assert strike["actor2"] == "Military Forces of Armenia" and strike["inter2"] == "1"
    assert strike["interaction"] == "11" and strike["civilian_targeting"] == ""
    on_civilians = [r for r in exported.values() if r["civilian_targeting"] == "Civilian targeting"]
    assert on_civilians and all(r["actor2"].startswith("Civilians (") and r["inter2"] == "7"
                                for r in on_civilians)
    assert any(r["interaction"] == "17" for r in on_civilians)
    unattributed = [r for r in exported.values() if not r["actor1"]]
    assert all(r["interaction"] == "" for r in unattributed)  # nothing said, nothing filled


def test_round_trip_through_acled_layout_keeps_actors(demo_db_path, tmp_path):
    first, second, db = tmp_path / "first.csv", tmp_path / "second.csv", tmp_path / "copy.db"
    truce("export", "csv", "--db", str(demo_db_path), "-o", str(first))
    truce("init", "--db", str(db))
    truce("import", "acled", str(first), "--db", str(db))
    truce("export", "csv", "--db", str(db), "-o", str(second))
    before, after = rows(first), rows(second)
    assert set(after) == set(before)
    named = [k for k, r in before.items() if r["actor1"]]
    assert len(named) >= 20
    for key in before:
        assert [after[key][c] for c in COLUMNS] == [before[key][c] for c in COLUMNS], key
