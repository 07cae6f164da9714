"""The review page shows a proposal's place as a name with a small map, not
raw JSON, and pages a long queue."""

from __future__ import annotations

import httpx
import pytest

from web_server import ARTICLE, Server

pytestmark = pytest.mark.browser


def _signed_in(page, server: Server, path: str) -> None:
    page.goto(server.url + "/signin")
    page.fill("#token", server.analyst_token)
    page.press("#token", "Enter")
    page.wait_for_url("**/analyst/review")
    page.goto(server.url + path)


def test_an_events_place_is_a_name_and_a_small_map(server: Server, page_at) -> None:
    # its own proposal: other tests on this server accept proposals from the shared queue
    made = httpx.post(server.url + "/api/ingest", timeout=120,
                      headers={"Authorization": f"Bearer {server.analyst_token}"},
                      json={"text": ARTICLE, "published": "2020-10-15", "source": "Test wire"})
    assert made.status_code == 201, made.text
    placed = [p["id"] for p in made.json()["data"] if isinstance((p.get("payload") or {}).get("place"), dict)]
    assert placed, made.text
    page = page_at(1366, 900)
    _signed_in(page, server, "/analyst/review?per=10000")
    card = page.locator(f'li.proposal[data-id="{placed[0]}"]')
    card.locator(".p-place:not([hidden])").wait_for()
    caption = card.locator(".p-place-name").text_content()
    assert caption.startswith("Where: ") and "Vardenis" in caption
    card.locator(".p-map path").first.wait_for()  # borders drawn in the small map
    assert card.locator(".p-map .leaflet-interactive, .p-map path").count() >= 2
    assert "Vardenis" in card.locator(".p-map .p-map-label").text_content()  # the map names the place
    fields = card.locator(".p-fields").text_content()
    assert '"latitude"' not in fields and '"place_id"' not in fields
    assert "{" not in fields and "[" not in fields and "null" not in fields, fields  # words, not JSON
    assert "A staff page" in page.locator("footer").text_content()  # it names observers: it says so
    assert page.errors == []


def test_a_long_queue_is_paged(server: Server, page_at) -> None:
    headers = {"Authorization": f"Bearer {server.analyst_token}"}
    total = httpx.get(server.url + "/api/proposals?status=pending&limit=1", headers=headers).json()["count"]
    assert total >= 3
    page = page_at(390, 844)
    _signed_in(page, server, "/analyst/review?per=2")
    page.wait_for_selector("#queue li.proposal")
    assert page.locator("#queue li.proposal").count() == 2
    pages = -(-total // 2)
    assert page.locator("#page-of").text_content() == f"Page 1 of {pages}"
    first = page.locator("#queue li.proposal").first.get_attribute("data-id")
    page.click("#next")
    page.wait_for_function(f"document.querySelector('#queue li.proposal').dataset.id !== '{first}'")
    assert page.locator("#page-of").text_content() == f"Page 2 of {pages}"
    second_page = {el.get_attribute("data-id") for el in page.locator("#queue li.proposal").all()}
    listed = httpx.get(server.url + "/api/proposals?status=pending&limit=2&offset=2", headers=headers).json()
    assert second_page == {p["id"] for p in listed["data"]}
    assert page.locator("#prev").is_enabled()
