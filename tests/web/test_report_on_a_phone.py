"""The daily report as a phone shows it: the page never scrolls sideways,
its tables fit, and the map is shown at a size whose labels can be read,
panning inside its own box."""

from __future__ import annotations

from web_server import Server

DAY = "2020-10-14"


def test_the_daily_report_fits_a_phone_and_its_map_stays_readable(server: Server, page_at) -> None:
    page = page_at(390, 844)
    page.goto(f"{server.url}/reports/{DAY}.html")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report scrolls sideways on a phone ({width}px)"
    tables = page.evaluate("[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)")
    assert tables and max(tables) <= 390, f"a table runs past the screen: {tables}"
    box = page.locator("figure.map .pan")
    shown = page.evaluate("document.querySelector('figure.map img').getBoundingClientRect().width")
    assert shown >= 800, f"the map is squeezed to {shown}px, its labels unreadable"
    assert box.evaluate("b => b.scrollWidth > b.clientWidth && b.clientWidth <= 390")
    assert page.locator(".pan-hint").is_visible()
    cell = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td')).fontSize)")
    assert cell >= 10, f"table text is {cell}px on a phone"
    assert not page.errors


def test_on_a_desktop_the_map_fits_the_page_and_needs_no_panning(server: Server, page_at) -> None:
    page = page_at(1366, 900)
    page.goto(f"{server.url}/reports/{DAY}.html")
    assert page.locator("figure.map .pan").evaluate("b => b.scrollWidth <= b.clientWidth")
    assert not page.locator(".pan-hint").is_visible()
