"""/docs and /redoc render the API's operations from local files: in Chromium
with every request off the server's own origin refused (the network cut)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from truce.api.docs import REQUIRED
from truce.web.render import STATIC_DIR
from web_server import Server, demo_credentials

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def vendored_api_docs() -> None:
    """The files `make web-assets` vendors (as `make test` does before the suite)."""
    if not all((STATIC_DIR / "vendor" / "apidocs" / name).is_file() for name in REQUIRED):
        subprocess.run([str(ROOT / "scripts" / "vendor-apidocs.sh")], check=True, timeout=600)


def _offline(page, server: Server) -> list[str]:
    """Refuse every request that leaves the server; returns what was refused."""
    refused: list[str] = []

    def handle(route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", handle)
    return refused


@pytest.mark.parametrize("path, operation", [
    ("/docs", ".opblock-summary-path"),
    ("/redoc", "[data-section-id^='tag/'], [data-section-id^='operation/']"),
])
def test_api_docs_render_operations_with_the_network_cut(server: Server, page_at, path, operation) -> None:
    page = page_at(1366, 900)
    refused = _offline(page, server)
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200
    page.wait_for_selector(operation, timeout=60_000)
    assert page.locator(operation).count() >= 10
    assert "/api/reports" in page.content()
    assert refused == [] and page.errors == []


def test_demo_analyst_signs_in_with_the_token_demo_load_printed(server: Server, page_at) -> None:
    token = demo_credentials(server.db_url.removeprefix("sqlite:///"))["demo-analyst"]
    page = page_at(1366, 900)
    page.goto(server.url + "/signin")
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.wait_for_url("**/analyst/review")
    page.wait_for_selector("li.proposal")
    assert page.locator("li.staff >> text=Review queue").is_visible()
