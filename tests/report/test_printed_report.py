"""What the printed daily report looks like: table rows whole on one page,
sectors named as the theatre names places."""

from __future__ import annotations

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


def _pages_of_rows(html: str) -> dict[object, set[int]]:
    """Each body row of ``html``'s tables laid out as the PDF prints it: the
    pages it lies on (a header row repeats on each page by design)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
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
def test_no_table_row_of_the_printed_report_is_split_across_pages(demo, tmp_path: Path, edition: str) -> None:
    url, _path = demo
    run_truce("report", "--date", DAY.isoformat(), "--edition", edition, "-o", str(tmp_path), "--db", url, url=url)
    name = "2020-10-14.html" if edition == "public" else "2020-10-14-restricted.html"
    rows = _pages_of_rows((tmp_path / name).read_text(encoding="utf-8"))
    assert len(rows) > 10
    split = [" ".join(e.itertext()).strip()[:60] for e, pages in rows.items() if len(pages) > 1]
    assert not split, f"rows split across pages: {split}"


def test_the_report_names_sectors_through_the_theatres_naming_setting(demo, tmp_path: Path) -> None:
    url, _path = demo
    run_truce("report", "--date", DAY.isoformat(), "-o", str(tmp_path), "--db", url, url=url)
    page = " ".join((tmp_path / "2020-10-14.html").read_text(encoding="utf-8").split())
    north = "Karvachar-Mrav / Kalbajar-Murovdag (north)"
    assert f"In the {north} sector" in page
    assert f'<th scope="row">{north}</th>' in page
    assert "Kalbajar-Murovdag (north)" not in page.replace(north, "")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "2020-10-14.pdf").pages).split())
    assert "Karvachar-Mrav / Kalbajar-Murovdag" in text
