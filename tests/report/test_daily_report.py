"""`truce report` writes HTML and PDF whose headline numbers match the
database, counted here independently with plain SQL."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from demo_store import THEATRE_TZ, build_demo_store, run_truce

pytestmark = pytest.mark.slow

DAY = date(2020, 10, 14)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp("report") / "demo.db"
    return build_demo_store(path), path


def _bounds(day: date) -> tuple[str, str]:
    tz = ZoneInfo(THEATRE_TZ)
    lo = datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    return lo.strftime("%Y-%m-%d %H:%M:%S"), hi.strftime("%Y-%m-%d %H:%M:%S")


def headline(db: Path, day: date) -> dict[str, int]:
    """The day's figures by the report's stated definitions, in plain SQL."""
    lo, hi = _bounds(day)
    plo, phi = _bounds(day - timedelta(days=1))
    con = sqlite3.connect(db)
    of_day = "status = 'published' AND start >= ? AND start < ?"
    violating = ("SELECT DISTINCT i.id, i.event_type FROM incidents i "
                 f"JOIN violations v ON v.incident_id = i.id WHERE {of_day}")
    figures = {
        "incidents": con.execute(f"SELECT count(*) FROM incidents WHERE {of_day}", (lo, hi)).fetchone()[0],
        "violations": con.execute(f"SELECT count(*) FROM ({violating})", (lo, hi)).fetchone()[0],
        "explosions": con.execute(f"SELECT count(*) FROM ({violating}) WHERE event_type = ?",
                                  (lo, hi, "Explosions/Remote violence")).fetchone()[0],
        "previous": con.execute(f"SELECT count(*) FROM ({violating})", (plo, phi)).fetchone()[0],
    }
    con.close()
    return figures


def _words(text: str) -> str:
    """Text with its whitespace folded and the figures' marks ([n], to their ledger entries) left out."""
    return re.sub(r"\s+", " ", re.sub(r" ?\[\d+\]", "", text))


def test_report_of_14_october_has_the_days_headline_numbers_in_html_and_pdf(demo, tmp_path: Path) -> None:
    url, path = demo
    out = tmp_path / "out"
    run_truce("report", "--date", DAY.isoformat(), "-o", str(out), "--db", url, url=url)
    html, pdf = out / "2020-10-14.html", out / "2020-10-14.pdf"
    assert html.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")

    n = headline(path, DAY)
    assert n["incidents"] > 0 and n["violations"] > 0, "the demo day must have incidents and violations"
    text = _words(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert f"recorded {n['incidents']} incident" in text
    assert f"recorded {n['violations']} ceasefire violation" in text
    assert f"including {n['explosions']} explosion" in text
    assert f"In the previous period, {n['previous']}" in text
    assert "Strike on missile launch sites inside Armenia" in text

    page = html.read_text(encoding="utf-8")
    link = rf'href="[^"]*/incidents\?from=2020-10-14&amp;to=2020-10-14&amp;violations=1">{n["violations"]}</a>'
    assert re.search(link, page)


def test_every_figure_in_the_html_links_to_its_incident_list(demo, tmp_path: Path) -> None:
    url, _path = demo
    run_truce("report", "--date", DAY.isoformat(), "-o", str(tmp_path), "--db", url, url=url)
    page = (tmp_path / "2020-10-14.html").read_text(encoding="utf-8")
    figures = re.findall(r'<a class="n" href="([^"]+)">', page)
    assert len(figures) >= 10
    assert all("/incidents?" in href and "from=2020-10-1" in href for href in figures)


def test_public_edition_leaves_out_alerts_and_the_restricted_edition_has_them(demo, tmp_path: Path) -> None:
    url, _path = demo
    run_truce("report", "--date", DAY.isoformat(), "-o", str(tmp_path), "--db", url, url=url)
    run_truce("report", "--date", DAY.isoformat(), "--edition", "restricted", "-o", str(tmp_path), "--db", url, url=url)
    public = (tmp_path / "2020-10-14.html").read_text(encoding="utf-8")
    restricted = (tmp_path / "2020-10-14-restricted.html").read_text(encoding="utf-8")
    assert 'id="alerts"' not in public and 'id="alerts"' in restricted
    assert "restricted edition" in restricted


def test_unknown_edition_is_a_one_line_error(demo, tmp_path: Path) -> None:
    import subprocess
    import sys

    from demo_store import truce_env

    url, _path = demo
    done = subprocess.run([sys.executable, "-m", "truce", "report", "--date", "2020-10-14", "--edition", "secret",
                           "-o", str(tmp_path), "--db", url], env=truce_env(url), capture_output=True, text=True)
    assert done.returncode == 1
    assert "unknown edition 'secret'" in done.stderr
    assert not list(tmp_path.iterdir())


def test_the_days_map_is_a_real_map_and_says_what_it_leaves_out(demo, tmp_path: Path) -> None:
    """Every located incident drawn, the unlocated ones named with why, places
    labelled without overlaps, the line as control changes had moved it, no axes."""
    from truce.report.geometry import changes_on, line_of_day, map_places
    from truce.report.staticmap import draw_map
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    url, _path = demo
    run_truce("report", "--date", DAY.isoformat(), "-o", str(tmp_path), "--db", url, url=url)
    page = _words((tmp_path / "2020-10-14.html").read_text(encoding="utf-8"))
    assert "the 1 located of the day's 4 incidents" in page
    assert "Not on the map (3 of the day's incidents have no coordinates)" in page
    assert "Bukharli: located only to its country (AZ), the place is not in the gazetteer" in page

    engine = make_engine(url)
    with UnitOfWork(engine) as uow:
        points = [(45.73156, 40.1827, "Explosions/Remote violence", "corroborated")]
        before = changes_on(uow, date(2020, 11, 7), 5000.0)
        after = changes_on(uow, date(2020, 11, 9), 5000.0)
        drawn = draw_map(points, line_of_day(uow, date(2020, 11, 9), 5000.0), "test", places=map_places(uow),
                         changes=after)
    engine.dispose()
    assert "Shushi / Shusha" not in {c.label for c in before}
    assert "Shushi / Shusha" in {c.label for c in after} and "Hadrut" in {c.label for c in before}
    labels = drawn.labels
    assert "Stepanakert / Khankendi" in labels and "Vardenis" in labels
    assert "Shushi / Shusha (AZE since 8 Nov)" in labels
    boxes = list(labels.values())
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:] + drawn.markers * (a != labels["Vardenis"]):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert drawn.axes_ticks == 0 and drawn.png.startswith(b"\x89PNG")


