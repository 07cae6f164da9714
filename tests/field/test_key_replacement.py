"""An observer replaces the device's key in the field app, in Debian's
Chromium: a report made offline and still queued is sent first (signed
with the old key, it must reach the server while that key is valid), the
key is not replaced while the server is out of reach, and after the
replacement reports are signed with the new key. Every report verifies on
the server against the key valid when it was received, and the server
shows the key history. Screenshots of the key screen under
tests/artifacts/field/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from field_helpers import (
    DESKTOP,
    choose_kind,
    finalise,
    new_device,
    outbox_states,
    shot,
    type_position,
    wait_all_received,
)
from sqlalchemy import select
from typer.testing import CliRunner

from truce.cli import app
from truce.service import key_audit
from truce.store import tables as t

pytestmark = pytest.mark.browser
NAME = "web-obs-rekey"
CATALOGUES = Path(__file__).parents[2] / "src" / "truce" / "web" / "static" / "field" / "i18n"


def _calm_report(page, summary: str) -> str:
    page.evaluate("location.hash = '#report'")
    page.wait_for_selector("#screen-report:not([hidden])")
    choose_kind(page, "situation")
    page.click("#now")
    type_position(page, 40.21, 46.81)
    page.fill("#summary", summary)
    finalise(page)
    assert page.locator("#problems").is_hidden()
    return page.evaluate("""async (s) => { const { items } = await import('/field/js/outbox.js');
      return (await items()).find((i) => i.body.summary === s).id; }""", summary)


def _replace_key(page) -> str:
    page.evaluate("location.hash = '#key'")
    page.wait_for_selector("#screen-key:not([hidden])")
    before = page.text_content("#key-status")
    page.click("#key-submit")
    page.wait_for_function("(b) => { const s = document.querySelector('#key-status');"
                           " return s.dataset.outcome !== 'working' && s.textContent !== b; }", arg=before,
                           timeout=60_000)
    return page.eval_on_selector("#key-status", "s => s.dataset.outcome")


def _device_key(page) -> str:
    return page.evaluate("window.truceField.device.publicKey")


def test_replacing_the_key_keeps_every_report_verifying_and_the_server_shows_the_history(field_server, browser):
    context, page = new_device(browser, field_server, NAME)
    first_key = _device_key(page)
    sent_first = _calm_report(page, "Calm at the checkpoint; signed with the first key.")
    wait_all_received(page, 1)

    context.set_offline(True)
    queued = _calm_report(page, "Calm overnight; made offline, queued.")
    assert outbox_states(page)[queued] == "queued"
    assert _replace_key(page) == "offline"  # nothing can be asked: the old key stays
    assert "cannot be reached" in page.text_content("#key-status")
    assert _device_key(page) == first_key
    shot(page, "key-offline")

    context.set_offline(False)
    page.fill("#key-reason", "Quarterly key rotation")
    assert _replace_key(page) == "done", page.text_content("#key-status")
    second_key = _device_key(page)
    assert second_key != first_key
    assert page.locator(f"#key-history li[data-key='{first_key}']").count() == 1
    assert page.text_content("#key-info [data-fact=key]") == second_key
    assert page.evaluate("window.truceField.device.nextKey") is None
    shot(page, "key")
    page.set_viewport_size(DESKTOP)
    shot(page, "key")
    page.set_viewport_size({"width": 390, "height": 844})
    assert outbox_states(page)[queued] == "received"  # sent before the key changed

    sent_after = _calm_report(page, "Calm in the afternoon; signed with the new key.")
    wait_all_received(page, 3)
    page.evaluate("location.hash = '#device'")
    page.wait_for_selector("#device-info [data-fact=key]")
    assert page.text_content("#device-info [data-fact=key]") == second_key
    assert page.errors == []

    page.reload()  # the new key is the one kept on the device
    page.wait_for_selector("body[data-ready=true]")
    assert _device_key(page) == second_key
    context.close()

    with field_server.client("field-analyst") as staff:
        history = staff.get(f"/api/users/{NAME}/keys").json()["data"]
    assert [k["public_key"] for k in history] == [first_key, second_key]
    assert history[0]["valid_until"] == history[1]["valid_from"] and history[1]["valid_until"] is None
    assert history[1]["reason"] == "Quarterly key rotation" and history[1]["added_by"] == NAME

    engine = field_server.engine()
    with engine.connect() as c:
        rows = c.execute(select(t.reports.c.id, t.reports.c.observer_id, t.reports.c.received, t.reports.c.payload,
                                t.reports.c.signature).where(t.reports.c.id.in_([sent_first, queued, sent_after]))
                         ).all()
        signed_by = {r.id: key_audit.report_signature(c, r.observer_id, r.received, r.payload, r.signature)
                     for r in rows}
        findings = [str(f) for f in key_audit.audit(c) if NAME in str(f) or f.key in signed_by]
    engine.dispose()
    assert {i: k.public_key for i, k in signed_by.items() if k} == {
        sent_first: first_key, queued: first_key, sent_after: second_key}
    assert findings == []
    verified = CliRunner().invoke(app, ["ledger", "verify", "--db", field_server.db_url])
    assert NAME not in verified.output and queued not in verified.output, verified.output


def test_the_key_stays_while_reports_wait_or_the_server_refuses_and_a_lost_answer_is_recovered(field_server, browser):
    context, page = new_device(browser, field_server, "web-obs-rekey-2")
    first_key = _device_key(page)
    page.route("**/api/reports", lambda route: route.abort())  # the report cannot get through
    waiting = _calm_report(page, "Calm; this one cannot get through yet.")
    assert _replace_key(page) == "waiting"
    assert "1 report(s) signed with the current key are still waiting" in page.text_content("#key-status")
    assert _device_key(page) == first_key
    page.unroute("**/api/reports")

    refusal = {"type": "about:blank", "title": "Unprocessable", "status": 422, "detail": "no",
               "errors": [{"field": "signature", "reason": "the signature does not verify"}]}
    page.route("**/api/users/me/key", lambda route: route.fulfill(
        status=422, content_type="application/problem+json", json=refusal))
    assert _replace_key(page) == "refused"
    assert "the signature does not verify" in page.text_content("#key-status")
    assert _device_key(page) == first_key and page.evaluate("window.truceField.device.nextKey") is None
    assert outbox_states(page)[waiting] == "received"  # sent on the way
    page.unroute("**/api/users/me/key")

    def lose_the_answer(route):
        route.fetch()  # the server takes the new key ...
        route.abort()  # ... and the answer never arrives

    page.route("**/api/users/me/key", lose_the_answer)
    assert _replace_key(page) == "done"  # the device asked the server which key it holds
    page.unroute("**/api/users/me/key")
    with field_server.client("field-analyst") as staff:
        history = staff.get("/api/users/web-obs-rekey-2/keys").json()["data"]
    assert [k["public_key"] for k in history] == [first_key, _device_key(page)]
    after = _calm_report(page, "Calm; signed with the key whose answer was lost.")
    wait_all_received(page, 2)
    assert outbox_states(page)[after] == "received"
    context.close()


def test_the_key_screen_speaks_russian(field_server, browser):
    context, page = new_device(browser, field_server, "web-obs-rekey-ru")
    page.select_option("#lang", "ru")
    page.wait_for_function("document.documentElement.lang === 'ru'")
    page.evaluate("location.hash = '#key'")
    page.wait_for_selector("#screen-key:not([hidden])")
    assert page.text_content("#key-h") == "Замена ключа подписи"
    assert page.input_value("#key-reason") == "Плановая замена ключа устройства"
    english = json.loads(CATALOGUES.joinpath("en.json").read_text("utf-8"))
    russian = json.loads(CATALOGUES.joinpath("ru.json").read_text("utf-8"))
    assert set(english) == set(russian)
    untranslated = page.eval_on_selector_all(
        "#screen-key [data-i18n], #screen-device [data-i18n], #screen-enrol [data-i18n]",
        "(els, en) => els.filter(e => e.textContent === en[e.dataset.i18n]).map(e => e.dataset.i18n)", english)
    assert untranslated == []
    page.context.set_offline(True)
    page.click("#key-submit")
    page.wait_for_function("document.querySelector('#key-status').dataset.outcome === 'offline'")
    assert "Сервер недоступен" in page.text_content("#key-status")
    shot(page, "key-ru")
    context.close()
