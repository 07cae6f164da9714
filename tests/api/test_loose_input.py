"""Loose input that used to be read as something it is not: an unknown key in
an agreement's terms, "yes" for a flag, "2" for a count, a place or party
nobody knows as a list filter. Each is a 422 naming the field over HTTP and a
one-line error naming it on the CLI, with nothing written."""

from __future__ import annotations

import json

import pytest
from test_errors import assert_problem
from typer.testing import CliRunner

from cli_main import run_main
from truce.cli import app

runner = CliRunner()


def _agreement(terms: list[dict]) -> dict:
    return {"name": "Loose truce", "parties": ["ARM", "AZE"], "start": "2020-10-10T12:00:00+04:00",
            "terms": terms}


@pytest.mark.parametrize(("terms", "field"), [
    ([{"kind": "no_fire", "extra": 1}], "terms.0.extra"),
    ([{"kind": "no_fire"}, {"kind": "no_advance", "zone": "north"}], "terms.1.zone"),
    ([{"kind": "no_fire", "km": 5}], "terms.0.km"),
    ([{"kind": "no_heavy_weapons_near_line"}], "terms.0.km"),
    ([{"kind": "no_heavy_weapons_near_line", "km": "15"}], "terms.0.km"),
    ([{"kind": "no_heavy_weapons_near_line", "km": True}], "terms.0.km"),
    ([{"kind": "no_shouting"}], "terms.0.kind"),
])
def test_agreement_term_with_a_key_or_value_the_rules_do_not_read_is_422(live, terms, field):
    before = live.counts()
    with live.client("analyst1") as c:
        body = assert_problem(c.post("/api/agreements", json=_agreement(terms)), 422, field)
    assert live.counts() == before
    assert body["errors"][0]["reason"]


def test_agreement_with_well_formed_terms_is_still_recorded(live):
    with live.client("analyst1") as c:
        response = c.post("/api/agreements", json=_agreement(
            [{"kind": "no_fire"}, {"kind": "no_heavy_weapons_near_line", "km": 15}]) | {"name": "Strict truce"})
    assert response.status_code == 201, response.text
    assert response.json()["terms"][1]["params"] == {"km": 15}


@pytest.mark.parametrize("flag", ["yes", "true", 1, "1"])
def test_new_source_that_is_not_a_json_boolean_is_422(live, flag):
    before = live.counts()
    with live.client("analyst1") as c:
        response = c.post("/api/ingest", json={"text": "Shelling near Tartar.", "published": "2020-10-14",
                                               "source": "A wire nobody knows", "new_source": flag})
    assert_problem(response, 422, "new_source")
    assert live.counts() == before


@pytest.mark.parametrize(("path", "value", "field"), [
    (("observations", 0, "count"), "2", "observations.0.count"),
    (("observations", 0, "count"), 2.0, "observations.0.count"),
    (("observations", 0, "count"), True, "observations.0.count"),
    (("observations", 0, "distance_m"), "3000", "observations.0.distance_m"),
    (("position", "latitude"), "40.3412", "position.latitude"),
])
def test_signed_report_with_a_number_written_as_a_string_is_422(live, signed, path, value, field):
    from live import report_body

    from truce.service.signing import sign

    body = report_body()
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    before = live.counts()
    with live.client("obs1") as c:  # signed as sent: the signature is not what is refused
        assert_problem(c.post("/api/reports", json=sign(body, live.keys["obs1"])), 422, field)
    assert live.counts() == before


@pytest.mark.parametrize(("query", "field", "named"), [
    ("place=Atlantis", "place", "Atlantis"),
    ("party=XYZ", "party", "XYZ"),
])
def test_incident_list_filtered_on_an_unknown_name_is_422(live, query, field, named):
    with live.client() as c:
        body = assert_problem(c.get(f"/api/incidents?{query}"), 422, field)
    assert named in body["detail"]


def test_incident_list_filtered_on_known_names_still_answers(live):
    with live.client() as c:
        response = c.get("/api/incidents?place=Tartar&party=AZE")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("query", "field"), [
    ("party=XYZ", "party"), ("responsible=XYZ", "responsible"), ("agreement=no-such-truce", "agreement"),
])
def test_map_selection_naming_an_unknown_party_or_agreement_is_422(live, query, field):
    with live.client() as c:
        assert_problem(c.get(f"/api/map/incidents?{query}"), 422, field)
        page = c.get(f"/incidents?{query}")
    assert page.status_code == 422 and field in page.text


def _agreements(db) -> int:
    import sqlite3

    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM agreements").fetchone()[0]


def test_cli_agreement_with_an_unknown_term_key_is_one_line_naming_it(demo_db):
    before = _agreements(demo_db)
    result = run_main("agreements", "add", "Loose", "--party", "ARM", "--party", "AZE",
                      "--start", "2020-10-10T12:00:00+04:00",
                      "--terms", json.dumps([{"kind": "no_fire", "extra": 1}]), "--db", str(demo_db))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "terms.0.extra" in lines[0] and "unknown key 'extra'" in lines[0], result.stderr
    assert _agreements(demo_db) == before


@pytest.mark.parametrize(("args", "named"), [
    (["--place", "Atlantis"], "unknown place 'Atlantis'"), (["--party", "XYZ"], "XYZ"),
])
def test_cli_incident_list_on_an_unknown_name_is_one_line(demo_db, args, named):
    result = run_main("incidents", "list", *args, "--db", str(demo_db))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], result.stderr


def test_cli_submit_of_a_count_written_as_a_string_names_the_field(live, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["observer", "keygen", "--key", "f.key"]).exit_code == 0
    public = (tmp_path / "f.key.pub").read_text().strip()
    with live.client("admin1") as c:
        token = c.post("/api/users", json={"name": "loose-obs", "role": "observer",
                                           "public_key": public}).json()["token"]
    from live import report_body

    body = report_body()
    body["observations"][0]["count"] = "2"
    (tmp_path / "report.json").write_text(json.dumps(body))
    before = live.counts()
    result = run_main("observer", "submit", "report.json", "--key", "f.key",
                      "--server", live.base_url, "--token", token)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "observations.0.count" in lines[0], result.stderr
    assert live.counts() == before