def test_the_days_map_draws_the_line_as_the_control_changes_of_that_day_and_before_had_moved_it(demo, tmp_path: Path):
    """9 Nov 2020: the line runs around each place Azerbaijan had taken, which
    lies on its side; 27 Sep: the pre-war line, nothing shaded."""
    import shapely
    from shapely.geometry import shape

    from truce.geo.geometry import project_geometry, read_line_versions, to_metres
    from truce.report.build import build_report
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    url, _path = demo
    engine = make_engine(url)
    with UnitOfWork(engine) as uow:
        late, first = build_report(uow, date(2020, 11, 9)), build_report(uow, date(2020, 9, 27))
    engine.dispose()
    pre_war = shapely.union_all([project_geometry(shape(g)) for d, _s, g in read_line_versions()
                                 if d == date(2020, 9, 27)])
    line_late, line_first = (project_geometry(shape(r.line["features"][0]["geometry"])) for r in (late, first))
    taken = shapely.union_all([project_geometry(shape(f["geometry"]))
                               for f in late.line["changed_ground"]["features"] if f["properties"]["side"] == "AZE"])
    assert line_first.hausdorff_distance(pre_war) < 3_500 and not first.line["changed_ground"]["features"]
    labels = {c.label.split(" / ")[-1]: c for c in late.map_changes}
    for name in ("Shusha", "Hadrut", "Jabrayil", "Fuzuli", "Zangilan", "Gubadli", "Sugovushan"):
        at = shapely.Point(*to_metres(labels[name].longitude, labels[name].latitude))
        assert taken.contains(at), name  # on Azerbaijan's side of the day's line
        assert 3_500 < line_late.distance(at) < 5_500, name  # the line runs around it
        near = at.buffer(6_000)
        assert line_late.intersection(near).length > 5_000, name
        before = line_first.intersection(near)
        assert before.is_empty or line_late.intersection(near).hausdorff_distance(before) > 1_000, name
    for lon, lat in ((46.7528, 39.8177), (46.82086, 40.21238), (46.93161, 40.34201)):  # Stepanakert, Martakert, Tartar
        assert not taken.contains(shapely.Point(*to_metres(lon, lat)))

    run_truce("report", "--date", "2020-11-09", "-o", str(tmp_path), "--db", url, url=url)
    run_truce("report", "--date", "2020-09-27", "-o", str(tmp_path), "--db", url, url=url)
    late_page = _words((tmp_path / "2020-11-09.html").read_text(encoding="utf-8"))
    first_page = _words((tmp_path / "2020-09-27.html").read_text(encoding="utf-8"))
    assert "Line of contact as of 2020-11-09: the 1994-2020 line moved by 8 recorded control changes up to " \
           "8 Nov 2020: a 5 km disc around each place" in late_page
    assert "Line of contact as of 2020-09-27: the 1994-2020 line: no recorded control change had moved it" \
           in first_page
    text = _words(" ".join(page.extract_text() for page in PdfReader(tmp_path / "2020-11-09.pdf").pages))
    assert "moved by 8 recorded control changes" in text


def test_running_tolls_say_whose_losses_they_count(demo, tmp_path: Path) -> None:
    url, _path = demo
    run_truce("report", "--date", DAY.isoformat(), "-o", str(tmp_path), "--db", url, url=url)
    page = _words((tmp_path / "2020-10-14.html").read_text(encoding="utf-8"))
    assert "losses of Nagorno-Karabakh de facto authorities</strong>, civilian killed" in page
    assert "losses of Azerbaijan</strong>, civilian killed" in page
    assert "whose losses: not stated by the source</strong>, unknown killed" in page
