"""Who decided is the signed-in principal, never a name the client sends."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from truce.ingest.text import FakeExtractor
from truce.service.review import ingest_text
from truce.store import tables as t
from truce.store.uow import UnitOfWork

TEXT = "Yesterday, the Azerbaijani Defense Ministry said that artillery shelled Tartar."


def _proposals(live, count: int = 2) -> list[str]:
    with UnitOfWork(live.engine, actor="test") as uow:
        ids = []
        while len(ids) < count:
            ids += ingest_text(uow, TEXT, date(2020, 10, 15), "Wire agency", datetime.now(UTC),
                               extractor=FakeExtractor())
        uow.commit()
    return ids


def _ledger_by(live, proposal_id: str) -> list[tuple[str, str, datetime]]:
    with live.engine.connect() as c:
        rows = c.execute(select(t.ledger.c.action, t.ledger.c.actor, t.ledger.c.content,
                                t.ledger.c.at).where(t.ledger.c.record_id == proposal_id)).all()
    return [(row.actor, row.content["by"], row.at) for row in rows
            if row.action.startswith("proposal.") and row.action != "proposal.add"]


def test_decided_by_in_the_body_is_refused_and_the_principal_is_recorded(live):
    accepted, rejected = _proposals(live)[:2]
    before = live.counts()
    with live.client("analyst1") as c:
        forged = c.post(f"/api/proposals/{accepted}/accept", json={"decided_by": "someone-else"})
        assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "decided_by"
        assert live.counts() == before
        ok = c.post(f"/api/proposals/{accepted}/accept", json={})
        no = c.post(f"/api/proposals/{rejected}/reject", json={"reason": "not an incident"})
    assert ok.status_code == 200 and ok.json()["decided_by"] == "analyst1"
    assert no.status_code == 200 and no.json()["decided_by"] == "analyst1"
    # the ledger entry carries the decision's own time, not a later clock reading (the API
    # writes it to the whole second, the ledger keeps its own precision)
    for answer, proposal_id in ((ok, accepted), (no, rejected)):
        decided_at = datetime.fromisoformat(answer.json()["decided_at"])
        assert [(a, b, at.replace(microsecond=0)) for a, b, at in _ledger_by(live, proposal_id)] == \
            [("analyst1", "analyst1", decided_at)]
