"""The field app's server side over real HTTP: enrolment with one-time
codes, revocation, tasks, resumable uploads, receipts; and the CLI."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from field_helpers import enrol_with_key, make_report
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from truce.cli import app
from truce.service.signing import public_key_text, sign, verify
from truce.store import tables as t

runner = CliRunner()


def _count(server, table) -> int:
    engine = server.engine()
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(table)).scalar_one()
    engine.dispose()
    return n


def test_an_enrolment_code_registers_the_device_key_once(field_server):
    key, token = enrol_with_key(field_server, "api-obs-enrol")
    with field_server.client(token=token) as device:
        assert device.get("/api/users/me").json()["has_signing_key"] is True
        sent = device.post("/api/reports", json=sign(make_report(), key))
        assert sent.status_code == 201, sent.text
    with field_server.client("field-admin") as admin:
        made = admin.post("/api/users/api-obs-enrol/enrolment", json={}).json()
        code = made["code"]
        # a second device of an observer who has a key: one admin alone cannot make it work
        assert admin.post(f"/api/users/changes/{made['approval']}/approve").status_code == 403
    other = Ed25519PrivateKey.generate()
    with field_server.client() as device:
        waiting = device.post("/api/enrol", json={"code": code, "public_key": public_key_text(other)})
    assert waiting.status_code == 422 and "second admin" in waiting.json()["detail"]
    with field_server.client("field-admin-2") as second:
        assert second.post(f"/api/users/changes/{made['approval']}/approve").status_code == 200
    with field_server.client() as device:
        assert device.post("/api/enrol", json={"code": code, "public_key": public_key_text(other)}
                           ).status_code == 201
        again = device.post("/api/enrol", json={"code": code, "public_key": public_key_text(other)})
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "code", "reason": "this enrolment code was already used"}]


def test_unknown_and_expired_codes_are_refused_and_change_nothing(field_server):
    key = public_key_text(Ed25519PrivateKey.generate())
    with field_server.client("field-admin") as admin:
        code = admin.post("/api/users/api-obs-expired/enrolment", json={"valid_minutes": 1}).json()["code"]
    engine = field_server.engine()
    with engine.begin() as c:  # an hour passes
        c.execute(update(t.enrolments).where(t.enrolments.c.used_at.is_(None))
                  .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    engine.dispose()
    before = _count(field_server, t.ledger)
    with field_server.client() as device:
        expired = device.post("/api/enrol", json={"code": code, "public_key": key})
        unknown = device.post("/api/enrol", json={"code": "AAAA-BBBB-CCCC", "public_key": key})
        bad_key = device.post("/api/enrol", json={"code": code, "public_key": "not a key"})
    assert expired.status_code == 422 and "expired" in expired.json()["detail"]
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "code"
    assert bad_key.status_code == 422
    assert expired.headers["content-type"].startswith("application/problem+json")
    assert _count(field_server, t.ledger) == before


def test_a_revoked_device_can_send_nothing_and_its_earlier_reports_still_verify(field_server):
    key, token = enrol_with_key(field_server, "api-obs-lost")
    body = sign(make_report(), key)
    with field_server.client(token=token) as device:
        assert device.post("/api/reports", json=body).status_code == 201
    with field_server.client("field-admin") as admin:
        revoked = admin.post("/api/users/api-obs-lost/revoke")
    assert revoked.status_code == 200 and revoked.json()["public_key"] is None
    with field_server.client(token=token) as device:
        assert device.post("/api/reports", json=sign(make_report(), key)).status_code == 401
    engine = field_server.engine()
    with engine.connect() as c:
        stored = c.execute(select(t.reports.c.payload, t.reports.c.signature)
                           .where(t.reports.c.id == body["id"])).one()
        ended = c.execute(select(t.ledger.c.content).where(t.ledger.c.action == "user.revoke")
                          .order_by(t.ledger.c.seq.desc())).scalars().first()
    engine.dispose()
    assert ended["public_key"] == public_key_text(key)
    assert verify({**stored.payload["report"], "signature": stored.signature}, ended["public_key"])
    # a new device enrols and sends again
    key2, token2 = enrol_with_key(field_server, "api-obs-lost")
    with field_server.client(token=token2) as device:
        assert device.post("/api/reports", json=sign(make_report(), key2)).status_code == 201
        assert device.post("/api/reports", json=sign(make_report(), key)).status_code == 422  # old key


def test_tasks_reach_their_observer_and_collect_the_reports_that_answer_them(field_server):
    key, token = enrol_with_key(field_server, "api-obs-task")
    _key_b, token_b = enrol_with_key(field_server, "api-obs-other")
    window = {"window_start": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
              "window_end": (datetime.now(UTC) + timedelta(hours=6)).isoformat()}
    with field_server.client("field-analyst") as analyst:
        made = analyst.post("/api/tasks", json={
            "title": "Check the Aghdam road", "look_for": "fresh craters, damage to the bridge",
            "place_name": "Aghdam", "latitude": 39.99, "longitude": 46.93, "radius_m": 2000,
            "observer": "api-obs-task", **window})
        assert made.status_code == 201, made.text
        task = made.json()
        bad = analyst.post("/api/tasks", json={"title": "x", "look_for": "y", "latitude": 10.0,
                                               "longitude": 10.0, **window})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "latitude"
    with field_server.client(token=token) as observer:
        mine = observer.get("/api/tasks").json()["data"]
        assert task["id"] in [x["id"] for x in mine]
        answer = sign(make_report(task=task["id"], summary="Road checked: two new craters."), key)
        assert observer.post("/api/reports", json=answer).status_code == 201
    with field_server.client(token=token_b) as other:
        assert task["id"] not in [x["id"] for x in other.get("/api/tasks").json()["data"]]
        assert other.get(f"/api/tasks/{task['id']}").status_code == 404
    with field_server.client("field-liaison") as liaison:
        assert liaison.get("/api/tasks").status_code == 403
    with field_server.client("field-analyst") as analyst:
        assert analyst.get(f"/api/tasks/{task['id']}").json()["reports"] == [answer["id"]]
        assert analyst.post(f"/api/tasks/{task['id']}/close").json()["status"] == "closed"
    with field_server.client(token=token) as observer:
        late = observer.post("/api/reports", json=sign(make_report(task=task["id"]), key))
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "task"


def test_an_upload_resumes_from_the_offset_the_server_has(field_server):
    key, token = enrol_with_key(field_server, "api-obs-upload")
    photo = os.urandom(250_000)
    sha = hashlib.sha256(photo).hexdigest()
    body = sign(make_report(evidence=[sha]), key)
    with field_server.client(token=token) as device:
        assert device.post("/api/reports", json=body).status_code == 201
        too_big = device.post("/api/uploads", json={"report_id": body["id"], "sha256": sha,
                                                    "size": 10_000_000, "content_type": "image/jpeg"})
        assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "size"
        started = device.post("/api/uploads", json={"report_id": body["id"], "sha256": sha,
                                                    "size": len(photo), "content_type": "image/jpeg",
                                                    "filename": "crater.jpg"})
        assert started.status_code == 201, started.text
        upload = started.json()
        url = f"/api/uploads/{upload['id']}"
        octets = {"Content-Type": "application/octet-stream"}
        first = device.patch(url, params={"offset": 0}, content=photo[:100_000], headers=octets)
        assert first.json()["offset"] == 100_000 and not first.json()["complete"]
        stale = device.patch(url, params={"offset": 0}, content=photo[:100_000], headers=octets)
        assert stale.status_code == 409 and "100000" in stale.json()["detail"]
        # the connection dropped: the device asks where to resume
        resumed = device.post("/api/uploads", json={"report_id": body["id"], "sha256": sha,
                                                    "size": len(photo), "content_type": "image/jpeg"})
        assert resumed.status_code == 200 and resumed.json()["offset"] == 100_000
        last = device.patch(url, params={"offset": 100_000}, content=photo[100_000:], headers=octets)
        assert last.status_code == 200 and last.json()["complete"] is True
        receipt = device.get("/api/field/receipts", params={"ids": body["id"]}).json()["data"][0]
    assert receipt["evidence"] == [sha] and receipt["ledger_seq"] > 0
    stored = field_server.evidence_dir / sha[:2] / sha
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha


def test_an_upload_whose_bytes_do_not_match_the_hash_is_refused(field_server):
    key, token = enrol_with_key(field_server, "api-obs-badhash")
    photo = os.urandom(5_000)
    sha = hashlib.sha256(photo).hexdigest()
    body = sign(make_report(), key)
    with field_server.client(token=token) as device:
        device.post("/api/reports", json=body)
        upload = device.post("/api/uploads", json={"report_id": body["id"], "sha256": sha, "size": 5_000,
                                                   "content_type": "image/png"}).json()
        wrong = device.patch(f"/api/uploads/{upload['id']}", params={"offset": 0}, content=os.urandom(5_000),
                             headers={"Content-Type": "application/octet-stream"})
        assert wrong.status_code == 422 and sha in wrong.json()["detail"]
        assert device.get(f"/api/uploads/{upload['id']}").json()["offset"] == 0
        assert device.get("/api/field/receipts", params={"ids": body["id"]}).json()["data"][0]["evidence"] == []


def test_field_rules_give_the_device_the_server_schema_and_limits(field_server):
    with field_server.client() as anyone:
        rules = anyone.get("/api/field/rules").json()
    assert rules["max_upload_bytes"] == 3_000_000
    assert set(rules["schema"]["properties"]) >= {"id", "kind", "observed_at", "position", "task"}
    assert rules["theatre"]["south"] < 40 < rules["theatre"]["north"]
    assert "ARM" in rules["parties"]


def test_cli_enrol_prints_a_code_and_a_qr_code_and_revoke_ends_the_key(field_server):
    db = ["--db", field_server.db_url]
    admin = ["--token", field_server.tokens["field-admin"]]
    made = runner.invoke(app, ["users", "enrol", "cli-obs-1", "--valid-minutes", "5",
                               "--server", "https://hq.example", *admin, *db])
    assert made.exit_code == 0, made.output
    code = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", made.output).group()
    assert f"https://hq.example/field/#enrol={code}" in made.output
    assert made.output.count("█") > 100  # the QR code, drawn
    key = Ed25519PrivateKey.generate()
    with field_server.client() as device:
        assert device.post("/api/enrol", json={"code": code, "public_key": public_key_text(key)}
                           ).status_code == 201
    revoked = runner.invoke(app, ["users", "revoke", "cli-obs-1", *admin, *db])
    assert revoked.exit_code == 0 and "ended" in revoked.output
    nobody = runner.invoke(app, ["users", "revoke", "no-such-user", *admin, *db])
    assert nobody.exit_code != 0


def test_cli_tasks_add_and_list(field_server):
    db = ["--db", field_server.db_url, "--token", field_server.tokens["field-analyst"]]
    added = runner.invoke(app, ["tasks", "add", "Check Martuni", "--look-for", "outgoing fire",
                                "--from", "2020-10-15T06:00+04:00", "--to", "2020-10-15T18:00+04:00",
                                "--place", "Martuni", "--lat", "39.79", "--lon", "47.11", *db])
    assert added.exit_code == 0, added.output
    task_id = re.search(r"task-[0-9a-f]{16}", added.output).group()
    listed = runner.invoke(app, ["tasks", "list", "--status", "open", *db[:2]])
    assert task_id[:11] in listed.output and "Martuni" in listed.output
    naive = runner.invoke(app, ["tasks", "add", "x", "--look-for", "y", "--from", "2020-10-15T06:00",
                                "--to", "2020-10-15T18:00+04:00", *db])
    assert naive.exit_code != 0


def test_cli_tasks_add_refuses_a_window_outside_the_records_calendar(field_server):
    from cli_main import run_main
    from truce.store.engine import make_engine

    def ledger_size() -> int:
        with make_engine(field_server.db_url).connect() as c:
            return c.exec_driver_sql("SELECT count(*) FROM ledger").scalar_one()

    before = ledger_size()
    done = run_main("tasks", "add", "Old", "--look-for", "y", "--from", "0001-01-01T00:00+00:00",
                    "--to", "0001-01-02T00:00+00:00", "--token", field_server.tokens["field-analyst"],
                    "--db", field_server.db_url)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    # named as the command's option, as every input moment is read (``bounds.parse_moment``)
    assert "from: 0001-01-01 is outside the dates records can have" in done.stderr, done.stderr
    assert ledger_size() == before
