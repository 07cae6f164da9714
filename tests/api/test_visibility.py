"""Who sees what: observer identity and positions are for staff only; a
liaison sees published material and their own party's statements."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest


def _json(live, user, path):
    with live.client(user) as c:
        response = c.get(path)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
def published_observer_report(live, signed):
    """An observer report behind a published incident; returns (report body, incident id)."""
    body = signed()
    with live.client("obs1") as c:
        assert c.post("/api/reports", json=body).status_code == 201
    start = datetime.now(UTC) - timedelta(hours=2)
    with live.client("analyst1") as c:
        created = c.post("/api/incidents", json={
            "title": "Impacts NE of Tartar", "event_type": "Explosions/Remote violence",
            "sub_type": "Shelling/artillery/missile attack", "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(), "place_name": "Tartar",
            "latitude": 40.34, "longitude": 46.93, "country": "AZ", "report_ids": [body["id"]]})
        assert created.status_code == 201, created.text
        incident_id = created.json()["id"]
        assert c.post(f"/api/incidents/{incident_id}/publish").status_code == 200
    return body, incident_id


@pytest.mark.parametrize("reader", ["liaison-arm", "liaison-aze", None])
def test_liaison_and_public_never_see_observer_identity_or_position(
        live, published_observer_report, reader):
    body, incident_id = published_observer_report
    secrets_ = [live.ids["obs1"], "obs1", "40.3412", "46.9317", body["signature"]]
    for path in (f"/api/reports/{body['id']}", "/api/reports?limit=1000",
                 f"/api/incidents/{incident_id}", "/api/incidents"):
        text = _json(live, reader, path).text
        for secret in secrets_:
            assert secret not in text, (path, secret)
    report = _json(live, reader, f"/api/reports/{body['id']}").json()
    assert report["observer"] is None and report["incidents"] == [incident_id]


def test_staff_see_observer_identity_and_position(live, published_observer_report):
    body, _ = published_observer_report
    for staff in ("analyst1", "admin1"):
        report = _json(live, staff, f"/api/reports/{body['id']}").json()
        assert report["observer"]["observer_id"] == live.ids["obs1"]
        assert report["observer"]["report"]["position"] == body["position"]


def test_observer_reads_own_reports_in_full_and_no_other_observers(live, signed):
    mine, theirs = signed("obs1"), signed("obs2")
    with live.client("obs1") as c:
        assert c.post("/api/reports", json=mine).status_code == 201
    with live.client("obs2") as c:
        assert c.post("/api/reports", json=theirs).status_code == 201
    listed = _json(live, "obs1", "/api/reports?limit=1000").json()["data"]
    ids = {r["id"] for r in listed}
    assert mine["id"] in ids and theirs["id"] not in ids
    for r in listed:  # their own in full; the others only behind published incidents, redacted
        if r["observer"] is not None:
            assert r["observer"]["observer_id"] == live.ids["obs1"]
        else:
            assert r["incidents"], r
    with live.client("obs1") as c:
        assert c.get(f"/api/reports/{theirs['id']}").status_code == 404


def test_unlinked_observer_report_is_invisible_to_liaisons_and_public(live, signed):
    body = signed()
    with live.client("obs1") as c:
        assert c.post("/api/reports", json=body).status_code == 201
    for reader in ("liaison-arm", None):
        with live.client(reader) as c:
            assert c.get(f"/api/reports/{body['id']}").status_code == 404


@pytest.mark.parametrize("reader", [None, "liaison-arm", "obs1"])
def test_drafts_are_hidden_from_all_but_staff(live, reader):
    with live.client(reader) as c:
        assert c.get("/api/incidents/inc-seed-2").status_code == 404
        ids = [i["id"] for i in c.get("/api/incidents").json()["data"]]
    assert "inc-seed-2" not in ids and "inc-seed-1" in ids


def test_staff_see_drafts(live):
    with live.client("analyst1") as c:
        assert c.get("/api/incidents/inc-seed-2").json()["incident"]["status"] == "draft"
        assert "inc-seed-2" in [i["id"] for i in c.get("/api/incidents").json()["data"]]


def _statement(live, user, **overrides):
    body = {"id": str(uuid.uuid4()), "incident_id": "inc-seed-1", "actor_id": "arm-mod",
            "stance": "denies", "text": "Armenian forces did not fire on Tartar."}
    body.update(overrides)
    with live.client(user) as c:
        return body, c.post("/api/statements", json=body)


def test_liaison_statement_is_seen_by_its_party_and_staff_only(live):
    body, response = _statement(live, "liaison-arm")
    assert response.status_code == 201, response.text
    sid = response.json()["id"]
    assert response.json()["status"] == "submitted"
    for reader, sees in (("liaison-arm", True), ("analyst1", True), ("admin1", True),
                         ("liaison-aze", False)):
        with live.client(reader) as c:
            listed = [s["id"] for s in c.get("/api/statements").json()["data"]]
            assert (sid in listed) is sees, reader
            assert (c.get(f"/api/statements/{sid}").status_code == 200) is sees, reader
            claims = [x["id"] for x in c.get("/api/incidents/inc-seed-1").json()["claims"]]
            assert (sid in claims) is sees, reader
    with live.client() as c:
        assert sid not in [x["id"] for x in c.get("/api/incidents/inc-seed-1").json()["claims"]]


def test_statement_retry_is_stored_once(live):
    body, first = _statement(live, "liaison-arm")
    rows = live.counts()
    with live.client("liaison-arm") as c:
        second = c.post("/api/statements", json=body)
    assert second.status_code == 201 and second.json() == first.json()
    assert live.counts() == rows
    changed = dict(body, text="Something else.")
    with live.client("liaison-arm") as c:
        assert c.post("/api/statements", json=changed).status_code == 409


def test_liaison_cannot_speak_for_another_party(live):
    before = live.counts()
    _, response = _statement(live, "liaison-arm", actor_id="aze-mod")
    assert response.status_code == 403 and live.counts() == before


def test_liaison_cannot_make_statements_on_unpublished_incidents(live):
    _, response = _statement(live, "liaison-arm", incident_id="inc-seed-2")
    assert response.status_code == 404
    assert "no published incident" in response.json()["detail"]


def test_analyst_publishes_a_statement_and_it_then_counts_towards_the_grade(live):
    _, response = _statement(live, "liaison-arm")
    sid = response.json()["id"]
    with live.client("analyst1") as c:
        before = c.get("/api/incidents/inc-seed-1").json()["incident"]["grade_reasons"]
        published = c.post(f"/api/statements/{sid}/publish")
        assert published.status_code == 200, published.text
        assert published.json()["status"] == "published"
        again = c.post(f"/api/statements/{sid}/publish")
        assert again.status_code == 409
        after = c.get("/api/incidents/inc-seed-1").json()["incident"]["grade_reasons"]
    assert after != before
    with live.client("liaison-aze") as c:  # now public to every party
        assert c.get(f"/api/statements/{sid}").status_code == 200
    with live.client("liaison-arm") as c:
        assert c.post(f"/api/statements/{sid}/publish").status_code == 403
