"""One record, one truth: an incident made from observer reports reads the
same in every output (API, public page, daily report, GeoJSON and CSV
exports, CLI), through HTTP against `truce serve` on loopback and the CLI in
process, on the demo theatre."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import httpx
import pytest

from demo_store import build_demo_store, file_observer_report, run_truce, serve_truce
from web_server import demo_credentials

AT = datetime(2020, 10, 16, 9, 0, tzinfo=UTC)  # received; observed ten minutes earlier
DAY = "2020-10-16"
TARTAR = (40.34201, 46.93161)  # the gazetteer's Tartar (gn:584871)
RESTRICTION = {"place_name": "Tartar", "imposed_by": "AZE", "description": "Soldiers refused passage.",
               "duration_min": 45}


@pytest.fixture(scope="module")
def theatre(tmp_path_factory):
    path = tmp_path_factory.mktemp("one-record") / "demo.db"
    url = build_demo_store(path)
    proc, base = serve_truce(url)
    tokens = demo_credentials(str(path))
    try:
        yield url, base, {"Authorization": f"Bearer {tokens['demo-analyst']}"}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _make_incident(base: str, analyst: dict, report_id: str, **fields) -> dict:
    with httpx.Client(base_url=base, headers=analyst, timeout=60) as c:
        made = c.post("/api/review/reports/incident", json={"report_ids": [report_id], **fields})
        assert made.status_code == 201, made.text
        incident = made.json()["incident"]
        assert c.post(f"/api/incidents/{incident['id']}/publish").status_code == 200
    return incident


def _public(base: str, path: str) -> httpx.Response:
    response = httpx.get(base + path, timeout=120)
    assert response.status_code == 200, (path, response.text[:300])
    return response


def _exported(url: str, incident_id: str) -> tuple[dict, dict]:
    geojson = json.loads(run_truce("export", "geojson", "--public", url=url))
    [feature] = [f for f in geojson["features"] if f["id"] == incident_id]
    rows = list(csv.DictReader(io.StringIO(run_truce("export", "csv", "--public", url=url))))
    [row] = [r for r in rows if r["truce_id"] == incident_id]
    return feature, row


def test_a_restriction_incident_stands_at_its_named_place_with_its_imposer_in_every_output(theatre, tmp_path):
    url, base, analyst = theatre
    report_id = file_observer_report(url, AT, kind="restriction", observations=[],
                                     summary="Patrol turned back at the Tartar checkpoint.",
                                     restriction=RESTRICTION)
    made = _make_incident(base, analyst, report_id)
    api = _public(base, f"/api/incidents/{made['id']}").json()["incident"]
    assert (api["latitude"], api["longitude"]) == TARTAR
    assert (api["place_id"], api["geo_precision"], api["location_uncertainty_m"]) == ("gn:584871", "settlement", 2000)

    page = " ".join(_public(base, f"/incidents/{made['id']}").text.split())
    assert "(40.342, 46.932): the named town or village, uncertain by ±2.0 km." in page

    run_truce("report", "--date", DAY, "--edition", "restricted", "-o", str(tmp_path), url=url)
    restricted = " ".join((tmp_path / f"{DAY}-restricted.html").read_text().split())
    section = restricted[restricted.index('id="restrictions"'):restricted.index('id="contested"')]
    assert "Tartar (40.342, 46.932 ±2.0 km; observers stood at 40.341, 46.932), imposed by AZE, 45 min" in section

    shown = json.loads(run_truce("incidents", "show", made["id"], "--format", "json", url=url))
    assert (shown["latitude"], shown["longitude"], shown["location_uncertainty_m"]) == (*TARTAR, 2000)
    assert (shown["actor1"], shown["inter1"]) == ("Military Forces of Azerbaijan", "1")
    assert [r["incident"] for r in shown["reports"]] == [made["id"]]  # a report names its incident
    feature, row = _exported(url, made["id"])
    assert (row["actor1"], row["latitude"], row["longitude"]) == ("Military Forces of Azerbaijan",
                                                                  "40.34201", "46.93161")
    # one rule names the actors in the API, the GeoJSON and CSV exports and the CLI
    assert api["actor1"] == feature["properties"]["actor1"] == row["actor1"] == shown["actor1"]
    assert api["actor2"] == feature["properties"]["actor2"] == (row["actor2"] or None) == shown["actor2"]
    private = json.loads(run_truce("export", "geojson", url=url))
    assert [f["properties"]["actor1"] for f in private["features"] if f["id"] == made["id"]] == [api["actor1"]]

    # the restriction lasted its 45 minutes, and the CLI shows where and by whom
    assert (api["start"], api["end"]) == ("2020-10-16T08:50:00Z", "2020-10-16T09:35:00Z")
    assert (shown["start"], shown["end"]) == (api["start"], api["end"])
    table = " ".join(run_truce("incidents", "show", made["id"], url=url).split())
    assert "restriction at Tartar, imposed by AZE, 45 min" in table


def test_an_estimated_target_reads_alike_in_the_api_the_exports_and_the_cli(theatre):
    url, base, analyst = theatre
    report_id = file_observer_report(url, AT)  # bearing 45°, 3 km: the target ±565 m
    made = _make_incident(base, analyst, report_id, event_type="Explosions/Remote violence")
    api = _public(base, f"/api/incidents/{made['id']}").json()["incident"]
    assert api["geo_precision"] == "exact" and round(api["location_uncertainty_m"]) == 565
    feature, row = _exported(url, made["id"])
    shown = json.loads(run_truce("incidents", "show", made["id"], "--format", "json", url=url))

    # where it is and how sure: the same fields in every output
    assert feature["properties"]["location_uncertainty_m"] == api["location_uncertainty_m"] \
        == shown["location_uncertainty_m"] == float(row["truce_location_uncertainty_m"])
    assert api["place_label"] and feature["properties"]["place_label"] == api["place_label"] \
        == shown["place_label"] == row["truce_place_label"]
    table = run_truce("incidents", "show", made["id"], url=url)
    assert "(precision: exact, uncertain by ±565 m)" in table

    # one moment, one string: UTC with Z in every machine-readable output
    assert api["start"] == "2020-10-16T08:50:00Z"
    assert feature["properties"]["start"] == row["truce_start"] == shown["start"] == api["start"]
    listed = [json.loads(line) for line in run_truce("incidents", "list", "--from", DAY, "--to", DAY,
                                                     "--format", "json", url=url).splitlines()]
    assert listed and all(not re.search(r"[+-]\d\d:\d\d$", str(v)) for r in listed for v in r.values())


def test_attaching_a_later_report_widens_the_incidents_time_span_on_the_ledger(theatre):
    url, base, analyst = theatre
    first = file_observer_report(url, AT)
    made = _make_incident(base, analyst, first, event_type="Explosions/Remote violence")
    later = file_observer_report(url, AT.replace(hour=10))  # observed 09:50 UTC
    run_truce("review", "attach", made["id"], later, "--token", analyst["Authorization"].split()[1], url=url)
    api = _public(base, f"/api/incidents/{made['id']}").json()["incident"]
    assert (api["start"], api["end"]) == ("2020-10-16T08:50:00Z", "2020-10-16T09:50:00Z")
    assert "every record row matches" in run_truce("ledger", "verify", url=url)


def test_the_review_queue_names_each_observer_beside_the_id(theatre):
    url, base, analyst = theatre
    report_id = file_observer_report(url, AT, observer="obs-nadia")
    with httpx.Client(base_url=base, headers=analyst, timeout=60) as c:
        queued = {q["id"]: q for q in c.get("/api/review/reports").json()["data"]}
    shown = queued[report_id]
    assert shown["observer_name"] == "obs-nadia"
    assert shown["observer"] == f"obs-nadia ({shown['observer_id']})"
    listed = run_truce("review", "list", "--kind", "report", url=url)
    assert f"by obs-nadia ({shown['observer_id']})" in listed
    rows = {r["id"]: r for r in map(json.loads, run_truce("review", "list", "--kind", "report", "--format",
                                                          "json", url=url).splitlines())}
    assert rows[report_id]["observer_name"] == "obs-nadia"


def test_casualties_an_observer_saw_are_counted_from_the_observer_report(theatre):
    url, base, analyst = theatre
    report_id = file_observer_report(url, AT, observations=[{
        "what": "impact", "how": "seen_and_heard", "count": 1, "bearing_deg": 45, "distance_m": 3000,
        "weapon_class": "artillery", "casualties_seen": {"injured": 1}}])
    made = _make_incident(base, analyst, report_id, event_type="Explosions/Remote violence")
    detail = _public(base, f"/api/incidents/{made['id']}").json()
    (report,) = detail["reports"]
    assert [(f["kind"], f["value"], f["source_id"]) for f in detail["casualties"]] == \
        [("injured", 1, report["source_id"])]
    assert report["source_kind"] == "observer"
    page = " ".join(_public(base, f"/incidents/{made['id']}").text.split())
    assert "No casualty figure" not in page
    feature, _row = _exported(url, made["id"])
    assert [(f["kind"], f["value"]) for f in feature["properties"]["casualties"]] == [("injured", 1)]


def test_an_estimated_target_is_located_at_its_nearest_named_place_in_the_acled_export(theatre):
    url, base, analyst = theatre
    made = _make_incident(base, analyst, file_observer_report(url, AT), event_type="Explosions/Remote violence")
    _feature, row = _exported(url, made["id"])
    assert row["truce_place_label"].endswith("of Tartar")  # "3 km NE of Tartar"
    assert row["location"] == "Tartar"
