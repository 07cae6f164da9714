"""An analyst's edits to a proposal (issue 11): each bad edit is a 422 naming the
field, and nothing changes (the proposal stays pending, no row, no ledger entry)."""

from __future__ import annotations

import json

import pytest

from truce.store import tables as t

TEXT = "On October 14, artillery shelled Tartar, killing 3 civilians."

BAD_EDITS = [
    ({"start": "0001-01-01"}, "start"),
    ({"start": "abc"}, "start"),
    ({"start": 123}, "start"),
    ({"start": "2020-10-14T99:00"}, "start"),
    ({"place": "x"}, "place"),
    ('{"numbers": [{"value": 1e400}]}', "numbers.0.value"),  # JSON no client writes: sent as text
    ({"relays": "x"}, "relays"),
    ({"link": "inc-nope"}, "link"),
    ({"kind": "bogus"}, "kind"),
    ({"perpetrator": "XYZ"}, "perpetrator"),
    ({"harm": "x"}, "harm"),
    ({"numbers": "x"}, "numbers"),
    ({"title": "x" * 20_000}, "title"),
    ({"title": 123}, "title"),
    ({"colour": "red"}, "colour"),
]


@pytest.fixture(scope="module")
def event_proposal(live) -> str:
    with live.client("analyst1") as analyst:
        answer = analyst.post("/api/ingest", json={"text": TEXT, "published": "2020-10-15",
                                                   "source": "s-news"})
    assert answer.status_code == 201, answer.text
    events = [p["id"] for p in answer.json()["data"] if p["kind"] == "event"]
    assert events, answer.json()
    return events[0]


@pytest.mark.parametrize("edits, field", BAD_EDITS, ids=[f for _e, f in BAD_EDITS])
def test_a_bad_edit_is_refused_naming_the_field_and_changes_nothing(live, event_proposal, edits,
                                                                     field) -> None:
    before = live.counts()
    with live.client("analyst1") as analyst:
        text = edits if isinstance(edits, str) else json.dumps(edits)
        answer = analyst.post(f"/api/proposals/{event_proposal}/accept", content=f'{{"edits": {text}}}',
                              headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"][0]["field"] == field, answer.json()
        still = [p for p in analyst.get("/api/proposals").json()["data"] if p["id"] == event_proposal]
    assert still and still[0]["status"] == "pending"
    assert live.counts() == before
    assert live.count(t.ledger) == before["ledger"]


def test_a_good_edit_is_accepted(live) -> None:
    with live.client("analyst1") as analyst:
        made = analyst.post("/api/ingest", json={"text": TEXT.replace("Tartar", "Barda"),
                                                 "published": "2020-10-15", "source": "s-news"})
        event = next(p for p in made.json()["data"] if p["kind"] == "event")
        answer = analyst.post(f"/api/proposals/{event['id']}/accept",
                              json={"edits": {"start": "2020-10-13", "perpetrator": "ARM", "link": None}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "accepted"


CLAIMS = ("Azerbaijan's defence ministry said Armenian forces shelled Goranboy on October 14, killing 3 "
          "civilians. Armenia denied the shelling.")


@pytest.fixture(scope="module")
def claim_proposals(live) -> dict[str, str]:
    """{proposition: id} of the pending claim proposals of one text."""
    with live.client("analyst1") as analyst:
        answer = analyst.post("/api/ingest", json={"text": CLAIMS, "published": "2020-10-15",
                                                   "source": "s-news"})
        assert answer.status_code == 201, answer.text
        claims = {}
        for p in answer.json()["data"]:
            if p["kind"] == "claim":
                claims.setdefault(p["payload"]["proposition"], p["id"])
    assert {"happened", "perpetrator"} <= claims.keys(), answer.json()
    return claims


@pytest.mark.parametrize(("proposition", "edits"), [
    ("happened", {"value": "X"}),
    ("perpetrator", {"value": None}),
    ("perpetrator", {"proposition": "happened"}),
])
def test_a_claim_edit_its_proposition_cannot_take_is_refused_naming_value(live, claim_proposals, proposition,
                                                                          edits) -> None:
    proposal = claim_proposals[proposition]
    before = live.counts()
    with live.client("analyst1") as analyst:
        answer = analyst.post(f"/api/proposals/{proposal}/accept", json={"edits": edits})
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "value", answer.json()
        still = [p for p in analyst.get("/api/proposals").json()["data"] if p["id"] == proposal]
    assert still and still[0]["status"] == "pending"
    assert live.counts() == before
