"""The observer-to-commission loop end to end, through public interfaces only:
the `truce` command and HTTP against a real `truce serve` on loopback, on
SQLite and PostgreSQL.

An observer submits a signed report with bearing and distance; an analyst
finds it in the queue and makes an incident of it (at the estimated target,
in a sector, verified); each party's liaison submits a statement (one
asserts, one denies); nothing unreviewed shows on any public output; the
analyst publishes one, and only that one shows, with its stance; the
incident is evaluated against the truce in force and the violation
attributed; its alert is in that day's daily report; a restriction report
shows with its place and counts as a freedom-of-movement violation by the
party that imposed it; the ledger verifies.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from demo_store import run_truce, serve_truce, truce_env
from truce.service.demo_reports import DEMO_REPORTS
from web_server import _token

pytestmark = pytest.mark.slow

TRUCE = "trilateral-2020-11-10"  # open-ended: in force now
ASSERTION = "E2E-ASSERT: the shelling came from Armenian positions east of Tartar."
DENIAL = "E2E-DENY: no Armenian unit fired on this sector today."
OBSERVER_AT = (40.3412, 46.9317)  # near Tartar, on the Azerbaijani side of the line


def _public_outputs(url: str, incident_id: str, day: str, tmp: Path, db_url: str) -> str:
    """Everything the public can read about the incident, as one text."""
    texts = []
    with httpx.Client(base_url=url, timeout=120) as public:
        for path in (f"/incidents/{incident_id}", f"/api/incidents/{incident_id}", "/api/incidents",
                     f"/reports/{day}.html", "/api/map/incidents", "/incidents"):
            response = public.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            texts.append(response.text)
        pdf = public.get(f"/reports/{day}.pdf")
        assert pdf.status_code == 200
    (tmp / "public.pdf").write_bytes(pdf.content)
    texts.append(subprocess.run(["pdftotext", str(tmp / "public.pdf"), "-"], capture_output=True,
                                text=True, check=True).stdout)
    for fmt in ("geojson", "csv"):
        texts.append(run_truce("export", fmt, "--db", db_url, url=db_url))
    return "\n".join(texts)


def _observer_report(**fields) -> dict:
    observed = (datetime.now(UTC) - timedelta(minutes=30)).isoformat(timespec="seconds")
    return {"id": str(uuid.uuid4()), "observed_at": observed,
            "position": {"latitude": OBSERVER_AT[0], "longitude": OBSERVER_AT[1], "accuracy_m": 10},
            **fields}


def _submit(tmp: Path, url: str, token: str, body: dict) -> None:
    path = tmp / f"{body['id']}.json"
    path.write_text(json.dumps(body))
    out = subprocess.run([sys.executable, "-m", "truce", "observer", "submit", str(path), "--key",
                          str(tmp / "field.key"), "--server", url, "--token", token,
                          "--outbox", str(tmp / "outbox.jsonl")],
                         capture_output=True, text=True, timeout=120, env=truce_env("sqlite://"))
    assert out.returncode == 0 and "queued" not in out.stdout, out.stdout + out.stderr


def _tally(db_url: str) -> set[tuple[str, str]]:
    out = subprocess.run([sys.executable, "-m", "truce", "violations", "--db", db_url, "-a", TRUCE,
                          "--by", "party", "--by", "term"], capture_output=True, text=True,
                         timeout=120, env={**truce_env(db_url), "COLUMNS": "200"})
    assert out.returncode == 0, out.stderr
    return {tuple(c.strip() for c in line.split("│")[1:3]) for line in out.stdout.splitlines()
            if line.count("│") >= 5}


def test_observer_report_to_published_record(db_url, tmp_path):
    run_truce("init", "--db", db_url, url=db_url)
    run_truce("demo", "load", "--db", db_url, url=db_url)
    run_truce("observer", "keygen", "--key", str(tmp_path / "field.key"), url=db_url)
    tokens = {
        "analyst": _token(run_truce("users", "add", "e2e-analyst", "--role", "analyst", "--db", db_url,
                                    url=db_url)),
        "observer": _token(run_truce("users", "add", "e2e-observer", "--role", "observer", "--public-key",
                                     str(tmp_path / "field.key.pub"), "--db", db_url, url=db_url)),
        "ARM": _token(run_truce("users", "add", "e2e-liaison-arm", "--role", "liaison", "--party", "ARM",
                                "--db", db_url, url=db_url)),
        "AZE": _token(run_truce("users", "add", "e2e-liaison-aze", "--role", "liaison", "--party", "AZE",
                                "--db", db_url, url=db_url)),
    }
    proc, url = serve_truce(db_url)
    try:
        def client(who: str) -> httpx.Client:
            return httpx.Client(base_url=url, timeout=120,
                                headers={"Authorization": f"Bearer {tokens[who]}"})

        # the observer: explosions seen 3 km to the east, signed by the field client
        sent = _observer_report(
            kind="incident", summary="Three explosions to the east; impacts seen near the road.",
            observations=[{"what": "impact", "how": "seen_and_heard", "count": 3, "bearing_deg": 90,
                           "distance_m": 3000, "weapon_class": "artillery"}])
        _submit(tmp_path, url, tokens["observer"], sent)

        # the analyst finds it in the queue, with the estimated target and its uncertainty
        with client("analyst") as analyst:
            queue = analyst.get("/api/review/reports").json()["data"]
            assert len(queue) == 1 + len(DEMO_REPORTS)  # beside the demo observer's own
            queued = next(q for q in queue if q["id"] == sent["id"])
            target = queued["estimated_target"]
            assert queued["observer_position"]["latitude"] == OBSERVER_AT[0]
            assert target["from_bearing"] and target["uncertainty_m"] > 0
            assert target["longitude"] > OBSERVER_AT[1] + 0.03  # 3 km east, not the standpoint
            made = analyst.post("/api/review/reports/incident", json={
                "report_ids": [queued["id"]], "event_type": "Explosions/Remote violence",
                "sub_type": "Shelling/artillery/missile attack"})
            assert made.status_code == 201, made.text
            incident = made.json()["incident"]
            assert (incident["latitude"], incident["longitude"]) == (target["latitude"], target["longitude"])
            assert incident["geo_precision"] == "exact"
            assert math.isclose(incident["location_uncertainty_m"], target["uncertainty_m"])
            assert made.json()["sector"], "the incident lies in no sector"
            assert incident["grade"] == "verified"
            assert analyst.get("/api/review/reports").json()["count"] == len(DEMO_REPORTS)
            published = analyst.post(f"/api/incidents/{incident['id']}/publish")
            assert published.status_code == 200, published.text
        queue_cli = run_truce("review", "list", "--kind", "report", "--db", db_url, url=db_url)
        assert f"{len(DEMO_REPORTS)} observer reports waiting" in queue_cli

        # each party's liaison: one asserts who did it, the other denies it
        statements = {}
        for party, body in (("AZE", {"actor_id": "aze-mod", "stance": "attributes",
                                     "proposition": "perpetrator", "value": "ARM", "text": ASSERTION}),
                            ("ARM", {"actor_id": "arm-mod", "stance": "denies",
                                     "proposition": "perpetrator", "value": "ARM", "text": DENIAL})):
            with client(party) as liaison:
                response = liaison.post("/api/statements", json={"incident_id": incident["id"], **body})
                assert response.status_code == 201, response.text
                statements[party] = response.json()["id"]

        day = (datetime.now(UTC) - timedelta(minutes=30)).astimezone(
            __import__("zoneinfo").ZoneInfo("Asia/Baku")).date().isoformat()
        before = _public_outputs(url, incident["id"], day, tmp_path, db_url)
        assert ASSERTION[:20] not in before and DENIAL[:20] not in before

        with client("analyst") as analyst:
            assert analyst.post(f"/api/statements/{statements['AZE']}/publish").status_code == 200
        after = _public_outputs(url, incident["id"], day, tmp_path, db_url)
        assert ASSERTION[:20] in after and DENIAL[:20] not in after
        with httpx.Client(base_url=url, timeout=60) as public:
            claims = public.get(f"/api/incidents/{incident['id']}").json()["claims"]
        shown = [c for c in claims if (c.get("text") or "").startswith("E2E")]
        assert [(c["stance"], c["value"]) for c in shown] == [("attributes", "ARM")]

        # evaluated against the truce in force, the violation attributed
        tally = _tally(db_url)
        assert ("ARM", "no_fire") in tally

        # its alert is in that day's daily report (restricted edition), by event time
        run_truce("report", "--date", day, "--edition", "restricted", "-o", str(tmp_path), "--db", db_url,
                  url=db_url)
        restricted = (tmp_path / f"{day}-restricted.html").read_text()
        alerts = restricted[restricted.index('id="alerts"'):restricted.index('id="restrictions"')]
        assert "No alert raised on this day" not in alerts
        assert "Three explosions to the east" in alerts

        # a restriction report: its place in the report, a freedom-of-movement violation by AZE
        _submit(tmp_path, url, tokens["observer"], _observer_report(
            kind="restriction", summary="Patrol turned back at the checkpoint.",
            restriction={"place_name": "E2E checkpoint at Tartar bridge", "imposed_by": "AZE",
                         "description": "Soldiers refused passage to the patrol.", "duration_min": 45}))
        with client("analyst") as analyst:
            queued = [q for q in analyst.get("/api/review/reports").json()["data"] if q["restriction"]]
            assert [q["restriction"]["place_name"] for q in queued] == ["E2E checkpoint at Tartar bridge"]
            made = analyst.post("/api/review/reports/incident", json={"report_ids": [queued[0]["id"]]})
            assert made.status_code == 201, made.text
            stopped = made.json()["incident"]
            assert "E2E checkpoint at Tartar bridge" in stopped["title"] and "AZE" in stopped["title"]
            assert analyst.post(f"/api/incidents/{stopped['id']}/publish").status_code == 200
        assert ("AZE", "observer_freedom_of_movement") in _tally(db_url)
        run_truce("report", "--date", day, "--edition", "restricted", "-o", str(tmp_path), "--db", db_url,
                  url=db_url)
        restricted = (tmp_path / f"{day}-restricted.html").read_text()
        section = restricted[restricted.index('id="restrictions"'):restricted.index('id="contested"')]
        # a place the gazetteer does not hold: the incident has no position, the staff see where the patrol stood
        assert re.search(r"E2E checkpoint at Tartar bridge \(observers stood at [0-9.]+, [0-9.]+\), imposed by AZE, "
                         r"45 min", section)
        assert "place not given" not in section
        with httpx.Client(base_url=url, timeout=120) as public:
            public_report = public.get(f"/reports/{day}.html").text
        public_section = public_report[public_report.index('id="restrictions"'):]
        assert "E2E checkpoint at Tartar bridge, imposed by AZE" in public_report, public_section[:600]

        assert "every record row matches" in run_truce("ledger", "verify", "--db", db_url, url=db_url)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
