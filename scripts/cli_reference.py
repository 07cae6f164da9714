"""Write docs/cli.md from the commands' own help: `.venv/bin/python scripts/cli_reference.py`.

tests/test_docs.py fails when a command is missing from docs/cli.md, and
tests/test_doc_commands.py runs the examples in the order written here, one
after another on a copy of the demo theatre: ORDER puts the commands in the
order a mission works in (a key made before it is registered, a change
proposed before it is approved); a command it does not name comes last.
NOT_RUN names the few examples that cannot run in a test, with the reason.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import click
import typer.main

from truce.cli import app

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"

ORDER = [
    "truce init", "truce db upgrade", "truce db revision", "truce demo load", "truce serve",
    "truce places search", "truce places unresolved", "truce sources list", "truce actors list",
    "truce incidents list", "truce incidents show", "truce incidents add", "truce incidents duplicates",
    "truce incidents merge", "truce incidents split", "truce incidents grade", "truce incidents publish",
    "truce control on", "truce control history", "truce casualties",
    "truce export", "truce import acled", "truce import ucdp", "truce import geojson",
    "truce agreements list", "truce agreements add", "truce violations",
    "truce alerts list", "truce alerts evaluate", "truce alerts ack", "truce alerts deliver", "truce webhooks add",
    "truce ingest text", "truce ingest evaluate", "truce review list", "truce review accept", "truce review reject",
    "truce observer keygen", "truce users add", "truce users list", "truce users key", "truce users token",
    "truce users enrol", "truce users keys", "truce users rekey", "truce users role", "truce users changes",
    "truce users approve", "truce users reject", "truce observer submit", "truce observer sync",
    "truce observer rekey",
    "truce review incident", "truce review attach", "truce review dismiss",
    "truce tasks add", "truce tasks list", "truce tasks close",
    "truce cases rules", "truce cases member", "truce cases file", "truce cases list", "truce cases show",
    "truce cases open", "truce cases evidence", "truce cases task", "truce cases request", "truce cases finding",
    "truce cases reply", "truce cases approve", "truce cases publish",
    "truce ledger head", "truce ledger keygen", "truce ledger checkpoint", "truce ledger cosign",
    "truce ledger check", "truce ledger verify", "truce report", "truce verify",
    "truce users deactivate", "truce users revoke",
]
PREAMBLE = [
    "```sh",
    "T=$(truce users add admin-1 --role admin --quiet)    # an admin's token, printed once",
    "T2=$(truce users add admin-2 --role admin --quiet)   # a second admin's",
    "TA=$(truce users token demo-analyst --token $T --quiet)   # an analyst's, who decides in review",
    "export TRUCE_LOG_KEY=log.key                         # the log key `truce ledger keygen` makes",
    "```",
]
NOT_RUN = {
    "truce serve": "serves until Ctrl-C",
    "truce observer submit": "sends to a server (http://hq:8000)",
    "truce observer sync": "sends to a server (http://hq:8000)",
    "truce observer rekey": "sends to a server",
}


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
             "`truce COMMAND --help` shows every option.", "",
             "The examples run in order, as written, in a checkout holding the demo theatre "
             "(`make demo`): each builds on the ones before it. Commands that need an admin's own "
             "token take `--token $T`; a change one admin proposes, a second approves with `$T2`. "
             "Every step that records who decided takes the token of whoever decides (`--token`, or "
             "`TRUCE_TOKEN`), never a name: `$TA` an analyst's, `$TARM` and `$TAZE` a party's liaison's "
             "(`truce users add` prints them):", "",
             *PREAMBLE, ""]
    place = {path: n for n, path in enumerate(ORDER)}
    for path, command in sorted(commands(), key=lambda pc: place.get(pc[0], len(ORDER))):
        doc = inspect.cleandoc(command.help or "")
        summary = doc.split("\n\n")[0].replace("\n", " ")
        examples = [" ".join(p.removeprefix("Example:").split()) for p in doc.split("\n\n")
                    if p.startswith("Example:")]
        lines += [f"## `{path}`", "", summary, ""]
        if examples and path in NOT_RUN:
            lines += [f"<!-- not-run: {NOT_RUN[path]} -->"]
        if examples:
            lines += ["```sh", *examples, "```", ""]
        options = [p for p in command.params if getattr(p, "param_type_name", "") == "option"]
        for option in options:
            names = ", ".join(f"`{o}`" for o in option.opts)
            lines.append(f"- {names}: {option.help or ''}")
        if options:
            lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
