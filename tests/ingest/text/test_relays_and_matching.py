"""On the demo theatre, through the CLI, on SQLite and PostgreSQL: an ingested
article attributing its facts relays their origin (one AFP dispatch through
two outlets and an ingested article is one voice), and a proposal known only
to a country finds the incident inside it, which the duplicate finder pairs
across precisions when the analyst makes it a new incident anyway."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from cli_main import token_for
from truce.cli import app
from truce.service.curation import find_duplicates
from truce.service.review import list_proposals
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

pytestmark = pytest.mark.slow

runner = CliRunner()
BUKHARLI = ("An AFP correspondent reported that the small town of Bukharli in Azerbaijan was under "
            "regular bombardment on 14 October 2020.")
STRIKE = ("On 14 October 2020 the Azerbaijani Ministry of Defence said it had bombed two missile "
          "launch sites inside Armenia.")


def truce(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return re.sub(r"\s+", " ", result.output)  # the console wraps long lines


def ingest(db: str, tmp_path, name: str, text: str) -> list[tuple[str, str, dict]]:
    """Ingest through the CLI; the new pending proposals (id, kind), read through the Python API."""
    with UnitOfWork(make_engine(db)) as uow:
        before = {p.id for p in list_proposals(uow)}
    path = tmp_path / f"{name}.txt"
    path.write_text(text)
    truce("ingest", str(path), "--published", "2020-10-15", "--source", name, "--db", db)
    with UnitOfWork(make_engine(db)) as uow:
        return [(p.id, p.kind, p.payload) for p in list_proposals(uow) if p.id not in before]


def test_relays_are_one_voice_and_a_country_level_proposal_finds_its_incident(db_url, tmp_path):
    truce("init", "--db", db_url)
    truce("demo", "load", "--db", db_url)
    count = len(re.findall(r"│ inc-", truce("incidents", "list", "--db", db_url)))
    token = token_for("demo-analyst", db_url)

    for proposal, _kind, _payload in ingest(db_url, tmp_path, "Gulf News", BUKHARLI):
        truce("review", "accept", proposal, "--token", token, "--db", db_url)
    shown = truce("incidents", "show", "inc-20201014-bukharli-bombardment", "--db", db_url)
    assert "grade single-source" in shown
    assert re.search(r"2 outlets relaying AFP correspondent report from Bukharli.*: one origin", shown)
    assert "Gulf News relaying AFP" in shown

    events = [(p, payload) for p, kind, payload in ingest(db_url, tmp_path, "Wire", STRIKE)
              if kind == "event"]
    assert events[0][1]["place"]["precision"] == "country"
    assert events[0][1]["link"] == "inc-20201014-arm-launchers"
    accepted = truce("review", "accept", events[0][0], "--token", token, "--db", db_url)
    assert "inc-20201014-arm-launchers" in accepted
    assert len(re.findall(r"│ inc-", truce("incidents", "list", "--db", db_url))) == count

    again = [p for p, kind, _ in ingest(db_url, tmp_path, "Other wire", STRIKE) if kind == "event"]
    made = truce("review", "accept", again[0], "--new", "--token", token, "--db", db_url)
    new_id = re.search(r"(inc-[0-9a-f]{12})", made).group(1)
    listed = truce("incidents", "duplicates", "--from", "2020-10-13", "--to", "2020-10-15", "--db", db_url)
    assert "known only to AM" in listed
    with UnitOfWork(make_engine(db_url)) as uow:
        pairs = {(c.a, c.b) for c in find_duplicates(uow, start=date(2020, 10, 13), end=date(2020, 10, 15))}
    assert tuple(sorted((new_id, "inc-20201014-arm-launchers"))) in pairs
