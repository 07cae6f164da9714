"""The field app's screens in Debian's Chromium: the documented worked
example signed in the browser byte for byte, a bad report refused on the
device with every reason at once, tasks answered, the Russian interface,
keyboard and screen-reader basics, and a screenshot of every screen at
phone (390x844) and desktop (1366x900) sizes under tests/artifacts/field/."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from field_helpers import (
    DESKTOP,
    PHONE,
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

from truce.domain.canonical import canonical_bytes

pytestmark = pytest.mark.browser
DOC = Path(__file__).parents[2] / "docs" / "canonical-form.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)\n```", DOC.read_text("utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def phone(field_server, browser):
    context, page = new_device(browser, field_server, "web-obs-screens")
    yield page
    context.close()


SIGN_IN_PAGE = """async ([report, seed]) => {
  const { canonical } = await import('/field/js/canonical.js');
  const { keyFromSeed, signReport, sha256Hex } = await import('/field/js/crypto.js');
  const { signedBytes } = await import('/field/js/canonical.js');
  const key = await keyFromSeed(new Uint8Array(seed));
  const signed = await signReport(report, key);
  const { signature, ...unsigned } = signed;
  return { text: canonical(unsigned), sha: await sha256Hex(signedBytes(report)), signature };
}"""


def test_the_worked_example_is_signed_in_the_browser_byte_for_byte(phone):
    _public, canonical, digest, signature = _blocks("text")
    (report_text,) = _blocks("json")
    got = phone.evaluate(SIGN_IN_PAGE, [json.loads(report_text), list(range(32))])
    assert got["text"].encode("utf-8") == canonical.encode("utf-8")
    assert got["sha"] == digest
    assert got["signature"] == signature


def test_awkward_reports_have_the_same_canonical_bytes_in_the_browser_and_on_the_server(phone):
    reports = [
        {"summary": 'quote " backslash \\ tab \t newline \n bell \u0007 del \u007f', "n": 0.1, "k": [1, 2.5, -0.0001]},
        {"Ω": "Ստեփանակերտ Xankəndi Степанакерт 😀", "a": {"z": None, "b": True, "a": False}, "big": 123456789012345},
        {"position": {"latitude": 39.999999, "longitude": 46.000001, "accuracy_m": 4.5}, "bearing_deg": 359.9},
    ]
    for report in reports:
        text = phone.evaluate("async (r) => (await import('/field/js/canonical.js')).canonical(r)", report)
        assert text.encode("utf-8") == canonical_bytes(report)


def test_a_bad_report_is_refused_on_the_device_with_every_reason_at_once(phone):
    sent = []
    phone.on("request", lambda r: sent.append(r.url) if r.method == "POST" and "/api/reports" in r.url else None)
    before = outbox_states(phone)
    phone.evaluate("location.hash = '#report'")
    choose_kind(phone, "incident")
    ahead = (datetime.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S")
    phone.fill("#observed_at", ahead)
    type_position(phone, 10.5, 46.9)  # far south of the theatre
    phone.fill("[data-field='observations.0.bearing_deg']", "400")  # and no distance
    phone.fill("[data-field='observations.0.count']", "many")
    phone.fill("#summary", "")
    phone.set_input_files("#files", files=[{"name": "huge.jpg", "mimeType": "image/jpeg",
                                            "buffer": photo_bytes(3_100_000, seed=7)}])
    phone.wait_for_selector("#evidence li")
    finalise(phone)
    problems = phone.eval_on_selector_all("#problems li", "els => els.map(e => [e.dataset.field, e.dataset.code])")
    assert {tuple(p) for p in problems} >= {
        ("observed_at", "future"), ("position", "outside_theatre"),
        ("observations.0.bearing_deg", "below"), ("observations.0.distance_m", "bearing_with_distance"),
        ("observations.0.count", "type"), ("summary", "required"), ("evidence.0", "file_too_large"),
    }
    assert phone.locator("[aria-invalid=true]").count() >= 6
    assert phone.evaluate("document.activeElement.id") == "problems"  # read out first
    shot(phone, "report-problems")
    assert outbox_states(phone) == before and sent == []
    phone.evaluate("location.hash = '#report'")
    phone.click("#evidence li button")  # remove the file


def test_an_analyst_task_is_seen_and_answered_from_the_field(field_server, phone):
    window = {"window_start": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
              "window_end": (datetime.now(UTC) + timedelta(hours=5)).isoformat()}
    with field_server.client("field-analyst") as analyst:
        task = analyst.post("/api/tasks", json={
            "title": "Check the bridge at Hadrut", "look_for": "damage to the bridge, craters on the road",
            "place_name": "Hadrut", "latitude": 39.52, "longitude": 47.03, "radius_m": 1500,
            "observer": "web-obs-screens", **window}).json()
    phone.click(".tabs a[data-screen=tasks]")
    item = phone.locator(f"#tasks li[data-id='{task['id']}']")
    item.wait_for()
    assert "damage to the bridge" in item.text_content() and "Hadrut" in item.text_content()
    shot(phone, "tasks")
    item.locator("button").click()
    phone.wait_for_selector("#screen-report:not([hidden])")
    assert phone.input_value("#task") == task["id"]
    choose_kind(phone, "situation")
    phone.click("#now")
    type_position(phone, 39.53, 47.02)
    phone.fill("#summary", "Bridge intact; no new craters.")
    finalise(phone)
    assert phone.locator("#problems").is_hidden()
    open_outbox(phone)
    assert len(outbox_states(phone)) == 1
    wait_all_received(phone, 1)
    with field_server.client("field-analyst") as analyst:
        answered = analyst.get(f"/api/tasks/{task['id']}").json()
    assert len(answered["reports"]) == 1


def test_the_russian_interface_renders_every_label(phone):
    phone.select_option("#lang", "ru")
    phone.wait_for_function("document.documentElement.lang === 'ru'")
    phone.evaluate("location.hash = '#report'")
    assert phone.text_content("#report-h") == "Новое донесение"
    assert phone.text_content(".tabs a[data-screen=outbox]").strip().startswith("⇅Исходящие")
    assert "Наблюдение 1" in phone.text_content("#observations legend")
    artillery = phone.locator("[data-field='observations.0.weapon_class'] option[value=artillery]")
    assert artillery.text_content() == "Артиллерия"
    english = json.loads((Path(__file__).parents[2] / "src/truce/web/static/field/i18n/en.json").read_text())
    untranslated = phone.eval_on_selector_all(
        "[data-i18n]", "(els, en) => els.filter(e => e.textContent === en[e.dataset.i18n]"
                       " && /[a-z]{4}/.test(e.textContent)).map(e => e.dataset.i18n)", english)
    assert untranslated == []
    shot(phone, "report-ru")
    phone.fill("#summary", "")
    finalise(phone)
    assert "обязательное поле" in phone.text_content("#problems")
    phone.select_option("#lang", "en")
    phone.wait_for_function("document.documentElement.lang === 'en'")


def test_every_control_has_a_name_and_targets_are_large(phone):
    phone.evaluate("location.hash = '#report'")
    unnamed = phone.eval_on_selector_all(
        "#screen-report input:not([type=hidden]), #screen-report select, #screen-report textarea,"
        " #screen-report button",
        "els => els.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
        " && !e.textContent.trim()).map(e => e.outerHTML.slice(0, 80))")
    assert unnamed == []
    small = phone.eval_on_selector_all(
        "#screen-report button, .tabs a, .kind",
        "els => els.filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)"
        ".map(e => e.outerHTML.slice(0, 60))")
    assert small == []
    phone.focus("#summary")  # the form is reachable and operable by keyboard
    phone.keyboard.type("Typed from the keyboard.")
    assert phone.input_value("#summary") == "Typed from the keyboard."
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report screen scrolls sideways on a phone ({width}px)"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_screenshots_of_every_screen(field_server, browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(field_server.url + "/field/")
    page.wait_for_selector("body[data-ready=true]")
    shot(page, "enrol")
    context.close()
    context, page = new_device(browser, field_server, f"web-obs-shots-{viewport['width']}", viewport)
    shot(page, "report-observation")
    choose_kind(page, "restriction")
    shot(page, "report-restriction")
    choose_kind(page, "jamming")
    shot(page, "report-jamming")
    choose_kind(page, "situation")
    page.locator("#map").click()  # the middle of the theatre
    page.fill("#summary", "Calm all day; no firing heard.")
    finalise(page)
    assert page.locator("#problems").is_hidden()
    open_outbox(page)
    wait_all_received(page, 1)
    shot(page, "outbox")
    page.click(".tabs a[data-screen=tasks]")
    page.wait_for_selector("#tasks-status:not(:empty)")
    shot(page, "tasks-list")
    page.click(".tabs a[data-screen=device]")
    page.wait_for_selector("#device-info dd")
    shot(page, "device")
    assert page.errors == []
    context.close()
