"""The joint commission's casework end to end, through real HTTP: a complaint,
an investigation with an observer's answer, requests for information, a
finding with both parties' replies, approval by quorum, publication, and
what each reader sees on the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casework_seed import AGREEMENT, STRIKE
from live import report_body
from sqlalchemy import select

from truce.service.signing import sign
from truce.store import tables as t


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def _ledger_actions(live, case_id):
    with live.engine.connect() as c:
        return [a for (a,) in c.execute(select(t.ledger.c.action).where(t.ledger.c.record_id == case_id)
                                        .order_by(t.ledger.c.seq))]


def test_complaint_to_published_finding(live):
    arm, aze = live.client("liaison-arm"), live.client("liaison-aze")
    analyst, admin, obs, public = live.client("analyst1"), live.client("admin1"), live.client("obs1"), live.client()

    # ARM's liaison complains that AZE struck
    filed = _ok(arm.post("/api/cases/complaints", json={
        "agreement_id": AGREEMENT, "accused": "AZE", "term": "no_fire", "incident_ids": [STRIKE],
        "summary": "Azerbaijani forces struck a village near Tartar.",
        "evidence": ["Photographs of the craters, taken by the village head."]}), 201)
    case_id = filed["id"]
    assert filed["status"] == "filed" and "Complaint received" in filed["acknowledgement"]
    due = datetime.fromisoformat(filed["due_at"])
    assert timedelta(hours=71) < due - datetime.now(UTC) <= timedelta(hours=72)

    # an analyst opens the case, adds the incident, tasks an observer who answers
    assert _ok(analyst.post("/api/cases", json={"case_id": case_id}), 201)["status"] == "open"
    _ok(analyst.post(f"/api/cases/{case_id}/evidence", json={"kind": "incident", "ref": STRIKE}), 201)
    now = datetime.now(UTC)
    task = _ok(analyst.post(f"/api/cases/{case_id}/tasks", json={
        "title": "Check the strike site", "look_for": "craters, fragments, direction of fire",
        "window_start": (now - timedelta(hours=1)).isoformat(), "window_end": (now + timedelta(hours=6)).isoformat(),
        "observer": "obs1"}), 201)
    assert task["case_id"] == case_id
    answer = sign(report_body(summary="zq-case-answer: two craters, fragments of a missile.", task=task["id"]),
                  live.keys["obs1"])
    _ok(obs.post("/api/reports", json=answer), 201)

    # a request for information goes to both parties; each replies
    asked = _ok(analyst.post(f"/api/cases/{case_id}/requests", json={
        "question": "State which units were firing near Tartar that morning."}), 201)
    request_id = asked["requests"][0]["id"]
    for client in (arm, aze):
        seen = _ok(client.get(f"/api/cases/{case_id}"))
        assert [r["id"] for r in seen["requests"]] == [request_id]
    _ok(arm.post(f"/api/cases/{case_id}/replies", json={"request_id": request_id, "text": "zq-arm-rfi-reply"}), 201)
    _ok(aze.post(f"/api/cases/{case_id}/replies", json={"request_id": request_id, "text": "zq-aze-rfi-reply"}), 201)

    # the finding is drafted, citing the observer's answer and the incident with its grade
    drafted = _ok(analyst.post(f"/api/cases/{case_id}/finding", json={
        "outcome": "confirmed", "party": "AZE", "term": "no_fire",
        "reasons": "The observer found missile fragments; the incident is graded.",
        "cites": [answer["id"], STRIKE]}), 201)
    cites = {c["ref"]: c for c in drafted["finding"]["cites"]}
    assert cites[answer["id"]]["sha256"] and cites[STRIKE]["grade"]
    assert analyst.post(f"/api/cases/{case_id}/approve").status_code == 403  # not before replies, nor outside
    early = admin.post(f"/api/cases/{case_id}/approve")
    assert early.status_code == 409 and "may still reply" in early.json()["detail"]

    # both parties see the draft and reply
    for client in (arm, aze):
        assert _ok(client.get(f"/api/cases/{case_id}"))["finding"]["outcome"] == "confirmed"
    _ok(arm.post(f"/api/cases/{case_id}/replies", json={"text": "zq-arm-finding-reply"}), 201)
    _ok(aze.post(f"/api/cases/{case_id}/replies", json={"text": "zq-aze-finding-reply"}), 201)

    # a liaison never sees the other party's unpublished reply, nor any observer
    for client, own, other in ((arm, "arm", "aze"), (aze, "aze", "arm")):
        text = "".join(client.get(url).text for url in (f"/api/cases/{case_id}", "/api/cases", "/cases",
                                                         f"/cases/{case_id}"))
        assert f"zq-{own}-rfi-reply" in text and f"zq-{own}-finding-reply" in text
        assert f"zq-{other}-rfi-reply" not in text and f"zq-{other}-finding-reply" not in text
        for secret in ("obs1", live.ids["obs1"], "zq-case-answer", "40.3412", "Check the strike site"):
            assert secret not in text, secret
    staff_view = _ok(analyst.get(f"/api/cases/{case_id}"))
    assert staff_view["answers"][0]["observer"] == "obs1" and staff_view["tasks"][0]["reports"] == [answer["id"]]
    assert public.get(f"/api/cases/{case_id}").status_code == 404  # not published yet

    # outside the quorum: 403; the quorum approves; it is published
    refused = analyst.post(f"/api/cases/{case_id}/approve")
    assert refused.status_code == 403 and "not a member of the commission" in refused.json()["detail"]
    assert analyst.post(f"/api/cases/{case_id}/publish").status_code == 409  # not approved yet
    _ok(arm.post(f"/api/cases/{case_id}/approve"))
    _ok(aze.post(f"/api/cases/{case_id}/approve"))
    approved = _ok(admin.post(f"/api/cases/{case_id}/approve"))
    assert approved["case"]["status"] == "approved" and approved["missing_seats"] == []
    published = _ok(analyst.post(f"/api/cases/{case_id}/publish"))
    assert published["case"]["status"] == "published" and published["case"]["closed_at"]
    steps = {s["what"].split(":")[0]: s["by"] for s in published["timeline"]}
    assert steps["observer tasked"] and steps["finding published, case closed"] == "analyst1", steps

    # the public sees the finding with both parties' replies beside it, and nothing of the observer
    seen = _ok(public.get(f"/api/cases/{case_id}"))
    assert seen["finding"]["outcome"] == "confirmed" and seen["finding"]["party"] == "AZE"
    assert {r["text"] for r in seen["replies"]} >= {"zq-arm-finding-reply", "zq-aze-finding-reply"}
    assert "obs1" not in public.get(f"/api/cases/{case_id}").text and not seen["tasks"]
    page = public.get(f"/cases/{case_id}").text
    assert "zq-aze-finding-reply" in page and "confirmed" in page and "obs1" not in page
    assert case_id in public.get("/cases").text
    board = _ok(public.get("/api/cases"))
    assert case_id in {c["id"] for c in board["data"]}
    assert {"party": "ARM", "filed": 1, "substantiated": 1, "not_substantiated": 0, "pending": 0} in board["parties"]

    # the tallies count it, confirmed and against AZE, by the commission's finding
    tally = _ok(public.get(f"/api/agreements/{AGREEMENT}/violations", params={"by": ["party", "basis"]}))
    rows = {(r["party"], r["basis"]): r for r in tally["rows"]}
    assert rows[("AZE", "commission")]["confirmed"] == 1

    # the next daily report lists it (the public edition too)
    day = datetime.now(UTC).astimezone(live.settings.tz).date().isoformat()
    html = public.get(f"/reports/{day}.html").text
    assert case_id in html and "Findings published" in html

    # every step is in the ledger
    actions = _ledger_actions(live, case_id)
    for step in ("case.file", "case.evidence", "case.open", "case.task", "case.request", "case.reply",
                 "case.finding", "case.approve", "case.publish"):
        assert step in actions, (step, actions)
    assert actions.count("case.reply") == 4 and actions.count("case.approve") == 3
    for client in (arm, aze, analyst, admin, obs, public):
        client.close()
