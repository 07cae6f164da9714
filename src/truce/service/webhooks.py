"""Deliver alerts to configured webhooks: signed HTTP POSTs, retried with backoff.

A delivery row (``webhook_deliveries``) is written for every (webhook,
alert) in the transaction that raises the alert, so nothing is lost if the
receiver is down: ``deliver_pending`` posts what is due, marks it delivered
on a 2xx answer, and otherwise schedules the next attempt after
``backoff_base_s * 2 ** (attempts - 1)`` seconds (capped at
``backoff_max_s``) until ``max_attempts``, when it is marked failed (kept,
never deleted). ``run_delivery_loop`` does this every ``poll_interval_s``
for the server.

Each POST carries the alert as JSON and the header
``X-Truce-Signature: sha256=<hex HMAC-SHA256 of the raw body with the
webhook's secret>``; the receiver recomputes it to know the body is ours
and unaltered. The body names its delivery id and time, so a receiver can
drop a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import httpx
from sqlalchemy import Engine

from ..domain.exceptions import ValidationError
from ..domain.moments import utc_iso
from ..store.monitoring import StoredAlert
from ..store.uow import UnitOfWork, use_case
from .monitoring_config import WebhookConfig, get_monitoring_config
from .records import plain

__all__ = [
    "DeliveryResult", "SIGNATURE_HEADER", "add_webhook", "alert_body", "deliver_pending",
    "enqueue_alert", "run_delivery_loop", "sign",
]

SIGNATURE_HEADER = "X-Truce-Signature"


@dataclass(frozen=True)
class DeliveryResult:
    delivered: int
    retrying: int
    failed: int


def sign(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@use_case
def add_webhook(uow: UnitOfWork, url: str, secret: str, now: datetime) -> str:
    """Register a receiver; returns its id. The secret is stored, never ledgered or shown."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationError(f"{url!r} is not an http(s) URL", field="url")
    if len(secret) < 16:
        raise ValidationError("the secret must be at least 16 characters", field="secret")
    webhook_id = f"wh-{uuid.uuid4().hex[:12]}"
    uow.monitoring.add_webhook(webhook_id, url, secret, now)
    uow.record("webhook.add", webhook_id, {"url": url})
    return webhook_id


def enqueue_alert(uow: UnitOfWork, alert_id: str, now: datetime) -> int:
    """Queue one delivery of the alert per active webhook; returns how many."""
    store = uow.monitoring
    hooks = store.webhooks()
    for hook in hooks:
        store.enqueue(hook["id"], alert_id, now)
    if hooks:
        uow.record("webhook.enqueue", alert_id, {"webhooks": [h["id"] for h in hooks]})
    return len(hooks)


def alert_body(stored: StoredAlert, delivery_id: int, now: datetime) -> bytes:
    from .alerts import alert_fields

    content = {"delivery": delivery_id, "sent_at": utc_iso(now), "alert": plain(alert_fields(stored), moment=utc_iso)}
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def _backoff(attempts: int, config: WebhookConfig) -> timedelta:
    return timedelta(seconds=min(config.backoff_base_s * 2 ** (attempts - 1), config.backoff_max_s))


@use_case
def deliver_pending(uow: UnitOfWork, now: datetime, *, client: httpx.Client | None = None,
                    config: WebhookConfig | None = None) -> DeliveryResult:
    """POST every delivery that is due; record each outcome (ledgered)."""
    config = config or get_monitoring_config().webhooks
    store = uow.monitoring
    own = client is None
    client = client or httpx.Client(timeout=config.timeout_s)
    delivered = retrying = failed = 0
    try:
        for d in store.due_deliveries(now):
            body = alert_body(store.alert(d["alert_id"]), d["id"], now)
            headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(d["secret"], body),
                       "X-Truce-Delivery": str(d["id"])}
            attempts = d["attempts"] + 1
            try:
                response = client.post(d["url"], content=body, headers=headers)
                error = None if response.is_success else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            if error is None:
                store.update_delivery(d["id"], status="delivered", attempts=attempts,
                                      delivered_at=now, last_error=None)
                delivered += 1
            elif attempts >= config.max_attempts:
                store.update_delivery(d["id"], status="failed", attempts=attempts, last_error=error)
                failed += 1
            else:
                store.update_delivery(d["id"], attempts=attempts, last_error=error,
                                      next_attempt_at=now + _backoff(attempts, config))
                retrying += 1
            uow.record("webhook.attempt", str(d["id"]), {
                "alert": d["alert_id"], "webhook": d["webhook_id"], "attempt": attempts,
                "error": error})
    finally:
        if own:
            client.close()
    return DeliveryResult(delivered, retrying, failed)


def run_delivery_loop(engine: Engine, stop: threading.Event, *,
                      config: WebhookConfig | None = None) -> None:
    """Deliver what is due every ``poll_interval_s`` until ``stop`` is set.

    For the server: ``threading.Thread(target=run_delivery_loop, args=(engine, stop),
    daemon=True).start()`` at start-up, ``stop.set()`` at shutdown.
    """
    config = config or get_monitoring_config().webhooks
    with httpx.Client(timeout=config.timeout_s) as client:
        while not stop.is_set():
            try:
                with UnitOfWork(engine, actor="webhook-delivery") as uow:
                    deliver_pending(uow, datetime.now(UTC), client=client, config=config)
            except Exception:  # noqa: BLE001 - the loop must outlive one bad round
                import logging

                logging.getLogger(__name__).exception("webhook delivery round failed")
            stop.wait(config.poll_interval_s)
