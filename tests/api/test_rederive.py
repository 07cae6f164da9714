"""Every change to an incident re-derives what follows from it: merging two
published incidents leaves one violation, not two; a claim attached later
changes who the violation is attributed to. Through the API."""

from __future__ import annotations

import uuid

DAY = "2021-03-05"


def _violations(c, agreement_id: str) -> list[dict]:
    response = c.get(f"/api/agreements/{agreement_id}/violations", params=[("by", "party"), ("by", "day")])
    assert response.status_code == 200, response.text
    return [r for r in response.json()["rows"] if r["day"] == DAY]


def test_merge_and_a_late_claim_re_derive_the_violations(live):
    with live.client("analyst1") as c:
        agreement = c.post("/api/agreements", json={
            "name": f"Spring truce {uuid.uuid4().hex[:6]}", "parties": ["ARM", "AZE"],
            "start": "2021-03-01T00:00:00+04:00", "end": "2021-03-10T00:00:00+04:00",
            "terms": [{"kind": "no_fire"}]})
        assert agreement.status_code == 201, agreement.text
        agreement_id = agreement.json()["id"]
        ids = []
        for hour in ("10", "11"):
            created = c.post("/api/incidents", json={
                "title": f"Shelling near Tartar at {hour}", "event_type": "Explosions/Remote violence",
                "sub_type": "Shelling/artillery/missile attack", "start": f"{DAY}T{hour}:00:00+04:00",
                "end": f"{DAY}T{hour}:30:00+04:00", "place_name": "Tartar", "latitude": 40.34,
                "longitude": 46.93, "country": "AZ", "report_ids": ["seed-rep-1"]})
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
            assert c.post(f"/api/incidents/{ids[-1]}/publish").status_code == 200
        assert sum(r["total"] for r in _violations(c, agreement_id)) == 2

        merged = c.post(f"/api/incidents/{ids[0]}/merge", json={"other_id": ids[1], "reason": "one barrage"})
        assert merged.status_code == 200, merged.text
        rows = _violations(c, agreement_id)
        assert sum(r["total"] for r in rows) == 1
        before = {r["party"] for r in rows}

        claim = c.post(f"/api/incidents/{ids[0]}/claims", json={
            "actor_id": "aze-mod", "source_id": "s-aze", "stance": "attributes",
            "proposition": "perpetrator", "value": "ARM", "text": "Armenian forces fired."})
        assert claim.status_code == 201, claim.text
        after = {r["party"] for r in _violations(c, agreement_id)}
    assert after != before and "ARM" in after, (before, after)
