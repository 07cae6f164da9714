"""What the field browser tests share: enrolling a fresh device (its own
browser context, so its own IndexedDB), filling the report form as a
person would, and reading the outbox screen."""

from __future__ import annotations

import io
import random
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from truce.service.signing import public_key_text
from web_server import ARTIFACTS

SHOTS = ARTIFACTS / "field"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def photo_bytes(size: int, seed: int = 0) -> bytes:
    """A real JPEG picture followed by ``size`` bytes in all (data after the
    end-of-image marker, which viewers ignore), different for each seed."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 255, 120, 60)).save(buffer, "JPEG")
    head = buffer.getvalue()
    return head + random.Random(seed).randbytes(max(0, size - len(head)))


def make_report(**overrides):
    """A calm-situation report body (unsigned) inside the theatre, observed half an hour ago."""
    body = {"id": str(uuid.uuid4()), "kind": "situation", "summary": "Calm; no firing heard.",
            "observed_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(timespec="seconds"),
            "position": {"latitude": 40.20, "longitude": 46.80, "accuracy_m": 12}}
    body.update(overrides)
    return body


def enrol_with_key(server, name: str) -> tuple[Ed25519PrivateKey, str]:
    """A device (a Python key) enrolled for ``name``; a re-enrolment is approved by the second admin."""
    with server.client("field-admin") as admin:
        made = admin.post(f"/api/users/{name}/enrolment", json={"valid_minutes": 10})
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    if made.json()["approval"]:
        with server.client("field-admin-2") as second:
            approved = second.post(f"/api/users/changes/{made.json()['approval']}/approve")
        assert approved.status_code == 200, approved.text
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert made.json()["url"].endswith(f"/field/#enrol={code}")
    key = Ed25519PrivateKey.generate()
    with server.client() as device:
        enrolled = device.post("/api/enrol", json={"code": code.lower(), "public_key": public_key_text(key)})
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["name"] == name and enrolled.json()["role"] == "observer"
    return key, enrolled.json()["token"]


def new_device(browser, server, name: str, viewport=PHONE):
    """A fresh browser profile enrolled as observer ``name``; returns (context, page)."""
    with server.client("field-admin") as admin:
        made = admin.post(f"/api/users/{name}/enrolment", json={"valid_minutes": 10})
    assert made.status_code == 201, made.text
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(made.json()["url"])
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value("#enrol-code") == made.json()["code"]  # filled in from the QR link
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#screen-report:not([hidden])")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the shell is cached
    page.wait_for_selector("#observations fieldset")
    return context, page


def choose_kind(page, kind: str) -> None:
    page.check(f"input[name=kind][value={kind}]")


def type_position(page, lat: float, lon: float, accuracy: float | None = 15) -> None:
    page.fill("#latitude", str(lat))
    page.fill("#longitude", str(lon))
    page.fill("#accuracy_m", "" if accuracy is None else str(accuracy))


def finalise(page) -> None:
    queued = page.locator("#report-status")
    before = queued.text_content()
    page.click("#finalise")
    page.wait_for_function("(before) => document.querySelector('#report-status').textContent !== before"
                           " || !document.querySelector('#problems').hidden", arg=before)


def open_outbox(page) -> None:
    page.click(".tabs a[data-screen=outbox]")
    page.wait_for_selector("#screen-outbox:not([hidden])")


def outbox_states(page) -> dict[str, str]:
    """report id -> state as the outbox screen shows it."""
    page.evaluate("location.hash = '#outbox'")
    page.wait_for_selector("#screen-outbox:not([hidden])")
    return dict(page.eval_on_selector_all("#outbox li[data-id]",
                                          "els => els.map(e => [e.dataset.id, e.dataset.state])"))


def wait_all_received(page, n: int, timeout: float = 120_000) -> None:
    page.evaluate("location.hash = '#outbox'")
    page.wait_for_function(
        "(n) => { const s = [...document.querySelectorAll('#outbox li[data-id]')];"
        " return s.length === n && s.every(e => e.dataset.state === 'received'); }", arg=n, timeout=timeout)


def shot(page, name: str) -> Path:
    """A full-page screenshot at tests/artifacts/field/NAME-WIDTH.png. The
    phone's tab bar is fixed to the bottom of the screen; in a capture of the
    whole page it is drawn once, at the foot, not over the middle."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = SHOTS / f"{name}-{width}.png"
    page.evaluate("document.body.classList.add('capture'); window.scrollTo(0, 0)")  # the sticky bar at the top
    page.screenshot(path=str(path), full_page=True)
    page.evaluate("document.body.classList.remove('capture')")
    return path


# ---------- QR codes as a phone's camera sees them ----------

QR_GLYPHS = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), "\xa0": (0, 0), " ": (0, 0)}  # (top, bottom) lit


def terminal_qr_image(output: str, module_px: int = 6, margin_px: int = 24):
    """The QR code `truce users enrol` drew in ``output`` (block characters,
    light on a dark terminal: each character is one module wide and two
    high) as a greyscale picture of that terminal, lit parts white."""
    from PIL import Image

    rows = [line for line in output.splitlines() if len(line) >= 21 and set(line) <= set(QR_GLYPHS)]
    assert rows, "no QR code in the output"
    width = max(len(r) for r in rows)
    modules = [[QR_GLYPHS[c][half] for c in row.ljust(width, "\xa0")] for row in rows for half in (0, 1)]
    image = Image.new("L", (width * module_px + 2 * margin_px, len(modules) * module_px + 2 * margin_px), 16)
    for y, row in enumerate(modules):
        for x, lit in enumerate(row):
            if lit:
                image.paste(235, (margin_px + x * module_px, margin_px + y * module_px,
                                  margin_px + (x + 1) * module_px, margin_px + (y + 1) * module_px))
    return image


def qr_image(text: str, module_px: int = 6):
    """``text`` as a dark-on-light QR code picture (what a printed code looks like)."""
    import qrcode

    qr = qrcode.QRCode(border=4, box_size=module_px)
    qr.add_data(text)
    return qr.make_image().get_image().convert("L")


def write_y4m(path: Path, pictures, fps: int = 5, size: tuple[int, int] = (640, 480)) -> Path:
    """A YUV4MPEG2 video (what Chromium's --use-file-for-fake-video-capture
    plays, looping) of ``pictures`` [(image, frames)], each centred on grey."""
    from PIL import Image

    w, h = size
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for picture, frames in pictures:
            frame = Image.new("L", size, 128)
            frame.paste(picture, ((w - picture.width) // 2, (h - picture.height) // 2))
            luma = frame.tobytes()
            chroma = bytes([128]) * (w // 2 * h // 2)
            for _ in range(frames):
                out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def fake_camera_args(video: Path) -> list[str]:
    """Chromium flags: a camera that plays ``video``, allowed without asking."""
    return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
