"""What the printed daily report looks like: table rows whole on one page,
sectors named as the theatre names places."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from demo_store import build_demo_store, run_truce

pytestmark = pytest.mark.slow

DAY = date(2020, 10, 14)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp("print") / "demo.db"
    return build_demo_store(path), path


NAMES = {"public": "2020-10-14.html", "restricted": "2020-10-14-restricted.html"}


@pytest.fixture(scope="module")
def written(demo, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], str]:
    """Both editions of DAY's report, written once by `truce report` for the
    module's tests: (edition -> its HTML file, the PDF beside it; what the
    public edition's command, run as a user runs it, wrote to stderr)."""
    import subprocess
    import sys

    from demo_store import truce_env

    url, _path = demo
    out = tmp_path_factory.mktemp("printed")
    done = subprocess.run([sys.executable, "-m", "truce", "report", "--date", DAY.isoformat(), "-o", str(out),
                           "--db", url], env=truce_env(url), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    run_truce("report", "--date", DAY.isoformat(), "--edition", "restricted", "-o", str(out), "--db", url, url=url)
    return {edition: out / name for edition, name in NAMES.items()}, done.stderr


@pytest.fixture(scope="module")
def printed(written) -> dict[str, Path]:
    return written[0]


@pytest.fixture(scope="module")
def laid_out(printed):
    """Each edition's HTML laid out as the PDF prints it (WeasyPrint), once per module."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    documents = {}

    def layout(edition: str):
        if edition not in documents:
            html = printed[edition].read_text(encoding="utf-8")
            documents[edition] = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
        return documents[edition]

    return layout


def _pages_of_rows(document) -> dict[object, set[int]]:
    """Each body row of a laid-out report's tables: the pages it lies on (a
    header row repeats on each page by design)."""
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox

    found: dict[object, set[int]] = defaultdict(set)

    def walk(box, page: int) -> None:
        if isinstance(box, TableRowGroupBox) and box.is_header:
            return
        if isinstance(box, TableRowBox):
            found[box.element].add(page)
        for child in getattr(box, "children", ()):
            walk(child, page)

    for n, page in enumerate(document.pages):
        walk(page._page_box, n)
    return found


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_no_table_row_of_the_printed_report_is_split_across_pages(laid_out, edition: str) -> None:
    rows = _pages_of_rows(laid_out(edition))
    assert len(rows) > 10
    split = [" ".join(e.itertext()).strip()[:60] for e, pages in rows.items() if len(pages) > 1]
    assert not split, f"rows split across pages: {split}"


def test_the_report_names_sectors_through_the_theatres_naming_setting(printed) -> None:
    page = " ".join(printed["public"].read_text(encoding="utf-8").replace("<wbr>", "").split())
    north = "Karvachar-Mrav / Kalbajar-Murovdag (north)"
    assert f"In the {north} sector" in page
    assert f'<th scope="row">{north}</th>' in page
    assert "Kalbajar-Murovdag (north)" not in page.replace(north, "")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(printed["public"].with_suffix(".pdf")).pages).split())
    assert "Karvachar-Mrav / Kalbajar-Murovdag" in text


def _colour(image, at: tuple[float, float], r: int = 2) -> tuple[int, int, int]:
    """The mean colour around ``at`` (pixels, origin bottom left as Matplotlib counts)."""
    x, y = int(at[0]), image.height - int(at[1])
    box = [image.getpixel((i, j))[:3] for i in range(x - r, x + r + 1) for j in range(y - r, y + r + 1)]
    return tuple(sum(c[k] for c in box) // len(box) for k in range(3))


def test_the_days_map_keeps_neighbours_changed_ground_and_incidents_apart(demo) -> None:
    """Iran is neutral grey, not the blue of Azerbaijan's changed ground; the
    changed ground is hatched (no incident marker is); a changed place's label
    lies outside its disc and inside the frame."""
    import io

    from PIL import Image

    from truce.report.geometry import changes_on, line_of_day, map_places
    from truce.report.staticmap import draw_map
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    url, _path = demo
    engine = make_engine(url)
    with UnitOfWork(engine) as uow:
        changes = changes_on(uow, DAY, 5000.0)
        drawn = draw_map([(45.73156, 40.1827, "Explosions/Remote violence", "corroborated")],
                         line_of_day(uow, DAY, 5000.0), "test", places=map_places(uow), changes=changes)
    engine.dispose()
    image = Image.open(io.BytesIO(drawn.png)).convert("RGB")
    iran = _colour(image, drawn.pixel(47.6, 39.1))
    assert max(iran) - min(iran) <= 6, f"Iran is neutral grey, not {iran}"
    jabrayil = next(c for c in changes if c.label == "Jrakan / Jabrayil")
    centre = drawn.pixel(jabrayil.longitude, jabrayil.latitude - 0.025)  # inside its 5 km disc, off its dot
    ground = [image.getpixel((int(centre[0]) + i, image.height - int(centre[1]) + j))
              for i in range(-6, 7) for j in range(-6, 7)]
    assert len({sum(p) // 40 for p in ground}) >= 2, "the changed ground is hatched, not one flat fill"
    assert any(b > r + 60 for r, _g, b in ground), "hatched in Azerbaijan's blue"
    assert _colour(image, centre, 6) != iran
    label = drawn.labels["Jrakan / Jabrayil (AZE since 4 Oct)"]
    edge = drawn.pixel(jabrayil.longitude + 5.0 / 85.0, jabrayil.latitude)  # 5 km east of the place
    middle = drawn.pixel(jabrayil.longitude, jabrayil.latitude)
    radius = edge[0] - middle[0]
    nearest = (min(max(middle[0], label[0]), label[2]), min(max(middle[1], label[1]), label[3]))
    assert ((nearest[0] - middle[0]) ** 2 + (nearest[1] - middle[1]) ** 2) ** 0.5 >= radius * 0.95
    f = drawn.frame
    assert all(f[0] <= b[0] and b[2] <= f[2] and f[1] <= b[1] and b[3] <= f[3] for b in drawn.labels.values())


def test_building_the_report_prints_no_warnings(written) -> None:
    _files, stderr = written
    assert stderr.strip() == "", stderr


def test_a_figure_of_one_incident_says_incident(demo, tmp_path: Path) -> None:
    url, _path = demo
    run_truce("report", "--date", "2020-09-27", "-o", str(tmp_path), "--db", url, url=url)
    page = " ".join((tmp_path / "2020-09-27.html").read_text(encoding="utf-8").split())
    assert not re.search(r"(?<![\d,])1 incidents", page)
    assert re.search(r"in <a class=\"n\" [^>]*>1 incident</a>", page)


def _line_fragments(document, css_class: str) -> dict[object, int]:
    """How many line fragments each inline element of ``css_class`` is laid
    out in by the PDF renderer (1: it stays on one line)."""
    from weasyprint.formatting_structure.boxes import InlineBox

    fragments: dict[object, int] = defaultdict(int)

    def walk(box) -> None:
        if isinstance(box, InlineBox) and css_class in (box.element.get("class") or "").split():
            fragments[box.element] += 1
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return fragments


def test_a_ledger_sequence_number_is_never_split_across_lines(laid_out) -> None:
    fragments = _line_fragments(laid_out("public"), "entry")
    assert len(fragments) > 20
    split = ["".join(e.itertext()) for e, n in fragments.items() if n > 1]
    assert not split, f"sequence numbers split across lines: {split}"


def test_the_map_follows_the_summary_on_the_first_page(laid_out) -> None:
    """The map is kept whole, but its long caption may run on: the first page
    is never left three-quarters blank with the map pushed to the next."""
    document = laid_out("public")

    def has_map(box) -> bool:
        element = getattr(box, "element", None)
        if element is not None and element.tag == "img" and element.get("alt", "").startswith("Map of the theatre"):
            return True
        return any(has_map(child) for child in getattr(box, "children", ()))

    pages = [n for n, page in enumerate(document.pages) if has_map(page._page_box)]
    assert pages == [0], f"the map is on page(s) {[p + 1 for p in pages]}"


def test_an_incident_known_only_to_the_day_has_no_time_of_day_in_the_list(printed) -> None:
    listed = printed["public"].read_text(encoding="utf-8").split('id="list"', 1)[1].split("</table>")[0]
    times = re.findall(r"<tr><td>([^<]*)</td>", listed)
    assert times and "00:00" not in times and "that day" in times, times
