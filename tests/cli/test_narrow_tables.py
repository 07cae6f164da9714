"""Tables in a narrow terminal: every column keeps at least its heading's
longest word (no column collapses to nothing, a heading wraps only between
words), dates and codes stay whole, and long text wraps, on the demo store
through the CLI."""

from __future__ import annotations

import json

import pytest

from cli_main import run_main
from demo_store import THEATRE_TZ, build_demo_store, run_truce


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    url = build_demo_store(tmp_path_factory.mktemp("narrow") / "demo.db")
    run_truce("cases", "open", "--agreement", "truce-2020-10-10", "--incident",
              "inc-20201014-bukharli-bombardment", "--summary", "Shelling of Bukharli", url=url)
    return url


def _cells(line: str, bar: str) -> list[str]:
    return [c.strip() for c in line.strip().strip(bar).split(bar)]


def _table(url: str, width: int, *command: str) -> tuple[list[str], list[list[str]]]:
    done = run_main(*command, env={"TRUCE_DATABASE_URL": url, "TRUCE_TIMEZONE": THEATRE_TZ,
                                   "COLUMNS": str(width)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= width for line in lines), done.stdout
    heading_lines = [_cells(line, "┃") for line in lines if line.startswith("┃")]
    headings = [" ".join(filter(None, words)) for words in zip(*heading_lines, strict=True)]
    body = [_cells(line, "│") for line in lines if line.startswith("│")]
    return headings, body


@pytest.mark.parametrize("width", [100, 80])
@pytest.mark.parametrize("command", [("sources", "list"), ("cases", "list"), ("incidents", "list")])
def test_every_heading_is_whole_and_no_filled_column_is_empty(demo, width, command):
    rows = [json.loads(r) for r in run_truce(*command, "--format", "json", url=demo).splitlines()]
    headings, body = _table(demo, width, *command)
    keys = [h.split(" (")[0] for h in headings]
    assert set(keys) <= set(rows[0]) and len(keys) >= 5, headings
    for n, key in enumerate(keys):
        if any(r.get(key) not in (None, "", [], False) for r in rows):  # a table marks only the true
            assert any(line[n] for line in body), f"{key} is empty at {width} columns"


def test_dates_and_codes_stay_whole_in_a_narrow_terminal(demo):
    _headings, body = _table(demo, 80, "incidents", "list")
    dates = [line[1] for line in body if line[1]]
    assert dates and all(len(d) == 10 and d[4] == "-" for d in dates)
    assert {line[4] for line in body if line[4]} <= {"AZ", "AM", "IR", "GE"}
