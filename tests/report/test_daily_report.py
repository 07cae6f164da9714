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
    return re.sub(r"\s+", " ", text)


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
