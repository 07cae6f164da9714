"""The analyst's desk for observer reports over HTTP: the queue, an incident
at the estimated target, attach, "no incident"; bad input changes nothing."""

from __future__ import annotations

from truce.store import tables as t


def test_an_incident_built_with_post_incidents_from_an_observer_report_is_located(live, signed):
    body = signed("obs1")
    with live.client("obs1") as obs:
        assert obs.post("/api/reports", json=body).status_code in (200, 201)
    with live.client("analyst1") as analyst:
        queued = {q["id"]: q for q in analyst.get("/api/review/reports").json()["data"]}
        target = queued[body["id"]]["estimated_target"]
        made = analyst.post("/api/incidents", json={
            "title": "Explosions NE of Tartar", "event_type": "Explosions/Remote violence",
            "start": body["observed_at"], "end": body["observed_at"], "report_ids": [body["id"]]})
        assert made.status_code == 201, made.text
        incident = made.json()
    assert (incident["latitude"], incident["longitude"]) == (target["latitude"], target["longitude"])
    assert (incident["latitude"], incident["longitude"]) != (body["position"]["latitude"],
                                                             body["position"]["longitude"])
    assert incident["geo_precision"] == "exact"
    assert incident["location_uncertainty_m"] == target["uncertainty_m"] > 0
    assert incident["grade"] == "verified"


def test_reports_attach_to_a_suggested_incident_or_are_dismissed_with_a_reason(live, signed):
    first, second, third = signed("obs1"), signed("obs2"), signed("obs1")
    for who, body in (("obs1", first), ("obs2", second), ("obs1", third)):
        with live.client(who) as obs:
            assert obs.post("/api/reports", json=body).status_code in (200, 201)
    with live.client("analyst1") as analyst:
        made = analyst.post("/api/review/reports/incident", json={
            "report_ids": [first["id"]], "event_type": "Explosions/Remote violence"})
        assert made.status_code == 201, made.text
        incident_id = made.json()["incident"]["id"]
        queue = {q["id"]: q for q in analyst.get("/api/review/reports").json()["data"]}
        assert first["id"] not in queue
        assert incident_id in [s["incident_id"] for s in queue[second["id"]]["suggestions"]]
        attached = analyst.post("/api/review/reports/attach",
                                json={"incident_id": incident_id, "report_ids": [second["id"]]})
        assert attached.status_code == 200, attached.text

        before = live.counts()
        refused = analyst.post("/api/review/reports/dismiss", json={"report_ids": [third["id"]],
                                                                    "reason": " "})
        assert refused.status_code == 422 and live.counts() == before
        again = analyst.post("/api/review/reports/attach",
                             json={"incident_id": incident_id, "report_ids": [first["id"]]})
        assert again.status_code == 409 and live.counts() == before
        done = analyst.post("/api/review/reports/dismiss",
                            json={"report_ids": [third["id"]], "reason": "training fire, announced"})
        assert done.status_code == 204, done.text
        left = {q["id"] for q in analyst.get("/api/review/reports").json()["data"]}
    assert not {first["id"], second["id"], third["id"]} & left
    with live.engine.connect() as c:
        decisions = dict(c.execute(t.report_reviews.select().with_only_columns(
            t.report_reviews.c.report_id, t.report_reviews.c.decision)).all())
    assert decisions[third["id"]] == "no_incident" and decisions[second["id"]] == "attached"
