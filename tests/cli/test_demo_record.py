"""The demo's record holds both sides to one standard: a party's claim is shown
false (status 'discounted') exactly when an investigator independent of every
party takes the opposite position on the same incident (the rule of
truce.domain.shown_false, restated here from SOURCES.md so the test does not
merely re-run the loader's code)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.data import DATA_DIR
from truce.domain.exceptions import ValidationError
from truce.service.theatre import load_theatre
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

SUPPORTS = {"asserts", "confirms", "attributes"}
INVESTIGATORS = {"ngo", "observer", "camera"}
RULED = {"happened", "perpetrator", "target_type", "control"}


def _claims(db: Path) -> list[dict]:
    with sqlite3.connect(db) as c:
        c.row_factory = sqlite3.Row
        return [dict(r) for r in c.execute(
            "SELECT cl.id, cl.incident_id, cl.stance, cl.proposition, cl.value, cl.status, "
            "cl.source_id, coalesce(a.party_id, s.affiliation) AS side, a.party_id AS actor_party, "
            "s.kind AS source_kind, s.affiliation FROM claims cl JOIN actors a ON a.id = cl.actor_id "
            "LEFT JOIN sources s ON s.id = cl.source_id WHERE cl.incident_id IS NOT NULL")]


def _opposes(investigator: dict, claim: dict) -> bool:
    if (investigator["incident_id"], investigator["proposition"]) != (claim["incident_id"], claim["proposition"]):
        return False
    happened = claim["proposition"] == "happened"
    a = None if happened or claim["value"] is None else claim["value"].casefold()
    b = None if happened or investigator["value"] is None else investigator["value"].casefold()
    if (claim["stance"] in SUPPORTS) != (investigator["stance"] in SUPPORTS):
        return a is None or b is None or a == b
    return claim["stance"] in SUPPORTS and a is not None and b is not None and a != b


def test_every_party_claim_is_shown_false_iff_an_independent_investigator_opposes_it(demo_db_path):
    claims = _claims(demo_db_path)
    investigators = [c for c in claims if c["source_kind"] in INVESTIGATORS
                     and c["affiliation"] is None and c["actor_party"] is None]
    party_claims = [c for c in claims if c["side"] is not None and c["proposition"] in RULED]
    wrong = [(c["id"], c["status"]) for c in party_claims
             if (c["status"] == "discounted") != any(_opposes(i, c) for i in investigators)]
    assert not wrong, f"claims whose 'shown false' mark breaks the one rule: {wrong}"
    # nothing but a party claim is ever marked shown false
    assert all(c["side"] is not None for c in claims if c["status"] == "discounted")


def test_the_rule_is_applied_to_denials_of_each_side(demo_db_path):
    claims = _claims(demo_db_path)
    denials = [c for c in claims if c["side"] and c["stance"] in ("denies", "disputes")
               and c["proposition"] in RULED]
    armenian_side = {"ARM", "NKR"}  # one side (TRUCE_PARTY_SIDES default)
    for side in (armenian_side, {"AZE"}):
        mine = [c for c in denials if c["side"] in side]
        shown_false = [c for c in mine if c["status"] == "discounted"]
        standing = [c for c in mine if c["status"] != "discounted"]
        assert shown_false and standing, (side, [c["id"] for c in mine])


def test_each_shown_false_mark_is_ledgered_with_its_investigator(demo_db_path):
    claims = {c["id"]: c for c in _claims(demo_db_path)}
    with sqlite3.connect(demo_db_path) as c:
        entries = c.execute("SELECT record_id, content FROM ledger WHERE action = 'claim.discount'").fetchall()
    assert {record for record, _ in entries} == {i for i, c in claims.items() if c["status"] == "discounted"}
    for record, content in entries:
        source = json.loads(content)["refuted_by"]
        investigator = [c for c in claims.values() if c["source_id"] == source
                        and c["incident_id"] == claims[record]["incident_id"]]
        assert investigator and all(c["source_kind"] in INVESTIGATORS for c in investigator), record


def test_a_mark_the_rule_does_not_support_is_refused_at_load(tmp_path, sqlite_url):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    scenario = json.loads((data / "scenario.json").read_text())
    mingachevir = next(i for i in scenario["incidents"] if i["id"] == "inc-20201017-mingachevir-missiles")
    denial = next(c for c in mingachevir["claims"] if c["stance"] == "denies")
    denial["discounted_by"] = "s-hrw-20201211-arm"  # HRW says nothing of this strike in the record
    (data / "scenario.json").write_text(json.dumps(scenario))

    assert CliRunner().invoke(app, ["init", "--db", sqlite_url]).exit_code == 0
    with UnitOfWork(make_engine(sqlite_url), actor="test") as uow, pytest.raises(ValidationError) as caught:
        load_theatre(uow, data_dir=data)
    assert denial["id"] in str(caught.value) and "shown_false" in str(caught.value)
