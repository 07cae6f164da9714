"""The field app in Debian's Chromium against a real server: reports made
offline survive a reload, are stored exactly once when the network is
back, with signatures and evidence hashes that check on the server; a
server stopped during sync loses and duplicates nothing; with the server
stopped the app still opens from its service worker and takes reports."""

from __future__ import annotations

import hashlib

import pytest
from field_helpers import (
    choose_kind,
    finalise,
    new_device,
    open_outbox,
    outbox_states,
    photo_bytes,
    shot,
    type_position,
    wait_all_received,
)
from sqlalchemy import func, select

from truce.service.signing import verify
from truce.store import tables as t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _stored(server, ids):
    """id -> (rows with that id, payload, signature, signer's key)."""
    engine = server.engine()
    with engine.connect() as c:
        out = {}
        for report_id in ids:
            n = c.execute(select(func.count()).select_from(t.reports).where(t.reports.c.id == report_id)).scalar_one()
            row = c.execute(select(t.reports.c.payload, t.reports.c.signature, t.users.c.public_key)
                            .join(t.users, t.users.c.id == t.reports.c.observer_id)
                            .where(t.reports.c.id == report_id)).first()
            out[report_id] = (n, row)
        evidence = {r.sha256: r for r in c.execute(select(t.evidence)).all()}
    engine.dispose()
    return out, evidence


