"""What users read is checked: every command in docs/cli.md with an example,
every setting in the README."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from truce.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _reference():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_is_in_the_cli_reference_with_an_example():
    documented = set(re.findall(r"^## `(truce[^`]*)`", (ROOT / "docs" / "cli.md").read_text(), re.M))
    commands = dict(_reference().commands())
    missing = sorted(set(commands) - documented)
    assert not missing, f"run scripts/cli_reference.py: {missing} are not in docs/cli.md"
    without_example = sorted(p for p, c in commands.items() if "Example:" not in (c.help or ""))
    assert not without_example, f"commands without an Example: line: {without_example}"


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"TRUCE_{name.upper()}" in readme, name
    assert "TRUCE_MONITORING_CONFIG" in readme


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
