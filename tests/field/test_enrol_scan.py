"""Enrolling by scanning the QR code `truce users enrol` draws, in Debian's
Chromium: with a camera (Chromium's fake camera playing a video of the
terminal's QR code), from a photo, and with the camera refused or absent
(a clear message; typing the code still works). Screenshots of the
scanner at phone and desktop sizes under tests/artifacts/field/."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from field_helpers import (
    DESKTOP,
    PHONE,
    fake_camera_args,
    qr_image,
    shot,
    terminal_qr_image,
    write_y4m,
)
from typer.testing import CliRunner

from truce.cli import app
from truce.web.render import STATIC_DIR

pytestmark = pytest.mark.browser
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def vendored_jsqr() -> None:
    """The decoder `make web-assets` vendors (as `make test` does before the suite)."""
    if not (STATIC_DIR / "vendor" / "jsqr" / "jsQR.js").is_file():
        subprocess.run([str(ROOT / "scripts" / "vendor-jsqr.sh")], check=True, timeout=600)


def _cli_enrol(server, name: str) -> tuple[str, str]:
    """(code, the whole output) of `truce users enrol NAME --server URL`."""
    made = runner.invoke(app, ["users", "enrol", name, "--valid-minutes", "10", "--server", server.url,
                               "--token", server.tokens["field-admin"], "--db", server.db_url])
    assert made.exit_code == 0, made.output
    code = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", made.output).group()
    assert f"{server.url}/field/#enrol={code}" in made.output
    return code, made.output


def _open_enrol(context, server):
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(server.url + "/field/")
    page.wait_for_selector("body[data-ready=true]")
    return page


def _enrolled_as(page, name: str) -> None:
    page.wait_for_selector("#screen-report:not([hidden])", timeout=60_000)
    assert page.evaluate("window.truceField.device.name") == name
    assert page.evaluate("location.hash") == "#report"  # the code left the address bar


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_scanning_the_terminal_qr_code_with_the_camera_enrols_the_device(field_server, tmp_path):
    from playwright.sync_api import sync_playwright

    from web_server import CHROMIUM, CHROMIUM_ARGS

    _code, output = _cli_enrol(field_server, "web-obs-scan")
    # the camera first sees a QR code that is not an enrolment (kept looking), then the terminal's
    video = write_y4m(tmp_path / "camera.y4m", [(qr_image("https://example.org/menu"), 15),
                                                (terminal_qr_image(output), 15)])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_camera_args(video)])
        context = browser.new_context(viewport=PHONE)
        page = _open_enrol(context, field_server)
        page.click("#scan-start")
        page.wait_for_function("document.querySelector('#scan-status').textContent.includes('example.org')",
                               timeout=30_000)
        assert page.locator("#scan-video").is_visible()
        shot(page, "enrol-scanning")
        page.set_viewport_size(DESKTOP)
        shot(page, "enrol-scanning")
        _enrolled_as(page, "web-obs-scan")
        assert page.evaluate("document.querySelector('#scan-video').srcObject") is None  # camera off
        assert page.errors == []
        browser.close()


def test_a_photo_of_the_qr_code_enrols_and_a_photo_without_one_says_so(field_server, browser):
    _code, output = _cli_enrol(field_server, "web-obs-photo")
    context = browser.new_context(viewport=PHONE)
    page = _open_enrol(context, field_server)
    decoder = page.evaluate("async () => (await import('/field/js/scan.js')).decoderName()")
    assert decoder in ("native", "jsqr")  # Debian's Chromium has no BarcodeDetector: the vendored jsQR
    page.set_input_files("#scan-photo", files=[{"name": "wall.png", "mimeType": "image/png",
                                                "buffer": _png(qr_image("").resize((40, 40)).point(lambda _: 200))}])
    page.wait_for_function("document.querySelector('#scan-status').textContent.includes('No QR code')")
    page.set_input_files("#scan-photo", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    page.wait_for_function("document.querySelector('#scan-status').textContent.includes('not a picture')")
    page.set_input_files("#scan-photo", files=[{"name": "terminal.png", "mimeType": "image/png",
                                                "buffer": _png(terminal_qr_image(output, module_px=4))}])
    _enrolled_as(page, "web-obs-photo")
    assert page.errors == []
    context.close()


REFUSE_CAMERA = """navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_with_the_camera_refused_or_absent_the_app_says_so_and_the_typed_code_still_enrols(
        field_server, browser, viewport):
    code, _output = _cli_enrol(field_server, f"web-obs-nocam-{viewport['width']}")
    context = browser.new_context(viewport=viewport)
    context.add_init_script(REFUSE_CAMERA)
    page = _open_enrol(context, field_server)
    page.click("#scan-start")
    page.wait_for_function("document.querySelector('#scan-status').textContent.includes('camera was refused')")
    assert page.locator("#scanner").is_hidden() and page.locator("#scan-start").is_visible()
    shot(page, "enrol-camera-refused")
    page.fill("#enrol-code", code.lower().replace("-", " "))
    page.click("#enrol-form button[type=submit]")
    _enrolled_as(page, f"web-obs-nocam-{viewport['width']}")
    context.close()
    context = browser.new_context(viewport=viewport)  # a browser that gives the page no camera at all
    context.add_init_script("Object.defineProperty(navigator, 'mediaDevices', { value: undefined });")
    page = _open_enrol(context, field_server)
    page.click("#scan-start")
    page.wait_for_function("document.querySelector('#scan-status').textContent.includes('gives the page no camera')")
    context.close()


def test_the_typed_field_takes_the_address_the_qr_code_holds(field_server, browser):
    code, _output = _cli_enrol(field_server, "web-obs-pasted")
    context = browser.new_context(viewport=PHONE)
    page = _open_enrol(context, field_server)
    page.fill("#enrol-code", f"{field_server.url}/field/#enrol={code}")
    page.click("#enrol-form button[type=submit]")
    _enrolled_as(page, "web-obs-pasted")
    got = page.evaluate("""async () => { const { enrolmentCode } = await import('/field/js/scan.js');
      return [enrolmentCode('abcd efgh jkmn'), enrolmentCode('https://hq.example/field/?enrol=ABCD-EFGH-JKMN'),
              enrolmentCode('https://example.org/'), enrolmentCode('ABCD-EFGH-JKM0')]; }""")
    assert got == ["ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN", None, None]
    context.close()


FAKE_DETECTOR = """window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
  constructor(options) { this.formats = options.formats; }
  async detect(source) {
    window.detected = (window.detected || 0) + 1;
    return [{ rawValue: window.QR_HOLDS, format: "qr_code" }];
  }
};"""


def test_where_the_browser_reads_qr_codes_itself_its_reader_is_used(field_server, browser):
    _code, output = _cli_enrol(field_server, "web-obs-native")
    url = re.search(r"or open (\S+)", output).group(1)
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(f"window.QR_HOLDS = {url!r};" + FAKE_DETECTOR)
    page = _open_enrol(context, field_server)
    assert page.evaluate("async () => (await import('/field/js/scan.js')).decoderName()") == "native"
    page.set_input_files("#scan-photo", files=[{"name": "any.png", "mimeType": "image/png",
                                                "buffer": _png(qr_image("anything"))}])
    _enrolled_as(page, "web-obs-native")
    assert page.evaluate("window.detected") == 1
    assert page.evaluate("typeof window.jsQR") == "undefined"  # the library was not even loaded
    context.close()
