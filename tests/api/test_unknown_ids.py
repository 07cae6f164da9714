"""An id the record does not know is refused with the ids that would do."""

from __future__ import annotations

import uuid


def test_liaison_naming_an_unknown_actor_is_shown_its_partys_actors(live):
    before = live.counts()
    body = {"id": str(uuid.uuid4()), "incident_id": "inc-seed-1", "actor_id": "armenian-mod",
            "stance": "denies", "text": "Armenian forces did not fire on Tartar."}
    with live.client("liaison-arm") as c:
        response = c.post("/api/statements", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "unknown actor 'armenian-mod'" in problem["detail"] and "arm-mod" in problem["detail"]
    assert "aze-mod" not in problem["detail"]
    assert live.counts() == before


def test_analyst_attaching_a_claim_of_an_unknown_source_is_shown_the_valid_ids(live):
    with live.client("analyst1") as c:
        response = c.post("/api/incidents/inc-seed-2/claims", json={
            "actor_id": "aze-mod", "source_id": "s-nope", "stance": "asserts"})
    assert response.status_code == 422
    assert "s-aze" in response.json()["detail"] and "s-news" in response.json()["detail"]
