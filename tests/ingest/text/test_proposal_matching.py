"""On the demo store, through the CLI: an extracted proposal finds the incident on
record by the duplicate finder's own rule, whatever precision its place resolves
at, so accepting it attaches its source and claim instead of a second incident."""

from __future__ import annotations

import json
import re

from cli_main import token_for
from demo_store import build_demo_store, run_truce

BUKHARLI = "inc-20201014-bukharli-bombardment"
NEAR_TARTAR = ("An AFP correspondent reported that the village of Bukharli near Tartar was under "
               "regular bombardment on 14 October 2020.")


def rows(*args: str, url: str) -> list[dict]:
    return [json.loads(line) for line in run_truce(*args, "--format", "json", url=url).splitlines()]


def test_a_proposal_resolved_to_a_settlement_attaches_to_the_incident_known_only_to_its_country(
        tmp_path):
    url = build_demo_store(tmp_path / "demo.db")
    before = len(rows("incidents", "list", url=url))
    text = tmp_path / "bukharli.txt"
    text.write_text(NEAR_TARTAR)
    run_truce("ingest", str(text), "--published", "2020-10-15", "--source", "Gulf News", url=url)
    proposals = rows("review", "list", "--kind", "proposal", url=url)
    (event,) = [p for p in proposals if p["kind"] == "event"]
    assert event["payload"]["place"]["precision"] == "settlement"  # Tartar, not Bukharli's country
    assert event["payload"]["link"] == BUKHARLI

    token = token_for("demo-analyst", url)
    assert BUKHARLI in run_truce("review", "accept", event["id"], "--token", token, url=url)
    for claim in (p for p in proposals if p["kind"] == "claim"):
        run_truce("review", "accept", claim["id"], "--token", token, url=url)

    assert len(rows("incidents", "list", url=url)) == before
    shown = " ".join(run_truce("incidents", "show", BUKHARLI, url=url).split())
    assert "Gulf News" in shown
    assert "village of Bukharli near Tartar" in shown  # the accepted claim, on the incident
    paired = run_truce("incidents", "duplicates", "--from", "2020-10-13", "--to", "2020-10-15", url=url)
    assert not re.search(r"inc-[0-9a-f]{12}\b", paired)  # no new incident left to merge


def test_an_analysts_corrected_place_is_matched_again_at_acceptance(tmp_path):
    url = build_demo_store(tmp_path / "demo.db")
    text = tmp_path / "bukharli.txt"
    text.write_text(NEAR_TARTAR.replace("Bukharli near Tartar", "Bukharli"))
    run_truce("ingest", str(text), "--published", "2020-10-15", "--source", "Gulf News", url=url)
    (event,) = [p for p in rows("review", "list", "--kind", "proposal", url=url) if p["kind"] == "event"]
    place = {"name": "Tartar", "place_id": "gn:584871", "country": "AZ", "latitude": 40.34201,
             "longitude": 46.93161, "precision": "settlement"}
    accepted = run_truce("review", "accept", event["id"], "--set", f"place={json.dumps(place)}",
                         "--set", "start=2020-10-20", "--set", "end=2020-10-20",
                         "--token", token_for("demo-analyst", url), url=url)
    assert BUKHARLI not in accepted  # a week later is another event, whatever the ingest-time link
