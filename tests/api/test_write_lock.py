"""A write that cannot get the database's lock answers 503 with Retry-After
(never 500, nothing written) while every other request is still served; the
same request sent again after the lock is released is stored once."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from truce.store import tables as t


def _database_file(live) -> str:
    return live.engine.url.database


def test_held_write_lock_gives_503_while_health_and_reads_answer(live, signed) -> None:
    bodies = [signed() for _ in range(3)]
    before = live.count(t.reports)
    holder = sqlite3.connect(_database_file(live), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write, say an import
    try:
        with ThreadPoolExecutor(max_workers=3) as pool, live.client("obs1") as client, \
                live.client() as public:
            pending = [pool.submit(client.post, "/api/reports", json=b) for b in bodies]
            health = public.get("/api/health")
            ready = public.get("/api/health/ready")
            listed = public.get("/api/incidents")
            still_waiting = [not f.done() for f in pending]
            answers = [f.result() for f in pending]
    finally:
        holder.rollback()
        holder.close()
    assert (health.status_code, ready.status_code, listed.status_code) == (200, 200, 200)
    assert any(still_waiting), "health answered only after the blocked writes gave up"
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert int(answer.headers["retry-after"]) >= 1
        assert answer.json()["status"] == 503 and "retry" in answer.json()["detail"]
    assert live.count(t.reports) == before

    with live.client("obs1") as client:
        retried = [client.post("/api/reports", json=b) for b in bodies]
        again = client.post("/api/reports", json=bodies[0])
    assert [r.status_code for r in retried] == [201, 201, 201]
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert live.count(t.reports) == before + 3


def test_liveness_needs_no_database_and_readiness_names_the_schema(live) -> None:
    with live.client() as public:
        alive = public.get("/api/health")
        ready = public.get("/api/health/ready")
    assert alive.json() == {"status": "ok"}
    body = ready.json()
    assert body["status"] == "ready" and body["database"] == "sqlite"
    assert body["schema_revision"]


def test_an_ingest_under_a_held_lock_is_refused_after_the_lock_timeout_not_after_extracting(live) -> None:
    """The lock timeout bounds the whole answer: the text is not extracted first."""
    import time

    before = live.count(t.proposals)
    holder = sqlite3.connect(_database_file(live), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with live.client("analyst1") as analyst:
            started = time.monotonic()
            answer = analyst.post("/api/ingest", json={
                "text": "Artillery shelled Tartar yesterday. " * 200, "published": "2020-10-15",
                "source": "Wire under lock", "new_source": True})
            took = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json" and answer.headers["retry-after"]
    assert took < live.settings.db_lock_timeout_s + 1.5, took
    assert live.count(t.proposals) == before


def test_under_a_held_lock_no_write_waits_longer_than_the_lock_timeout(live, signed) -> None:
    """Reports sent one after another while the lock is held, and a task: each is
    answered 503 within the lock timeout of its sending, whether it waited in the
    queue of writers, behind an earlier batch, or in SQLite's busy handler."""
    import time

    timeout = live.settings.db_lock_timeout_s
    holder = sqlite3.connect(_database_file(live), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    def timed(post, path: str, body: dict) -> tuple[int, float]:
        started = time.monotonic()
        answer = post(path, json=body)
        return answer.status_code, time.monotonic() - started

    try:
        with ThreadPoolExecutor(max_workers=7) as pool, live.client("obs1") as observer, \
                live.client("analyst1") as analyst:
            pending = []
            for _ in range(6):
                pending.append(pool.submit(timed, observer.post, "/api/reports", signed()))
                time.sleep(timeout / 5)
            now = datetime.now(UTC)
            pending.append(pool.submit(timed, analyst.post, "/api/tasks", {
                "title": "Check the crater", "look_for": "impacts", "latitude": 40.34,
                "longitude": 46.93, "radius_m": 500, "window_start": now.isoformat(),
                "window_end": (now + timedelta(hours=6)).isoformat()}))
            answers = [f.result() for f in pending]
    finally:
        holder.rollback()
        holder.close()
    assert [status for status, _took in answers] == [503] * 7, answers
    assert max(took for _status, took in answers) < timeout + 0.75, answers
