"""On the demo theatre, through the CLI, on SQLite and PostgreSQL: the
capture of eight villages is Azerbaijan's advance, and the 14 October
new-geography alert is in that day's daily report, placed by event time."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from truce.cli import app

pytestmark = pytest.mark.slow

runner = CliRunner()


def truce(*args: str) -> str:
    result = runner.invoke(app, list(args), terminal_width=250)
    assert result.exit_code == 0, result.output
    return result.output


def test_eight_villages_are_azerbaijans_advance_and_the_alert_is_on_its_event_day(db_url, tmp_path):
    truce("init", "--db", db_url)
    truce("demo", "load", "--db", db_url)

    tally = truce("violations", "--db", db_url, "-a", "truce-2020-10-10", "--by", "party",
                  "--by", "term")
    rows = {tuple(c.strip() for c in line.split("│")[1:3]) for line in tally.splitlines()
            if line.count("│") >= 5}
    assert ("AZE", "no_advance") in rows
    assert ("unattributed", "no_advance") not in rows

    alerts = truce("alerts", "list", "--all", "--kind", "new_geography", "--db", db_url)
    assert "14 Oct 2020" in alerts and "Strike on missile launch sites inside Armenia" in alerts
    assert "grade corroborated" in alerts or "grade single-source" in alerts

    truce("report", "--db", db_url, "--date", "2020-10-14", "--edition", "restricted",
          "-o", str(tmp_path))
    html = (tmp_path / "2020-10-14-restricted.html").read_text()
    section = html[html.index('id="alerts"'):html.index('id="restrictions"')]
    assert "No alert raised on this day" not in section
    assert re.search(r"new geography</strong> 14 Oct 2020 \d\d:\d\d \(Asia/Baku\)", section)
    assert "Strike on missile launch sites inside Armenia" in section and "Vardenis" in section
