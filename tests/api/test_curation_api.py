"""An analyst's workflow over HTTP: build, attach a claim, override, split,
merge, publish; each write lands in the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from truce.store import tables as t


def _incident(c, report_ids, title="Impacts"):
    start = datetime.now(UTC) - timedelta(hours=3)
    response = c.post("/api/incidents", json={
        "title": title, "event_type": "Explosions/Remote violence", "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(), "place_name": "Tartar",
        "latitude": 40.34, "longitude": 46.93, "country": "AZ", "report_ids": report_ids})
    assert response.status_code == 201, response.text
    return response.json()


def test_analyst_builds_grades_splits_merges_and_publishes(live, signed):
    bodies = [signed(), signed("obs2")]
    for body, user in zip(bodies, ("obs1", "obs2"), strict=True):
        with live.client(user) as c:
            assert c.post("/api/reports", json=body).status_code == 201
    entries = live.count(t.ledger)
    with live.client("analyst1") as c:
        incident = _incident(c, [b["id"] for b in bodies])
        assert incident["status"] == "draft" and incident["grade"] is not None
        claim = c.post(f"/api/incidents/{incident['id']}/claims", json={
            "actor_id": "aze-mod", "source_id": "s-aze", "stance": "asserts"})
        assert claim.status_code == 201, claim.text
        no_reason = c.put(f"/api/incidents/{incident['id']}/grade", json={"grade": "verified"})
        assert no_reason.status_code == 422
        graded = c.put(f"/api/incidents/{incident['id']}/grade",
                       json={"grade": "verified", "reason": "drone footage reviewed"})
        assert graded.json()["grade"] == "verified"
        split = c.post(f"/api/incidents/{incident['id']}/split",
                       json={"report_ids": [bodies[1]["id"]], "title": "Second impact"})
        assert split.status_code == 201, split.text
        merged = c.post(f"/api/incidents/{incident['id']}/merge",
                        json={"other_id": split.json()["id"], "reason": "same salvo"})
        assert merged.status_code == 200, merged.text
        published = c.post(f"/api/incidents/{incident['id']}/publish")
        assert published.json()["status"] == "published"
        assert c.get("/api/ledger/verify").json()["ok"] is True
    assert live.count(t.ledger) >= entries + 6
    with live.client() as c:
        assert c.get(f"/api/incidents/{incident['id']}").status_code == 200


def test_incident_from_unknown_report_is_404_and_nothing_written(live):
    before = live.counts()
    with live.client("analyst1") as c:
        start = datetime.now(UTC).isoformat()
        response = c.post("/api/incidents", json={
            "title": "x", "event_type": "Battles", "start": start, "end": start,
            "report_ids": ["no-such-report"]})
    assert response.status_code == 404 and live.counts() == before
