"""Alerts reach a real HTTP receiver on loopback, signed; none is lost while it is down."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from truce.domain.alerts import Alert, AlertKind
from truce.domain.exceptions import ValidationError
from truce.service.monitoring_config import WebhookConfig
from truce.service.webhooks import SIGNATURE_HEADER, add_webhook, deliver_pending, enqueue_alert
from truce.store.uow import UnitOfWork

SECRET = "s3cret-for-the-test-receiver"
NOW = datetime(2020, 10, 14, 9, tzinfo=UTC)
CONFIG = WebhookConfig(max_attempts=5, backoff_base_s=30, backoff_max_s=600, timeout_s=2)


class Receiver:
    """A real HTTP server that checks the HMAC of each POST it receives."""

    def __init__(self, port: int = 0):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(expected, self.headers.get(SIGNATURE_HEADER, ""))
                received.append((json.loads(body), valid))
                self.send_response(204 if valid else 401)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_alert(engine, url: str) -> str:
    with UnitOfWork(engine, actor="test") as uow:
        add_webhook(uow, url, SECRET, NOW)
        alert = Alert("al-test", AlertKind.NEW_GEOGRAPHY, NOW, "First strike inside Armenia",
                      ("inc-20201014-arm-launchers",), sector="Fuzuli")
        uow.monitoring.add_alert(alert)
        assert enqueue_alert(uow, alert.id, NOW) == 1
        uow.commit()
    return alert.id


def deliver(engine, now: datetime):
    with UnitOfWork(engine, actor="test") as uow:
        result = deliver_pending(uow, now, config=CONFIG)
        uow.commit()
    with UnitOfWork(engine) as uow:
        return result, uow.monitoring.deliveries()


def test_alert_is_delivered_with_a_valid_hmac(engine):
    receiver = Receiver()
    try:
        raise_alert(engine, f"http://127.0.0.1:{receiver.port}/hook")
        result, rows = deliver(engine, NOW)
    finally:
        receiver.stop()
    assert (result.delivered, rows[0]["status"], rows[0]["attempts"]) == (1, "delivered", 1)
    (body, valid), = receiver.received
    assert valid and body["alert"]["id"] == "al-test"
    assert body["alert"]["incident_ids"] == ["inc-20201014-arm-launchers"]
    # the fields and the sector's neutral name every other output gives
    assert (body["alert"]["sector"], body["alert"]["sector_key"]) == ("Varanda / Fuzuli", "Fuzuli")
    assert body["alert"]["event_at"].endswith("Z") and "when" not in body["alert"]


def test_delivery_waits_while_the_receiver_is_down_and_arrives_when_it_is_up(engine):
    port = free_port()  # nothing listens here yet
    raise_alert(engine, f"http://127.0.0.1:{port}/hook")
    result, rows = deliver(engine, NOW)
    assert (result.retrying, rows[0]["status"], rows[0]["attempts"]) == (1, "pending", 1)
    assert rows[0]["last_error"] and rows[0]["next_attempt_at"] == NOW + timedelta(seconds=30)

    result, rows = deliver(engine, NOW + timedelta(seconds=10))  # not yet due: untouched
    assert (result.delivered, result.retrying, rows[0]["attempts"]) == (0, 0, 1)

    receiver = Receiver(port)
    try:
        result, rows = deliver(engine, NOW + timedelta(seconds=31))
    finally:
        receiver.stop()
    assert (result.delivered, rows[0]["status"], rows[0]["attempts"]) == (1, "delivered", 2)
    assert [valid for _, valid in receiver.received] == [True]


def test_delivery_fails_for_good_after_max_attempts_and_is_kept(engine):
    raise_alert(engine, f"http://127.0.0.1:{free_port()}/hook")
    moment = NOW
    for _ in range(CONFIG.max_attempts):
        result, rows = deliver(engine, moment)
        moment += timedelta(seconds=CONFIG.backoff_max_s)
    assert (result.failed, rows[0]["status"], rows[0]["attempts"]) == (1, "failed", 5)


def test_webhook_needs_an_http_url_and_a_long_secret(engine):
    with UnitOfWork(engine) as uow:
        with pytest.raises(ValidationError):
            add_webhook(uow, "ftp://example.org/x", SECRET, NOW)
        with pytest.raises(ValidationError):
            add_webhook(uow, "http://127.0.0.1/x", "short", NOW)
