"""Bad input to the casework API: a clear 422 (or 403/404/409) naming the
field, nothing written, never a 5xx."""

from __future__ import annotations

import pytest
from casework_seed import AGREEMENT, STRIKE

GOOD = {"agreement_id": AGREEMENT, "accused": "AZE", "term": "no_fire", "incident_ids": [STRIKE],
        "summary": "A strike."}


@pytest.mark.parametrize(("change", "field"), [
    ({"accused": "ARM"}, "accused"),                      # a complaint about oneself
    ({"accused": "NKR"}, "accused"),                      # not a party to the agreement
    ({"term": "no_such_term"}, "term"),
    ({"term": "no_advance"}, "term"),                     # not a term of this agreement
    ({"agreement_id": "agr-none"}, "agreement_id"),
    ({"incident_ids": ["inc-seed-2"]}, "incident_ids"),   # a draft the liaison cannot see
    ({"incident_ids": []}, "incident_ids"),               # neither incidents nor an allegation
    ({"summary": "   "}, "summary"),
    ({"allegation": {"at": "2020-10-15T06:00:00", "place": "Martuni", "what": "fire"}}, "allegation"),
    ({"surprise": 1}, "surprise"),
])
def test_a_bad_complaint_is_refused_and_writes_nothing(live, change, field):
    before = live.counts()
    with live.client("liaison-arm") as c:
        response = c.post("/api/cases/complaints", json={**GOOD, **change})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text
    assert live.counts() == before


@pytest.mark.parametrize(("user", "status"), [("analyst1", 403), ("obs1", 403), (None, 401)])
def test_only_a_liaison_files_a_complaint(live, user, status):
    before = live.counts()
    with live.client(user) as c:
        assert c.post("/api/cases/complaints", json=GOOD).status_code == status
    assert live.counts() == before


def _filed(live) -> str:
    with live.client("liaison-arm") as c:
        response = c.post("/api/cases/complaints", json=GOOD)
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.parametrize(("user", "path", "body", "status"), [
    ("analyst1", "requests", {"question": "Why?"}, 409),              # the case is not open yet
    ("analyst1", "finding", {"outcome": "confirmed", "reasons": "x", "cites": []}, 409),
    ("analyst1", "evidence", {"kind": "report", "ref": "rep-none"}, 422),
    ("analyst1", "evidence", {"kind": "video", "ref": "x"}, 422),
    ("analyst1", "evidence", {"kind": "text"}, 422),                  # a text needs its note
    ("liaison-aze", "replies", {"text": "no finding yet"}, 409),
    ("liaison-arm", "replies", {"text": "x", "request_id": "rfi-none"}, 422),
    ("liaison-arm", "approve", None, 409),                           # a member, but nothing to approve
    ("obs1", "approve", None, 403),
    ("analyst1", "publish", None, 409),
    ("liaison-arm", "publish", None, 403),
    ("analyst1", "tasks", {"title": "t", "look_for": "x", "window_start": "2020-10-15T10:00:00+00:00",
                           "window_end": "2020-10-15T09:00:00+00:00"}, 422),
])
def test_a_step_out_of_turn_or_malformed_is_refused_and_writes_nothing(live, user, path, body, status):
    case_id = _filed(live)
    before = live.counts()
    with live.client(user) as c:
        response = c.post(f"/api/cases/{case_id}/{path}", json=body) if body is not None else \
            c.post(f"/api/cases/{case_id}/{path}")
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert live.counts() == before


def test_a_bad_finding_is_refused_and_writes_nothing(live):
    case_id = _filed(live)
    with live.client("analyst1") as c:
        assert c.post("/api/cases", json={"case_id": case_id}).status_code == 201
        assert c.post("/api/cases", json={"case_id": case_id}).status_code == 409  # opened once
        before = live.counts()
        for body, field in (({"outcome": "maybe", "reasons": "x"}, "outcome"),
                            ({"outcome": "confirmed", "reasons": "x", "cites": ["not-evidence"]}, "cites"),
                            ({"outcome": "confirmed", "reasons": "x", "cites": []}, "cites"),
                            ({"outcome": "confirmed", "reasons": "x", "party": "NKR"}, "party")):
            response = c.post(f"/api/cases/{case_id}/finding", json=body)
            assert response.status_code == 422 and field in response.text, response.text
        assert live.counts() == before


def test_unknown_cases_are_404(live):
    for user in (None, "liaison-arm", "analyst1"):
        with live.client(user) as c:
            assert c.get("/api/cases/case-9999").status_code == 404


def test_commission_rules_refuse_a_seat_outside_the_agreement(live):
    before = live.counts()
    with live.client("admin1") as c:
        response = c.put(f"/api/cases/commission/{AGREEMENT}/rules", json={"quorum": ["ARM", "NKR"]})
        assert response.status_code == 422 and "quorum" in response.text
        response = c.post(f"/api/cases/commission/{AGREEMENT}/members", json={"user": "liaison-aze", "seat": "ARM"})
        assert response.status_code == 422 and "seat" in response.text
    with live.client("analyst1") as c:
        assert c.put(f"/api/cases/commission/{AGREEMENT}/rules", json={"reply_hours": 1}).status_code == 403
    assert live.counts() == before
