"""The dashboard map reads: the places users look for first are labelled, by
importance, where no label overlaps a marker or another label; no marker
covers another (a cluster's row of grades included); place dots look nothing
like an incident's "discounted" glyph; clusters show their grades and types."""

from __future__ import annotations

import pytest

from web_server import Server

pytestmark = pytest.mark.browser

LAYOUT = """() => {
  const box = document.querySelector('#map').getBoundingClientRect();
  const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const drawn = el => [el, ...el.querySelectorAll('*')].map(rect).filter(r => r[2] > r[0] && r[3] > r[1])
    .reduce((u, r) => [Math.min(u[0], r[0]), Math.min(u[1], r[1]), Math.max(u[2], r[2]), Math.max(u[3], r[3])]);
  const inside = r => r[2] > box.left && r[0] < box.right && r[3] > box.top && r[1] < box.bottom;
  return {
    labels: [...document.querySelectorAll('#map .place-label')]
      .map(el => [el.innerText.replace(/\\s+/g, ' '), rect(el)]),  // a stacked label's two lines read as one name
    // a marker with all it draws: a cluster's row of grades overflows its own box
    markers: [...document.querySelectorAll('#map .inc-icon, #map .truce-cluster')].map(drawn).filter(inside),
    // the dots drawn (a district's dot near its city's gives way to it at this zoom)
    dots: [...document.querySelectorAll('#map path.place-dot')].filter(el => el.getAttribute('fill-opacity') !== '0')
      .map(rect).filter(inside),
  };
}"""
# the places a user looks for first (the naming setting's map.first, in its order)
KEY_PLACES = ["Stepanakert / Khankendi", "Shushi / Shusha", "Tartar", "Ganja", "Barda", "Akna / Aghdam",
              "Martakert / Aghdara", "Martuni / Khojavend", "Hadrut", "Jrakan / Jabrayil"]


def _apart(a, b, gap: float = 0) -> bool:
    return a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]


def _layout(page):
    page.wait_for_function("Number(document.querySelector('#map').dataset.labels || 0) > 0")
    page.wait_for_timeout(600)  # cluster animation settles, labels laid out again
    return page.evaluate(LAYOUT)


PARTS = """() => {
  const box = document.querySelector('#map').getBoundingClientRect();
  const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const inside = r => r[2] > box.left && r[0] < box.right && r[3] > box.top && r[1] < box.bottom;
  const parts = [...document.querySelectorAll('#map .inc-icon')].map((el, n) => ['marker ' + n, rect(el)]);
  document.querySelectorAll('#map .truce-cluster').forEach((el, n) => {
    parts.push(['cluster ' + el.textContent.trim(), rect(el.querySelector('svg'))]);
    parts.push(['cluster ' + el.textContent.trim(), rect(el.querySelector('.cgrades'))]);
  });
  return parts.filter(p => inside(p[1]));
}"""
ZOOMED_IN = "/#day=2020-10-14&z=8.5&lat=40.000&lon=46.700"
# views a user opens: the default, the theatre from further out, a busy day close up, a town close up
VIEWS = ["/", "/#z=7&lat=40.000&lon=46.700", "/#z=6&lat=40.000&lon=46.700", ZOOMED_IN, "/#z=9&lat=39.800&lon=46.800"]


def _labels_apart(layout, view: str, width: int) -> None:
    """The places users look for first are labelled, by importance, where no
    label overlaps a marker, a dot or another label."""
    names = [name for name, _r in layout["labels"]]
    wanted = KEY_PLACES if view == "/" else ["Stepanakert / Khankendi", "Shushi / Shusha", "Tartar"]
    if view == "/" and width > 1000:  # a capital among its districts' dots, which give way to it
        wanted = [*wanted, "Yerevan", "Vardenis"]  # and a town under its incidents
    assert set(wanted) <= set(names), (view, set(wanted) - set(names))
    boxes = [r for _n, r in layout["labels"]]
    for n, a in enumerate(boxes):
        assert all(_apart(a, b, gap=1) for b in boxes[n + 1:]), (view, names[n])  # apart, not touching
        assert all(_apart(a, m) for m in layout["markers"]), (view, names[n])
        assert all(_apart(a, d) for d in layout["dots"]), (view, names[n])


