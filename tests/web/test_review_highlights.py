"""The review page marks the words each proposal rests on."""

from __future__ import annotations

import os

import httpx

from .conftest import ARTICLE, Server


def test_review_page_highlights_trigger_place_and_perpetrator_words(server: Server, page_at) -> None:
    # proposals of its own to review: other tests on this server decide the shared ones
    made = httpx.post(server.url + "/api/ingest", json={"text": ARTICLE, "published": "2020-10-15",
                                                        "source": "Wire", "new_source": True},
                      headers={"Authorization": f"Bearer {server.analyst_token}"}, timeout=120)
    assert made.status_code == 201, made.text
    page = page_at(1366, 900)
    page.goto(server.url + "/signin")
    page.fill("#token", server.analyst_token)
    page.press("#token", "Enter")
    page.wait_for_url("**/analyst/review")
    page.wait_for_selector("li.proposal mark.why-trigger")
    events = page.locator("li.proposal", has=page.locator("mark.why-trigger"))
    first = events.first
    sentence = first.locator(".p-sentence").text_content()
    trigger = first.locator("mark.why-trigger").first.text_content()
    assert trigger and trigger in sentence
    assert page.locator("li.proposal mark.why-place").count() > 0
    assert page.locator("li.proposal mark.why-perpetrator").count() > 0
    if os.environ.get("TRUCE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["TRUCE_SCREENSHOTS"], "review.png"))
