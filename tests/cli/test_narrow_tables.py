"""Tables in a narrow terminal: every column keeps at least its heading's
longest word (no column collapses to nothing, a heading wraps only between
words), dates and codes stay whole, and long text wraps; no word and no id is
ever broken: rows too wide for a table that narrow are printed as records,
on the demo store through the CLI."""

from __future__ import annotations

import json
import re

import pytest

from cli_main import run_main, token_for
from demo_store import THEATRE_TZ, build_demo_store, run_truce


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    url = build_demo_store(tmp_path_factory.mktemp("narrow") / "demo.db")
    run_truce("cases", "open", "--agreement", "truce-2020-10-10", "--incident",
              "inc-20201014-bukharli-bombardment", "--summary", "Shelling of Bukharli",
              "--token", token_for("demo-analyst", url), url=url)
    return url


def _cells(line: str, bar: str) -> list[str]:
    return [c.strip() for c in line.strip().strip(bar).split(bar)]


def _shown(url: str, width: int, *command: str) -> str:
    done = run_main(*command, env={"TRUCE_DATABASE_URL": url, "TRUCE_TIMEZONE": THEATRE_TZ,
                                   "COLUMNS": str(width)})
    assert done.returncode == 0, done.stderr
    assert all(len(line) <= width for line in done.stdout.splitlines()), done.stdout
    return done.stdout


def _table(url: str, width: int, *command: str) -> tuple[list[str], list[list[str]]]:
    lines = _shown(url, width, *command).splitlines()
    heading_lines = [_cells(line, "┃") for line in lines if line.startswith("┃")]
    headings = [" ".join(filter(None, words)) for words in zip(*heading_lines, strict=True)]
    body = [_cells(line, "│") for line in lines if line.startswith("│")]
    return headings, body


@pytest.mark.parametrize("width", [100, 80])
@pytest.mark.parametrize("command", [("sources", "list"), ("cases", "list"),
                                     ("incidents", "list", "--to", "2020-09-30")])
def test_no_word_or_id_is_broken(demo, width, command):
    rows = [json.loads(r) for r in run_truce(*command, "--format", "json", url=demo).splitlines()]
    assert rows
    tokens = set(re.split(r"[\s│┃]+", _shown(demo, width, *command)))
    words = {w for r in rows for k, v in r.items() if k in {"id", "title", "name", "grade", "place"}
             and isinstance(v, str) for w in v.split()}
    assert words and not words - tokens, f"broken at {width} columns: {sorted(words - tokens)[:10]}"


@pytest.mark.parametrize("width", [100, 80])
@pytest.mark.parametrize("command", [("sources", "list"), ("cases", "list"), ("incidents", "list")])
def test_every_heading_is_whole_and_no_filled_column_is_empty(demo, width, command):
    rows = [json.loads(r) for r in run_truce(*command, "--format", "json", url=demo).splitlines()]
    shown = _shown(demo, width, *command)
    filled = [k for k in rows[0] if any(r.get(k) not in (None, "", [], False) for r in rows)]
    if "┃" not in shown:  # too wide for a table: records, each filled field under its heading
        labels = {line.split("  ")[1].split(" (")[0] for line in shown.splitlines()
                  if line.startswith("  ") and line[2] != " "}
        assert labels <= set(rows[0]) and len(labels) >= 3, labels
        firsts = {line for line in shown.splitlines() if line and not line.startswith(" ")}
        assert firsts >= {r["id"] for r in rows}
        return
    headings, body = _table(demo, width, *command)
    keys = [h.split(" (")[0] for h in headings]
    assert set(keys) <= set(rows[0]) and len(keys) >= 5, headings
    for n, key in enumerate(keys):
        if key in filled:  # a table marks only the true
            assert any(line[n] for line in body), f"{key} is empty at {width} columns"


def test_dates_and_codes_stay_whole_in_a_narrow_terminal(demo):
    shown = _shown(demo, 80, "incidents", "list")
    dates = re.findall(r"^  date +(\S+)$", shown, re.M) or [
        line[1] for line in _table(demo, 80, "incidents", "list")[1]]
    assert dates and all(len(d) == 10 and d[4] == "-" for d in dates)
    countries = re.findall(r"^  country +(.*)$", shown, re.M)
    assert countries and set(countries) <= {"AZ", "AM", "IR", "GE"}


@pytest.mark.parametrize("width", [100, 80])
def test_an_incidents_tables_break_no_word(demo, width):
    shown = _shown(demo, width, "incidents", "show", "inc-20201008-shusha-cathedral")
    detail = json.loads(run_truce("incidents", "show", "inc-20201008-shusha-cathedral", "--format", "json", url=demo))
    tokens = set(re.split(r"[\s│┃]+", shown))
    words = {w for c in detail["claims"] for w in (c.get("text") or "").split()}
    assert len(words) > 20 and not words - tokens, f"broken at {width} columns: {sorted(words - tokens)[:10]}"


def test_a_report_in_the_queue_wraps_under_itself_in_a_narrow_terminal(demo):
    shown = _shown(demo, 80, "review", "list", "--kind", "report")
    ids = {json.loads(r)["id"] for r in run_truce("review", "list", "--kind", "report", "--format", "json",
                                                    url=demo).splitlines()}
    lines = [line for line in shown.splitlines()[1:] if line.strip()]
    assert len(ids) >= 3 and len(lines) > 3 * len(ids)
    stray = [line for line in lines if line.split()[0] not in ids and not line.startswith("    ")]
    assert not stray, f"wrapped back to column 0: {stray}"
    csv_head = run_truce("review", "list", "--kind", "report", "--format", "csv", url=demo).splitlines()[0]
    assert {"observed_at", "observer_name"} <= set(csv_head.split(","))
