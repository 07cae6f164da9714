"""`truce review accept P --set KEY=VALUE` with a bad value (issue 11): one line
naming the field, exit 1, and nothing written (the proposal stays pending, the
ledger unchanged). Run through the real `truce` command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cli_main import token_for
from truce.domain.actors import Party
from truce.service.records import add_party_actor_source
from truce.service.users import add_user
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

NOW = datetime(2020, 10, 15, 12, tzinfo=UTC)
PAYLOAD = {  # as the text pipeline proposes "On October 14, artillery shelled Tartar, killing 3 civilians."
    "kind": "incident", "title": "Shelling/artillery/missile attack — Tartar, 2020-10-14",
    "event_type": "Explosions/Remote violence", "sub_type": "Shelling/artillery/missile attack",
    "weapon_class": "artillery", "target_type": "civilian", "start": "2020-10-14", "end": "2020-10-14",
    "time_precision": "day",
    "place": {"text": "Tartar", "name": "Tartar", "place_id": None, "country": "AZ", "latitude": 40.34201,
              "longitude": 46.93161, "precision": "settlement", "resolved": True},
    "numbers": [{"text": "3", "value": 3, "meaning": "count", "unit": "civilians", "whole": None}],
    "harm": [], "trigger": "shelled", "perpetrator": None, "why": [{"role": "trigger", "text": "shelled"}],
    "sentences": ["On October 14, artillery shelled Tartar, killing 3 civilians."], "relays": [], "link": None}

BAD_SETS = [
    ("start=0001-01-01", "start"),
    ("start=abc", "start"),
    ("start=123", "start"),
    ("start=2020-10-14T99:00", "start"),
    ("place=x", "place"),
    ('numbers=[{"value": 1e400}]', "numbers.0.value"),
    ("relays=x", "relays"),
    ("link=inc-nope", "link"),
    ("kind=bogus", "kind"),
    ("perpetrator=XYZ", "perpetrator"),
    ("harm=x", "harm"),
    ("numbers=x", "numbers"),
    ("title=" + "x" * 20_000, "title"),
    ("title=123", "title"),
]


def truce(*args: str) -> subprocess.CompletedProcess:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True,
                          timeout=300, env=env)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with two parties and one pending event proposal, "prop-edit"."""
    path = tmp_path_factory.mktemp("review") / "truce.db"
    engine = make_engine(str(path))
    upgrade(engine)
    with UnitOfWork(engine, actor="seed") as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan")):
            add_party_actor_source(uow, party)
        uow.proposals.add("prop-edit", kind="event", payload=PAYLOAD, sentence=PAYLOAD["sentences"][0],
                          confidence=0.9, source_id=None, created_at=NOW)
        add_user(uow, "analyst1", "analyst", NOW, token_key=b"k" * 32)
        uow.commit()
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def analyst_token(database: Path) -> str:
    return token_for("analyst1", database)


def state(path: Path) -> tuple:
    with sqlite3.connect(path) as c:
        return (c.execute("SELECT status FROM proposals WHERE id = 'prop-edit'").fetchone(),
                *(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("incidents", "reports", "sources", "actors", "ledger")))


@pytest.mark.parametrize("pair, field", BAD_SETS, ids=[p[:30] for p, _f in BAD_SETS])
def test_a_bad_set_is_one_line_naming_the_field_and_changes_nothing(database, analyst_token, pair, field) -> None:
    before = state(database)
    result = truce("review", "accept", "prop-edit", "--set", pair, "--token", analyst_token,
                   "--db", f"sqlite:///{database}")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}: "), result.stderr
    assert state(database) == before and before[0] == ("pending",)
