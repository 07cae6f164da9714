"""Observer reports through real HTTP: signatures, idempotent retry,
refusals with reasons, evidence stored under its SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta, timezone

from truce.service.signing import sign
from truce.store import tables as t


def _post(live, body, user="obs1"):
    with live.client(user) as c:
        return c.post("/api/reports", json=body)


def test_signed_report_is_stored_with_estimated_position(live, signed):
    body = signed()
    response = _post(live, body)
    assert response.status_code == 201, response.text
    accepted = response.json()
    assert accepted["id"] == body["id"]
    (estimate,) = accepted["estimates"]
    # 3 km at 45 degrees from 40.3412, 46.9317 (pyproj on WGS84)
    assert abs(estimate["latitude"] - 40.3603) < 0.001
    assert abs(estimate["longitude"] - 46.9567) < 0.001
    assert 500 < estimate["uncertainty_m"] < 700
    with live.client("analyst1") as c:
        stored = c.get(f"/api/reports/{body['id']}").json()
    assert stored["observer"]["observer_id"] == live.ids["obs1"]
    assert stored["observer"]["report"]["position"]["latitude"] == 40.3412


def test_retry_of_the_same_report_stores_it_once_and_returns_the_same_answer(live, signed):
    local = (datetime.now(UTC) - timedelta(hours=1)).astimezone(timezone(timedelta(hours=4)))
    body = signed(observed_at=local.isoformat(timespec="seconds"))
    first = _post(live, body)
    rows = live.count(t.reports), live.count(t.ledger)
    second = _post(live, body)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert (live.count(t.reports), live.count(t.ledger)) == rows


def test_same_id_with_different_content_is_a_conflict_and_nothing_written(live, signed):
    body = signed()
    assert _post(live, body).status_code == 201
    before = live.counts()
    changed = signed(id=body["id"], summary="Something else entirely.")
    response = _post(live, changed)
    assert response.status_code == 409
    problem = response.json()
    assert problem["errors"][0]["field"] == "id"
    assert "different content" in problem["detail"]
    assert live.counts() == before


def test_same_id_from_another_observer_is_a_conflict(live, signed):
    body = signed()
    assert _post(live, body).status_code == 201
    assert _post(live, signed("obs2", id=body["id"]), user="obs2").status_code == 409


def test_report_altered_after_signing_is_refused_and_nothing_written(live, signed):
    body = signed()
    body["observations"][0]["count"] = 20
    before = live.counts()
    response = _post(live, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "signature"
    assert live.counts() == before


def test_report_signed_with_another_observers_key_is_refused(live, signed):
    response = _post(live, signed("obs2"), user="obs1")
    assert response.status_code == 422
    assert "signature does not verify" in response.json()["detail"]


def test_report_observed_in_the_future_is_refused_with_the_reason(live, signed):
    future = (datetime.now(UTC) + timedelta(hours=2)).isoformat(timespec="seconds")
    before = live.counts()
    response = _post(live, signed(observed_at=future))
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "observed_at"
    assert "in the future" in problem["detail"]
    assert live.counts() == before


def test_report_within_the_clock_tolerance_is_accepted(live, signed):
    soon = (datetime.now(UTC) + timedelta(seconds=60)).isoformat(timespec="seconds")
    assert _post(live, signed(observed_at=soon)).status_code == 201


def test_observer_position_outside_the_theatre_is_refused(live, signed):
    before = live.counts()
    response = _post(live, signed(position={"latitude": 46.93, "longitude": 40.34}))
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "position"
    assert "outside the theatre" in problem["detail"]
    assert live.counts() == before


def test_observation_estimated_outside_the_theatre_is_refused(live, signed):
    edge = {"latitude": 41.9, "longitude": 46.0}
    obs = [{"what": "airburst", "how": "seen", "bearing_deg": 0, "distance_m": 20000}]
    response = _post(live, signed(position=edge, observations=obs))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "observations.0"


def test_restriction_jamming_and_calm_are_reports_too(live, signed):
    restriction = signed(kind="restriction", observations=[], summary="Patrol stopped.",
                         restriction={"place_name": "Checkpoint near Aghdam", "imposed_by": "ARM",
                                      "description": "Patrol turned back at a checkpoint.",
                                      "duration_min": 45})
    jamming = signed(kind="jamming", observations=[], summary="Drone link lost.",
                     jamming={"asset": "drone", "effect": "loss of video link", "duration_min": 12})
    calm = signed(kind="situation", observations=[], summary="Calm; no firing heard.")
    for body in (restriction, jamming, calm):
        assert _post(live, body).status_code == 201, body["kind"]


def test_incident_report_without_observations_is_refused(live, signed):
    response = _post(live, signed(observations=[]))
    assert response.status_code == 422


def test_analyst_cannot_submit_an_observer_report(live, signed):
    assert _post(live, signed(), user="analyst1").status_code == 403


def _upload(live, report_id, data, user="obs1", content_type="image/jpeg", name="photo.jpg"):
    with live.client(user) as c:
        return c.post(f"/api/reports/{report_id}/evidence",
                      files={"file": (name, data, content_type)})


def test_evidence_is_stored_under_its_sha256(live, signed):
    data = b"\xff\xd8\xff" + uuid.uuid4().bytes * 100
    sha = hashlib.sha256(data).hexdigest()
    body = signed(evidence=[sha])
    assert _post(live, body).status_code == 201
    response = _upload(live, body["id"], data)
    assert response.status_code == 201, response.text
    assert response.json()["sha256"] == sha and response.json()["size"] == len(data)
    stored = live.settings.evidence_dir / sha[:2] / sha
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
    rows = live.count(t.evidence)
    again = _upload(live, body["id"], data)
    assert again.status_code == 200 and live.count(t.evidence) == rows
    with live.client("analyst1") as c:
        report = c.get(f"/api/reports/{body['id']}").json()
    assert [e["sha256"] for e in report["observer"]["evidence"]] == [sha]


def test_evidence_not_declared_in_the_signed_report_is_refused(live, signed):
    body = signed(evidence=["0" * 64])
    assert _post(live, body).status_code == 201
    before = live.counts()
    response = _upload(live, body["id"], b"other bytes")
    assert response.status_code == 422 and live.counts() == before


def test_evidence_for_another_observers_report_is_refused(live, signed):
    body = signed()
    assert _post(live, body).status_code == 201
    assert _upload(live, body["id"], b"x", user="obs2").status_code == 404


def test_evidence_that_is_not_a_photo_video_or_audio_is_refused(live, signed):
    body = signed()
    assert _post(live, body).status_code == 201
    response = _upload(live, body["id"], b"MZ", content_type="application/x-msdownload",
                       name="a.exe")
    assert response.status_code == 422


def test_oversized_evidence_is_413_and_nothing_written(live, signed):
    body = signed()
    assert _post(live, body).status_code == 201
    before = live.counts()
    response = _upload(live, body["id"], b"\0" * (live.settings.max_upload_bytes + 100_000))
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert live.counts() == before


def test_a_correction_names_the_report_it_corrects(live, signed):
    body = signed()
    assert _post(live, body).status_code == 201
    correction = signed(corrects=body["id"], summary="Correction: three impacts, not two.")
    assert _post(live, correction).status_code == 201
    unknown = signed(corrects=str(uuid.uuid4()))
    response = _post(live, unknown)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "corrects"


def test_an_observer_cannot_correct_another_observers_report_nor_learn_it_exists(live, signed):
    theirs = signed("obs1")
    assert _post(live, theirs).status_code == 201
    before = live.counts()
    with live.client("obs2") as client:
        foreign = client.post("/api/reports", json=signed("obs2", corrects=theirs["id"]))
        unknown = client.post("/api/reports", json=signed("obs2", corrects=str(uuid.uuid4())))
    assert foreign.status_code == unknown.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "corrects"
    # the same words for an unknown id and another observer's: nothing is revealed
    assert (foreign.json()["detail"].replace(theirs["id"], "ID")
            == unknown.json()["detail"].replace(unknown.json()["detail"].split("'")[1], "ID"))
    assert live.counts() == before


def test_signing_helper_matches_what_the_server_verifies(live):
    # the reference client signs with truce.service.signing.sign; a key
    # registered to nobody is refused by name
    from truce.service.signing import generate_key

    stranger, _ = generate_key()
    from live import report_body

    response = _post(live, sign(report_body(), stranger))
    assert response.status_code == 422


def test_an_observer_cannot_learn_that_another_observers_report_exists_from_its_files(live, signed):
    """Evidence and uploads for another observer's report are answered as for
    an id nobody used: the same status, field and words."""
    theirs = signed("obs1")
    assert _post(live, theirs).status_code == 201
    before = live.counts()
    unknown = str(uuid.uuid4())
    data = b"\xff\xd8\xff" + uuid.uuid4().bytes * 10
    sha = hashlib.sha256(data).hexdigest()
    with live.client("obs2") as client:
        answers = {}
        for name, report_id in (("foreign", theirs["id"]), ("unknown", unknown)):
            answers[name] = [
                client.post(f"/api/reports/{report_id}/evidence", files={"file": ("p.jpg", data, "image/jpeg")}),
                client.post("/api/uploads", json={"report_id": report_id, "sha256": sha, "size": len(data),
                                                  "content_type": "image/jpeg", "filename": "p.jpg"})]
    for foreign, missing in zip(answers["foreign"], answers["unknown"], strict=True):
        assert foreign.status_code == missing.status_code == 404
        assert (foreign.json()["detail"].replace(theirs["id"], "ID")
                == missing.json()["detail"].replace(unknown, "ID"))
        assert foreign.json()["errors"] == [
            {**e, "reason": e["reason"].replace(unknown, theirs["id"])} for e in missing.json()["errors"]]
    assert live.counts() == before