def _markers_apart(parts, view: str) -> None:
    """No marker or cluster (its row of grades included) covers another."""
    assert len(parts) >= 5, view
    covering = [(a, b) for n, (a, ra) in enumerate(parts) for b, rb in parts[n + 1:] if a != b and not _apart(ra, rb)]
    assert not covering, f"{view}: markers over markers: {covering}"


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_markers_and_labels_keep_apart_in_every_view(server: Server, page_at, width, height):
    """Each view in a page of its own (the dashboard reads the view from the
    address when it loads), at a desktop's and a phone's size."""
    for view in VIEWS:
        page = page_at(width, height)
        page.goto(server.url + view)
        layout = _layout(page)
        if view in ("/", ZOOMED_IN):
            _labels_apart(layout, view, width)
        _markers_apart(page.evaluate(PARTS), view)
        assert page.errors == [], view


def test_place_dots_cannot_be_taken_for_discounted_incidents(server: Server, page_at):
    page = page_at(1366, 900)
    page.goto(server.url + "/")
    page.wait_for_selector("#map path.place-dot")
    dot = page.locator("#map path.place-dot").first
    assert dot.get_attribute("fill") == "#222222"  # solid and dark
    discounted = page.locator('.legend li.shape[data-grade="discounted"] circle')
    assert discounted.get_attribute("fill") == "#ffffff"  # hollow
    assert page.locator(".legend li", has_text="town or village (small solid dot)").count() == 1


def test_clusters_show_the_grades_and_types_they_hold(server: Server, page_at):
    page = page_at(1366, 900)
    page.goto(server.url + "/#z=7&lat=40.000&lon=46.700")
    page.wait_for_selector("#map .truce-cluster div[title]")
    titles = page.locator("#map .truce-cluster div[title]").evaluate_all("els => els.map(e => e.title)")
    assert any("Explosions/Remote violence" in t and "grades:" in t for t in titles), titles
    biggest = max(titles, key=lambda t: int(t.split()[0]))
    count = int(biggest.split()[0])
    by_grade = biggest.split("grades: ")[1].split(", ")
    assert sum(int(g.split()[0]) for g in by_grade) == count
    cluster = page.locator("#map .truce-cluster").first
    assert cluster.locator("circle[data-type]").count() >= 1
    assert cluster.locator(".cg[data-grade]").count() >= 1


def test_the_map_draws_the_line_of_the_chosen_day_as_the_control_changes_had_moved_it(server: Server, page_at):
    import httpx
    import shapely
    from shapely.geometry import shape

    def served(day: str) -> dict:
        answer = httpx.get(f"{server.url}/api/map/geometry?date={day}", timeout=60)
        assert answer.status_code == 200
        return answer.json()["line"]

    late, first = served("2020-11-09"), served("2020-09-27")
    line_late, line_first = (shape(g["features"][0]["geometry"]) for g in (late, first))
    taken = shapely.union_all([shape(f["geometry"]) for f in late["changed_ground"]["features"]])
    assert first["changed_ground"]["features"] == [] and "no recorded control change" in first["derivation"]
    assert "8 recorded control changes up to 8 Nov 2020" in late["derivation"]
    shusha, hadrut, stepanakert = (46.74989, 39.76006), (47.0318, 39.52002), (46.7528, 39.8177)
    for lon, lat in (shusha, hadrut):
        at = shapely.Point(lon, lat)
        assert taken.contains(at)  # on Azerbaijan's side of the day's line, which runs around it
        assert line_late.distance(at) < 0.07 < line_first.distance(at)  # degrees: ~5 km, where it was not
    assert not taken.contains(shapely.Point(*stepanakert))

    page = page_at(1366, 900)
    page.goto(server.url + "/#day=2020-11-09&z=8.5&lat=39.700&lon=46.900")
    page.wait_for_function("document.querySelector('#map').dataset.lineDay === '2020-11-09'")
    shades = page.locator('#map path[fill="#0072B2"]')
    assert shades.count() >= 1  # the changed ground, shaded in Azerbaijan's colour under the line
    assert page.locator("#map path[stroke='#b2182b']").count() >= 1
    assert page.locator(".legend li", has_text="ground that had changed hands by the day").count() == 1
    assert page.errors == []
