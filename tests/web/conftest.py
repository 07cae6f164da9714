"""A real `truce serve`-equivalent server (uvicorn in a child process, on a
free loopback port) over the demo theatre, and Playwright driving Debian's
Chromium. Screenshots go to tests/artifacts/ on every run."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from demo_store import build_demo_store, run_truce, truce_env
from truce.store.engine import make_engine
from web_server import (
    ARTICLE,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    OBSERVER,
    Server,
    _free_port,
    _observer_report,
    _token,
)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db_url = build_demo_store(tmp_path_factory.mktemp("web") / "demo.db")
    analyst_token = _token(run_truce("users", "add", "reviewer-1", "--role", "analyst", "--db", db_url, url=db_url))
    run_truce("users", "add", OBSERVER, "--role", "observer", "--db", db_url, url=db_url)
    engine = make_engine(db_url)
    observer_id = engine.connect().exec_driver_sql(
        "SELECT id FROM users WHERE name = ?", (OBSERVER,)).scalar_one()
    engine.dispose()
    _observer_report(db_url, observer_id)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "truce.api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], env=truce_env(db_url))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/api/health/ready", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "the server exited at start"
            assert time.monotonic() < deadline, "the server did not answer within 120 s"
            time.sleep(0.2)
        # proposals to review, through the real ingest API
        made = httpx.post(url + "/api/ingest", json={"text": ARTICLE, "published": "2020-10-15",
                                                      "source": "Test wire", "new_source": True},
                          headers={"Authorization": f"Bearer {analyst_token}"}, timeout=120)
        assert made.status_code == 201, made.text
        yield Server(url, db_url, analyst_token, observer_id)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _page_height(page) -> int:
    return int(page.evaluate("Math.max(document.documentElement.scrollHeight, window.innerHeight)"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page_at(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """``page_at(width, height)``: a fresh page (own context, no session); a
    screenshot named after the test is written when the test ends."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opened = []

    def make(width: int = 1366, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(90_000)  # a loaded CI machine: pages and charts render slowly
        context.set_default_navigation_timeout(90_000)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        opened.append((context, page, width))
        return page

    yield make
    for n, (context, page, width) in enumerate(opened):
        # the page's top 2,400 px: a long list laid out whole takes a minute to capture on a loaded machine
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}-{width}px.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": min(2400, _page_height(page))})
        context.close()
