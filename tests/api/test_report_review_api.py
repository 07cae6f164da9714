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


def test_an_incident_from_a_report_with_no_bearing_never_takes_the_observers_position(live, signed):
    """Only a bearing-and-distance estimate places an incident: the observer's
    own standing position would be published with it."""
    body = signed("obs1", observations=[{"what": "small_arms_fire", "how": "heard", "count": 1}],
                  summary="Small arms fire heard to the east.")
    with live.client("obs1") as obs:
        assert obs.post("/api/reports", json=body).status_code in (200, 201)
    with live.client("analyst1") as analyst:
        made = analyst.post("/api/review/reports/incident", json={
            "report_ids": [body["id"]], "event_type": "Battles"})
        assert made.status_code == 201, made.text
        incident = made.json()["incident"]
        assert analyst.post(f"/api/incidents/{incident['id']}/publish").status_code == 200
    assert incident["latitude"] is None and incident["longitude"] is None
    with live.client() as public:
        shown = public.get(f"/api/incidents/{incident['id']}")
    assert shown.status_code == 200, shown.text
    assert str(body["position"]["latitude"]) not in shown.text


def test_dates_out_of_the_records_calendar_are_refused_on_pages_tasks_and_complaints(live):
    with live.client() as public:
        for query in ("from=0001-01-01", "to=9999-12-31"):
            assert public.get(f"/incidents?{query}").status_code == 422
    with live.client("analyst1") as analyst:
        before = live.counts()
        task = analyst.post("/api/tasks", json={
            "title": "Check the bridge", "look_for": "craters",
            "window_start": "0001-01-01T00:00:00+14:00", "window_end": "0001-01-02T00:00:00+00:00"})
        assert task.status_code == 422, task.text
        assert live.counts() == before


def test_the_queue_writes_times_in_the_theatres_zone_and_uncertainties_rounded(live, signed):
    """One helper (service.labels) writes every time and distance a person reads."""
    body = signed("obs1", observed_at="2020-10-14T08:30:00+00:00")
    with live.client("obs1") as obs:
        assert obs.post("/api/reports", json=body).status_code in (200, 201)
    with live.client("analyst1") as analyst:
        queued = {q["id"]: q for q in analyst.get("/api/review/reports").json()["data"]}[body["id"]]
        assert queued["observed_local"] == "14 Oct 2020 12:30 (Asia/Baku)"
        assert queued["estimated_target"]["uncertainty"] == "±565 m"  # 564.7 m, not "0.5647 km"
        made = analyst.post("/api/review/reports/incident", json={
            "report_ids": [body["id"]], "event_type": "Explosions/Remote violence"}).json()["incident"]
        assert analyst.post(f"/api/incidents/{made['id']}/publish").status_code == 200
    with live.client() as public:
        page = public.get(f"/incidents/{made['id']}")
    assert page.status_code == 200 and "uncertain by ±565 m" in page.text
    assert "0.5647" not in page.text and "564.7" not in page.text
