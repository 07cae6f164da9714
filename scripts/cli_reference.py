"""Write docs/cli.md from the commands' own help: `.venv/bin/python scripts/cli_reference.py`.

tests/test_docs.py fails when a command is missing from docs/cli.md.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import click
import typer.main

from truce.cli import app

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def commands() -> Iterator[tuple[str, click.Command]]:
    root = typer.main.get_command(app)

    def walk(command: click.Command, path: list[str], ctx: click.Context) -> Iterator[tuple[str, click.Command]]:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, [*path, name], click.Context(sub, parent=ctx))
        else:
            yield " ".join(path), command

    yield from walk(root, ["truce"], click.Context(root))


def main() -> None:
    lines = ["# The `truce` command", "",
             "Generated from each command's help by `scripts/cli_reference.py`; "
             "`truce COMMAND --help` shows every option.", ""]
    for path, command in commands():
        doc = inspect.cleandoc(command.help or "")
        summary = doc.split("\n\n")[0].replace("\n", " ")
        example = next((p for p in doc.split("\n\n") if p.startswith("Example:")), "")
        lines += [f"## `{path}`", "", summary, ""]
        if example:
            lines += ["```sh", " ".join(example.removeprefix("Example:").split()), "```", ""]
        options = [p for p in command.params if getattr(p, "param_type_name", "") == "option"]
        for option in options:
            names = ", ".join(f"`{o}`" for o in option.opts)
            lines.append(f"- {names}: {option.help or ''}")
        if options:
            lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
