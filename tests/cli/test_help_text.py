"""Command lists in `--help` read as prose: each summary is wrapped to the
terminal as one paragraph, not broken where its docstring's lines end."""

from __future__ import annotations

import re

import pytest

from cli_main import run_main

ROW = re.compile(r"│ (\S*)(\s+)(.*?)\s*│$")


def _entries(help_text: str) -> list[tuple[str, int, list[str]]]:
    """(command, room for its summary, the summary's lines) for each row of
    the Commands panel."""
    panel = help_text.split("Commands ", 1)[1]
    entries: list[tuple[str, int, list[str]]] = []
    for line in panel.splitlines()[1:]:
        row = ROW.match(line)
        if not row:
            break
        room = line.rindex("│") - row.start(3) - 1
        if row.group(1):
            entries.append((row.group(1), room, [row.group(3)]))
        else:
            entries[-1][2].append(row.group(3))
    return entries


@pytest.mark.parametrize("group", [[], ["ledger"], ["incidents"], ["review"], ["users"]])
def test_a_summary_line_ends_only_where_the_next_word_would_not_fit(group: list[str]) -> None:
    ran = run_main(*group, "--help", env={"COLUMNS": "100"})
    assert ran.returncode == 0, ran.stderr
    entries = _entries(ran.stdout)
    assert len(entries) >= 3
    ragged = [f"{name}: {line!r}" for name, room, lines in entries
              for line, following in zip(lines, lines[1:], strict=False)
              if len(line) + 1 + len(following.split()[0]) <= room]
    assert not ragged, f"summaries broken short of the terminal's width: {ragged}"
