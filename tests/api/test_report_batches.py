"""Report submissions waiting at the same moment are stored by one group
commit, through real HTTP: every one answered 201 is stored and ledgered as
if alone, a bad one among them is refused without hurting the others, and a
report sent twice at once is stored once."""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from truce.store import causes, ledger, reconcile
from truce.store import tables as t


def _writer(live):
    return live._server.config.app.state.group_commit


def _post_all(live, bodies: list[tuple[str, dict]]) -> list:
    """POST each (user, body) at once, while the write lock is held by another
    connection, so that they queue and are stored together once it is released."""
    holder = sqlite3.connect(live.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    clients = {user: live.client(user) for user, _b in bodies}
    try:
        with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            pending = [pool.submit(clients[user].post, "/api/reports", json=body) for user, body in bodies]
            time.sleep(0.8)  # all of them sent and waiting (the lock timeout is 2 s)
            holder.rollback()
            return [f.result() for f in pending]
    finally:
        holder.close()
        for client in clients.values():
            client.close()


def _ledger_is_whole(live) -> None:
    with live.engine.connect() as c:
        assert ledger.verify(c).ok
        assert list(reconcile.reconcile(c)) == []
        assert list(causes.unexplained(c)) == []


def test_concurrent_submissions_are_all_stored_once_and_ledgered_as_if_alone(live, signed):
    with live.client("obs1") as client:  # the observers' source exists (the first report makes it)
        assert client.post("/api/reports", json=signed()).status_code == 201
    bodies = [("obs1" if n % 2 else "obs2", signed("obs1" if n % 2 else "obs2")) for n in range(12)]
    answers = _post_all(live, bodies)
    assert [a.status_code for a in answers] == [201] * 12, [a.text for a in answers if a.status_code != 201]
    assert _writer(live).largest > 1  # they were stored together
    ids = [b["id"] for _u, b in bodies]
    with live.engine.connect() as c:
        stored = c.execute(select(t.reports.c.id, t.reports.c.observer_id).where(t.reports.c.id.in_(ids))).all()
        entries = c.execute(select(t.ledger.c.seq, t.ledger.c.action, t.ledger.c.record_id, t.ledger.c.actor,
                                   t.ledger.c.cause)
                            .where(t.ledger.c.record_id.in_(ids + [f"reports/{i}" for i in ids]))
                            .order_by(t.ledger.c.seq)).all()
    assert {r.id: r.observer_id for r in stored} == {b["id"]: live.ids[u] for u, b in bodies}
    assert len(entries) == 24
    for added, row in zip(entries[::2], entries[1::2], strict=True):
        assert (added.action, row.action) == ("report.add", "row.insert")
        assert row.record_id == f"reports/{added.record_id}" and row.cause == added.seq
        assert row.seq == added.seq + 1 and row.actor == added.actor
    owner = {b["id"]: u for u, b in bodies}
    assert all(e.actor == owner[e.record_id] for e in entries[::2])
    _ledger_is_whole(live)


def test_a_bad_submission_among_others_is_refused_alone(live, signed):
    stored = signed()
    with live.client("obs1") as client:
        assert client.post("/api/reports", json=stored).status_code == 201
    tampered = signed()
    tampered["summary"] = "Changed after signing."
    twice = signed()
    good = [signed(), signed("obs2"), signed()]
    answers = _post_all(live, [
        ("obs1", good[0]),
        ("obs1", tampered),  # refused by its checks: 422, before the lock
        ("obs1", signed(id=stored["id"], summary="Other content.")),  # same id, other content: 409
        ("obs2", good[1]),
        ("obs2", signed("obs2", corrects=stored["id"])),  # corrects another observer's report: 422
        ("obs1", twice), ("obs1", twice),  # the same report twice at once: stored once
        ("obs1", good[2]),
    ])
    codes = [a.status_code for a in answers]
    assert codes[:5] == [201, 422, 409, 201, 422] and codes[5:] == [201, 201, 201], [a.text for a in answers]
    assert answers[1].json()["errors"][0]["field"] == "signature"
    assert answers[2].json()["errors"][0]["field"] == "id"
    assert answers[4].json()["errors"][0]["field"] == "corrects"
    assert sorted(a.headers.get("idempotent-replayed", "") for a in answers[5:7]) == ["", "true"]
    assert answers[5].json() == answers[6].json()
    with live.engine.connect() as c:
        ids = set(c.execute(select(t.reports.c.id)).scalars())
        twice_entries = c.execute(select(t.ledger.c.action).where(
            t.ledger.c.record_id.in_([twice["id"], f"reports/{twice['id']}"]))).scalars().all()
    assert {g["id"] for g in good} | {twice["id"], stored["id"]} <= ids
    assert tampered["id"] not in ids
    assert sorted(twice_entries) == ["report.add", "row.insert"]
    _ledger_is_whole(live)
