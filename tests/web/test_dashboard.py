"""The dashboard in a real browser against a real server over the demo theatre."""

from __future__ import annotations

import httpx
import pytest

from web_server import OBSERVER, STRIKE, Server

DISPUTED = "inc-20201015-ordubad-missile"  # Baku blames Armenia, Yerevan denies firing

pytestmark = pytest.mark.browser


def _shown(page) -> int:
    return int(page.locator("#map").get_attribute("data-shown"))


def _wait_for_map(page) -> None:
    page.wait_for_function("document.querySelector('#map').dataset.shown !== undefined "
                           "&& document.querySelector('#map').dataset.lineSectors !== undefined")


def test_map_shows_incidents_and_the_line_of_contact(server: Server, page_at) -> None:
    page = page_at(1366, 900)
    page.goto(server.url + "/")
    _wait_for_map(page)
    assert _shown(page) > 10
    assert int(page.locator("#map").get_attribute("data-line-sectors")) >= 1  # the day's line, redrawn
    assert page.locator('#map path[stroke="#b2182b"]').count() >= 1  # the line, drawn
    assert page.locator(".inc-icon, .marker-cluster").count() > 0  # incidents or their clusters
    assert page.locator("#shown tr").count() == _shown(page)
    assert page.errors == []


def test_dashboard_fits_a_phone_screen(server: Server, page_at) -> None:
    page = page_at(390, 844)
    page.goto(server.url + "/")
    _wait_for_map(page)
    assert _shown(page) > 10
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    box = page.locator("#map").bounding_box()
    assert box["y"] < 200 and box["width"] > 340  # the map comes first and fills the width


def test_moving_the_time_slider_changes_the_visible_count(server: Server, page_at) -> None:
    page = page_at(1366, 900)
    page.goto(server.url + "/")
    _wait_for_map(page)
    everything = _shown(page)
    slider = page.locator("#day")
    slider.focus()
    page.keyboard.press("Home")  # the first day of the range
    page.wait_for_function(f"+document.querySelector('#map').dataset.shown < {everything}")
    first_day = _shown(page)
    for _ in range(18):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"+document.querySelector('#map').dataset.shown > {first_day}")
    assert first_day < _shown(page) < everything
    assert "day=2020-10-15" in page.url  # the view is in the address to share
    page.wait_for_function("document.querySelector('#map').dataset.lineDay === '2020-10-15'")


def test_a_shared_link_restores_the_view(server: Server, page_at) -> None:
    page = page_at(1366, 900)
    page.goto(server.url + "/#from=2020-10-01&to=2020-10-31&day=2020-10-14&mode=day&violations=1")
    _wait_for_map(page)
    page.wait_for_function("document.querySelector('#count').textContent.includes('on 2020-10-14')")
    assert page.locator("#violations").is_checked()
    assert page.locator("#day-label").text_content() == "2020-10-14"
    titles = page.locator("#shown a").all_text_contents()
    assert "Strike on missile launch sites inside Armenia" in titles


def test_a_disputed_proposition_shows_each_party_side_by_side(server: Server, page_at) -> None:
    page = page_at(1280, 900)
    page.goto(f"{server.url}/incidents/{DISPUTED}")
    perpetrator = page.locator('.proposition[data-proposition="perpetrator"]')
    asserting, denying = perpetrator.locator(".side-for"), perpetrator.locator(".side-against")
    assert "Ministry of Defence of Azerbaijan" in asserting.text_content()
    assert asserting.locator(".party", has_text="AZE").count() >= 1
    assert "Shushan Stepanyan" in denying.text_content()
    assert denying.locator(".party", has_text="ARM").count() == 1
    a, d = asserting.bounding_box(), denying.bounding_box()
    assert a["x"] + a["width"] <= d["x"] and abs(a["y"] - d["y"]) < 5  # one beside the other


def test_strike_of_14_october_shows_both_ministries_for_it(server: Server, page_at) -> None:
    page = page_at(1280, 900)
    page.goto(f"{server.url}/incidents/{STRIKE}")
    happened = page.locator('.proposition[data-proposition="happened"] .side-for').text_content()
    assert "Ministry of Defence of Azerbaijan" in happened and "Shushan Stepanyan" in happened
    target = page.locator('.proposition[data-proposition="target_type"] .side-for').text_content()
    assert "Ministry of Defence of Azerbaijan" in target and "Shushan Stepanyan" in target  # both: military
    assert "corroborated" in page.locator("h2#grade").text_content()
    assert page.locator("#ledger ~ ul code").count() >= 1


def test_incident_page_fits_a_phone_screen(server: Server, page_at) -> None:
    page = page_at(390, 844)
    page.goto(f"{server.url}/incidents/{DISPUTED}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the incident page scrolls sideways on a phone ({width}px)"
    perpetrator = page.locator('.proposition[data-proposition="perpetrator"]')
    assert perpetrator.locator(".side-for").is_visible() and perpetrator.locator(".side-against").is_visible()


def test_analyst_signs_in_with_a_token_and_accepts_a_proposal(server: Server, page_at) -> None:
    page = page_at(1366, 900)
    page.goto(server.url + "/analyst/review")
    assert "Sign in first" in page.locator("#review-msg").text_content()
    page.goto(server.url + "/signin")
    page.fill("#token", server.analyst_token)
    page.press("#token", "Enter")
    page.wait_for_url("**/analyst/review")
    page.wait_for_selector("li.proposal")
    card = page.locator("li.proposal").first
    proposal_id = card.get_attribute("data-id")
    card.locator("button.accept").click()
    page.wait_for_function(
        f"document.querySelector('li.proposal[data-id=\"{proposal_id}\"]').dataset.status === 'accepted'")
    assert "Accepted" in card.locator(".p-result").text_content()
    listed = httpx.get(server.url + "/api/proposals?status=accepted",
                       headers={"Authorization": f"Bearer {server.analyst_token}"}).json()
    assert proposal_id in {p["id"] for p in listed["data"]}
    assert page.locator("li.staff >> text=Review queue").is_visible()


def test_public_visitor_never_sees_observer_names(server: Server, page_at) -> None:
    page = page_at(1366, 900)
    secrets = (OBSERVER.lower(), "nadia", "karimova", server.observer_id.lower())
    for path in ("/", f"/incidents/{STRIKE}", "/incidents?from=2020-10-14&to=2020-10-14",
                 "/reports/2020-10-14.html"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        html = page.content().lower()
        assert not any(s in html for s in secrets), f"an observer identity shows on {path}"
    page.goto(f"{server.url}/incidents/{STRIKE}")
    assert page.locator("#sources ~ ol li", has_text="Mission observers").count() == 1
    for path in ("/api/map/incidents?from=2020-10-14&to=2020-10-14", "/api/map/geometry?date=2020-10-14"):
        body = httpx.get(server.url + path).text.lower()
        assert not any(s in body for s in secrets), f"an observer identity shows in {path}"
