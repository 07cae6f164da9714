"""Each figure of the daily report names the ledger entries it counts, and
each one verifies by inclusion proof against the checkpoint the report prints."""

from __future__ import annotations

import base64
import html as html_lib
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from cli_main import token_for
from demo_store import run_truce
from truce.verifier import leaf_hash, parse_vkey, verify_checkpoint, verify_inclusion

pytestmark = pytest.mark.slow

DAY = "2020-10-14"
FIGURE = re.compile(r'<a class="n" href="([^"]+)">([^<]+)</a><sup class="le"><a href="#le-(\d+)"')
ROW = re.compile(r'<tr id="le-(\d+)"><th scope="row">\[\d+\]</th><td>(\d+): ([^<]*)</td>'
                 r'<td class="entries">(.*?)</td></tr>', re.S)
ENTRY = re.compile(r'<a class="entry" href="([^"]+)">(\d+)</a>(\*?) (\S+?)(?:;|\s*$)')


@pytest.fixture
def signed_demo(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """The demo store with a log key and a witness's cosigned checkpoint."""
    url = f"sqlite:///{demo_db}"
    for name, args in (("log", []), ("arm", ["--witness"])):
        run_truce("ledger", "keygen", "-o", str(tmp_path / f"{name}.key"), "--name", f"{name}.example/k", *args,
                  url=url)
    monkeypatch.setenv("TRUCE_LOG_KEY", str(tmp_path / "log.key"))
    (tmp_path / "cp.txt").write_text(run_truce("ledger", "checkpoint", "--db", url, url=url))
    run_truce("ledger", "cosign", str(tmp_path / "cp.txt"), "--key", str(tmp_path / "arm.key"),
              "--log-key", str(tmp_path / "log.key.pub"), "--db", url, url=url)
    return url, tmp_path


def _entry_leaf(db: Path, seq: int) -> tuple[str, bytes]:
    from truce.store.ledger import entry_of
    from truce.verifier import entry_bytes

    with sqlite3.connect(db, detect_types=sqlite3.PARSE_DECLTYPES) as con:
        row = con.execute("SELECT seq, at, actor, action, record_id, content_hash, prev_hash FROM ledger "
                          "WHERE seq = ?", (seq,)).fetchone()
    from datetime import datetime

    at = row[1] if isinstance(row[1], datetime) else datetime.fromisoformat(str(row[1]))
    return row[4], leaf_hash(entry_bytes(entry_of(row[0], at, *row[2:])))


def _check_report(url: str, tmp: Path, db: Path, day: str, edition: str) -> set[str]:
    """Every figure of the report has its row of entries, as many incidents
    as it counts, each entry proven in the printed checkpoint's tree through
    the link the report gives; the tables the entries name."""
    from truce.api.app import create_app
    from truce.settings import Settings

    out = tmp / "out"
    run_truce("report", "--date", day, "--edition", edition, "-o", str(out), "--db", url, url=url)
    stem = day if edition == "public" else f"{day}-restricted"
    page = (out / f"{stem}.html").read_text(encoding="utf-8")
    note_text = html_lib.unescape(re.search(r'<pre class="checkpoint"[^>]*>(.*?)</pre>', page, re.S).group(1))
    note = verify_checkpoint(note_text, parse_vkey((tmp / "log.key.pub").read_text()))
    figures = FIGURE.findall(page)
    assert len(figures) >= 10
    rows = {mark: (int(value), label, cell) for mark, value, label, cell in ROW.findall(page)}
    assert {mark for _href, _text, mark in figures} == set(rows), "every mark has its row, every row a figure"

    tables = set()
    with TestClient(create_app(Settings(database_url=url, log_key=tmp / "log.key"))) as client:
        for _href, _text, mark in figures:
            value, label, cell = rows[mark]
            entries = ENTRY.findall(html_lib.unescape(cell.replace("\n", " ")))
            incidents = [e for e in entries if e[3].startswith("incidents/")]
            assert len(incidents) == value, (label, value, entries)  # the figure counts exactly these incidents
            if value == 0:
                assert cell.strip() == "none", (label, cell)
            for proof_url, seq, late, record in entries:
                assert not late, "the cosigned checkpoint covers every entry of the day"
                assert proof_url == f"http://127.0.0.1:8000/api/ledger/proof/inclusion?seq={seq}&size={note.size}"
                body = client.get(proof_url.removeprefix("http://127.0.0.1:8000")).json()
                named, leaf = _entry_leaf(db, int(seq))
                assert named == record and base64.b64decode(body["leaf_hash"]) == leaf
                verify_inclusion(int(seq) - 1, note.size, leaf, [base64.b64decode(p) for p in body["proof"]],
                                 note.root)
                tables.add(record.partition("/")[0])
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out / f"{stem}.pdf").pages))
    assert "Ledger entries behind the figures" in text
    return tables


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_every_figure_names_entries_that_verify_against_the_printed_checkpoint(signed_demo, demo_db, edition):
    url, tmp = signed_demo
    assert {"incidents", "violations"} <= _check_report(url, tmp, demo_db, DAY, edition)


def test_a_casualty_range_names_the_casualty_figures_it_sums(signed_demo, demo_db):
    url, tmp = signed_demo
    assert "casualty_figures" in _check_report(url, tmp, demo_db, "2020-10-11", "public")


def test_public_edition_names_only_published_records(signed_demo, demo_db):
    url, tmp = signed_demo
    run_truce("report", "--date", DAY, "-o", str(tmp / "out"), "--db", url, url=url)
    page = (tmp / "out" / f"{DAY}.html").read_text(encoding="utf-8")
    named = {e[3].partition("/")[2] for _m, _v, _l, cell in ROW.findall(page) for e in ENTRY.findall(cell)
             if e[3].startswith("incidents/")}
    with sqlite3.connect(demo_db) as con:
        published = {i for (i,) in con.execute("SELECT id FROM incidents WHERE status = 'published'")}
    assert named and named <= published


def test_an_entry_newer_than_the_cosigned_checkpoint_is_marked_with_its_tree(signed_demo, demo_db):
    url, tmp = signed_demo
    iid = "inc-20201014-arm-launchers"
    run_truce("incidents", "grade", iid, "--override", "verified", "--reason", "seen again",
              "--token", token_for("demo-analyst", url), "--db", url, url=url)
    run_truce("report", "--date", DAY, "-o", str(tmp / "out"), "--db", url, url=url)
    page = (tmp / "out" / f"{DAY}.html").read_text(encoding="utf-8")
    with sqlite3.connect(demo_db) as con:
        (seq,) = con.execute("SELECT max(seq) FROM ledger WHERE record_id = ?", (f"incidents/{iid}",)).fetchone()
        (head,) = con.execute("SELECT max(seq) FROM ledger").fetchone()
    assert "Entries marked * are newer than that checkpoint" in page
    assert f'inclusion?seq={seq}&amp;size={head}">{seq}</a>* incidents/{iid}' in page
