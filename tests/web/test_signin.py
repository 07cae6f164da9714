"""After signing in, the browser goes only to a path on this site: a
``next`` of another origin or another scheme is ignored, never followed."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from web_server import Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(("next_", "lands"), [
    ("javascript:window.__ran=1//", "/analyst/review"),
    ("JaVaScRiPt:window.__ran=1", "/analyst/review"),
    ("https://example.org/phish", "/analyst/review"),
    ("//example.org/phish", "/analyst/review"),
    ("/\\example.org/phish", "/analyst/review"),
    ("/..//example.org/phish", "/analyst/review"),
    ("/a/..//example.org/phish", "/analyst/review"),
    ("/incidents?from=2020-10-14", "/incidents?from=2020-10-14"),
])
def test_sign_in_follows_next_only_to_a_path_on_this_site(server: Server, page_at, next_, lands):
    page = page_at(1366, 900)
    page.goto(f"{server.url}/signin?next={quote(next_, safe='')}")
    page.fill("#token", server.analyst_token)
    page.press("#token", "Enter")
    page.wait_for_url(server.url + lands)
    assert page.evaluate("window.__ran") is None
    assert page.url == server.url + lands
