"""The `truce` command: a thin shell over the service layer.

Each top-level command's module is imported only when that command runs (or
when the full list is shown): importing all of them, with the text pipeline,
geometry and report layout behind them, took seconds before any command
started."""

from __future__ import annotations

import importlib
import sys

import click
import typer
from typer.core import TyperGroup
from typer.models import CommandInfo

from ..domain.exceptions import TruceError, Unavailable

# name shown to the user -> (module under truce.cli, attribute): a Typer group or a command function
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("database", "init"),
    "db": ("database", "app"),
    "demo": ("demo", "app"),
    "serve": ("serve", "serve"),
    "places": ("places", "app"),
    "incidents": ("incidents", "app"),
    "sources": ("directory", "sources_app"),
    "actors": ("directory", "actors_app"),
    "control": ("control", "app"),
    "casualties": ("casualties", "casualties"),
    "export": ("data_io", "export"),
    "import": ("data_io", "import_app"),
    "agreements": ("agreements", "app"),
    "violations": ("violations", "violations"),
    "alerts": ("alerts", "app"),
    "webhooks": ("alerts", "webhooks_app"),
    "report": ("report", "report"),
    "ingest": ("ingest", "app"),
    "review": ("review", "app"),
    "users": ("users", "app"),
    "observer": ("observer", "app"),
    "ledger": ("ledger", "app"),
    "tasks": ("tasks", "app"),
    "cases": ("cases", "app"),
    "verify": ("ledger", "verify_bundle_command"),
}
# modules that add commands to another module's group
EXTENDS = {"users": ("user_keys",)}


def _one_line_summaries(command: click.Command) -> click.Command:
    """Give every command a summary for its group's list: the first paragraph
    of its help as one line, which the list then wraps to the terminal (it
    would otherwise keep the docstring's own line breaks, leaving ragged
    lines)."""
    if command.help and not command.short_help:
        command.short_help = " ".join(command.help.split("\n\n")[0].split())
    for sub in getattr(command, "commands", {}).values():
        _one_line_summaries(sub)
    return command


def _load(name: str) -> click.Command:
    module_name, attribute = COMMANDS[name]
    for extension in EXTENDS.get(name, ()):
        importlib.import_module(f"{__name__}.{extension}")
    target = getattr(importlib.import_module(f"{__name__}.{module_name}"), attribute)
    if isinstance(target, typer.Typer):
        command: click.Command = typer.main.get_group(target)
    else:
        command = typer.main.get_command_from_info(
            CommandInfo(name=name, callback=target), pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode)
    command.name = name
    return _one_line_summaries(command)


class _Truce(TyperGroup):
    """The top-level group: commands by name from COMMANDS, each loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = _load(cmd_name)
        return self.commands[cmd_name]


app = typer.Typer(cls=_Truce, name="truce", no_args_is_help=True, add_completion=False)


@app.callback()
def _truce() -> None:
    """Ceasefire monitoring and verification."""


BUSY_REMEDY = ("another program holds its write lock, such as an import, `truce serve` or another "
               "command: run this again when it has finished, or set TRUCE_DB_LOCK_TIMEOUT_S to wait longer")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; truce's own errors become one line on stderr and exit 1."""
    from pydantic import ValidationError as BadModel

    from .common import err_console

    try:
        typer.main.get_command(app)(args=argv, prog_name="truce")
    except BadModel as exc:
        if exc.title != "Settings":
            raise
        wrong = "; ".join(f"TRUCE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        err_console.print(f"[bold red]error:[/] a setting is not valid: {wrong} (change or unset the variable)",
                          highlight=False, soft_wrap=True)
        sys.exit(1)
    except Unavailable as exc:  # the HTTP remedy ("send the request again") is not a command's
        err_console.print(f"[bold red]error:[/] {exc.message} ({BUSY_REMEDY})", highlight=False, soft_wrap=True)
        sys.exit(1)
    except TruceError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