def test_three_reports_made_offline_survive_a_reload_and_are_stored_once(field_server, browser):
    context, page = new_device(browser, field_server, "web-obs-offline")
    context.set_offline(True)
    page.wait_for_function("!navigator.onLine")
    assert "Offline" in page.text_content("#net")

    # 1: an observation with a photo, position typed
    photo = photo_bytes(400_000, seed=1)
    choose_kind(page, "incident")
    type_position(page, 40.3412, 46.9317, 10)
    page.select_option("[data-field='observations.0.what']", "impact")
    page.select_option("[data-field='observations.0.weapon_class']", "artillery")
    page.fill("[data-field='observations.0.bearing_deg']", "45")
    page.fill("[data-field='observations.0.distance_m']", "3000")
    page.fill("[data-field='observations.0.direction_of_fire']", "from the east towards Tartar")
    page.fill("#summary", "Two impacts NE of the post; smoke seen. Ağdam road closed.")
    page.set_input_files("#files", files=[{"name": "crater.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.wait_for_selector(f"#evidence li[data-sha256='{hashlib.sha256(photo).hexdigest()}']")
    finalise(page)
    # 2: a restriction of movement
    choose_kind(page, "restriction")
    type_position(page, 39.95, 46.85, 25)
    page.fill("[data-field='restriction.place_name']", "Checkpoint south of Martuni")
    page.select_option("[data-field='restriction.imposed_by']", "ARM")
    page.fill("[data-field='restriction.description']", "Patrol stopped and turned back.")
    page.fill("[data-field='restriction.duration_min']", "40")
    page.fill("#summary", "Patrol denied passage at the checkpoint.")
    finalise(page)
    # 3: calm, with the position picked on the offline map
    choose_kind(page, "situation")
    page.locator("#map").click(position={"x": 180, "y": 120})
    assert page.input_value("#latitude") and page.input_value("#longitude")
    assert page.evaluate("document.querySelector('#report-form').dataset.positionSource") == "map"
    picked = (float(page.input_value("#latitude")), float(page.input_value("#longitude")))
    finalise(page)
    assert page.locator("#problems").is_hidden()

    states = outbox_states(page)
    assert sorted(states.values()) == ["queued"] * 3
    shot(page, "outbox-offline")

    page.reload()  # offline: the service worker serves the app, IndexedDB keeps the outbox
    page.wait_for_selector("body[data-ready=true]")
    assert outbox_states(page) == states
    ids = list(states)
    assert _stored(field_server, ids)[0] == {i: (0, None) for i in ids}

    context.set_offline(False)
    wait_all_received(page, 3)
    stored, evidence = _stored(field_server, ids)
    sha = hashlib.sha256(photo).hexdigest()
    for rows, row in stored.values():
        assert rows == 1
        assert verify({**row.payload["report"], "signature": row.signature}, row.public_key)
    kinds = {row.payload["report"]["kind"]: row.payload["report"] for _n, row in stored.values()}
    assert set(kinds) == {"incident", "restriction", "situation"}
    assert kinds["incident"]["evidence"] == [sha]
    assert kinds["incident"]["summary"] == "Two impacts NE of the post; smoke seen. Ağdam road closed."
    assert kinds["restriction"]["restriction"]["imposed_by"] == "ARM"
    assert (kinds["situation"]["position"]["latitude"], kinds["situation"]["position"]["longitude"]) == picked
    stored_file = field_server.evidence_dir / sha[:2] / sha
    assert evidence[sha].size == len(photo) and hashlib.sha256(stored_file.read_bytes()).hexdigest() == sha
    for li in page.locator("#outbox li[data-id]").all():  # each shows its receipt
        assert li.locator("[data-fact='receipt.ledger']").text_content().startswith("#")
        assert li.locator("[data-fact='receipt.id']").text_content() == li.get_attribute("data-id")
    assert "hashes match" in page.locator("#outbox li [data-fact='receipt.evidence']").text_content()
    shot(page, "outbox-received")
    assert page.errors == []
    context.close()


def test_stopping_the_server_during_sync_loses_and_duplicates_nothing(field_server, browser):
    context, page = new_device(browser, field_server, "web-obs-restart")
    context.set_offline(True)
    for n in range(6):
        choose_kind(page, "situation")
        type_position(page, 40.0 + n / 100, 46.7)
        page.fill("#summary", f"Calm at post {n}.")
        if n in (1, 2):
            page.set_input_files("#files", files=[{"name": f"p{n}.jpg", "mimeType": "image/jpeg",
                                                   "buffer": photo_bytes(2_600_000, seed=10 + n)}])
            page.wait_for_selector("#evidence li")
        finalise(page)
    ids = list(outbox_states(page))
    assert len(ids) == 6
    engine = field_server.engine()

    def received() -> int:
        with engine.connect() as c:
            return c.execute(select(func.count()).select_from(t.reports)
                             .where(t.reports.c.id.in_(ids))).scalar_one()

    context.set_offline(False)
    page.wait_for_function("() => [...document.querySelectorAll('#outbox li[data-id]')]"
                           ".some(e => e.dataset.state === 'sending' || e.dataset.state === 'received')")
    field_server.stop()  # mid-sync: the first reports are in, the photos are uploading
    page.wait_for_function("() => document.querySelector('#outbox-summary').textContent.includes('Next try')",
                           timeout=60_000)
    during = received()
    assert during < 6, "the sync finished before the server stopped: nothing was interrupted"
    states = outbox_states(page)
    assert len(states) == 6 and "queued" in states.values()
    field_server.start()
    page.click("#send-now")
    wait_all_received(page, 6)
    assert received() == 6
    stored, evidence = _stored(field_server, ids)
    assert all(rows == 1 for rows, _row in stored.values())
    declared = [sha for _n, row in stored.values() for sha in row.payload["report"].get("evidence", [])]
    assert len(declared) == 2 and all(sha in evidence for sha in declared)
    with engine.connect() as c:
        uploads = c.execute(select(t.uploads.c.sha256, t.uploads.c.completed_at)
                            .where(t.uploads.c.report_id.in_(ids))).all()
    assert sorted(u.sha256 for u in uploads) == sorted(declared) and all(u.completed_at for u in uploads)
    engine.dispose()
    assert page.errors == []
    context.close()


def test_with_the_server_stopped_the_app_opens_from_its_cache_and_takes_reports(field_server, browser):
    context, page = new_device(browser, field_server, "web-obs-noserver")
    page.close()
    field_server.stop()
    try:
        page = context.new_page()
        page.goto(field_server.url + "/field/")
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator("#screen-report").is_visible()
        choose_kind(page, "situation")
        type_position(page, 40.1, 46.8)
        page.fill("#summary", "Calm; the server is down.")
        finalise(page)
        assert page.locator("#problems").is_hidden()
        open_outbox(page)
        page.wait_for_function("() => document.querySelector('#outbox-summary').textContent.includes('Next try')")
        assert list(outbox_states(page).values()) == ["queued"]
        assert "server not reachable" in page.text_content("#outbox li .detail")
        shot(page, "server-stopped")
    finally:
        field_server.start()
    page.click("#send-now")
    wait_all_received(page, 1)
    context.close()
