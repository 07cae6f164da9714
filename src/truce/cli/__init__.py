"""The `truce` command: a thin shell over the service layer."""

from __future__ import annotations

import sys

import click
import typer

from ..domain.exceptions import TruceError, Unavailable
from . import agreements as agreements_cli
from . import alerts as alerts_cli
from . import cases as cases_cli
from . import casualties, control, data_io, database, demo, directory, incidents, places, review, serve
from . import ingest as ingest_cli
from . import ledger as ledger_cli
from . import observer as observer_cli
from . import report as report_cli
from . import tasks as tasks_cli
from . import user_keys as _user_keys  # noqa: F401  (adds its commands to `truce users`)
from . import users as users_cli
from . import violations as violations_cli
from .common import err_console

app = typer.Typer(
    name="truce", no_args_is_help=True, add_completion=False,
    help="Ceasefire monitoring and verification.",
)
app.command("init")(database.init)
app.add_typer(database.app, name="db")
app.add_typer(demo.app, name="demo")
app.command("serve")(serve.serve)
app.add_typer(places.app, name="places")
app.add_typer(incidents.app, name="incidents")
app.add_typer(directory.sources_app, name="sources")
app.add_typer(directory.actors_app, name="actors")
app.add_typer(control.app, name="control")
app.command("casualties")(casualties.casualties)
app.command("export")(data_io.export)
app.add_typer(data_io.import_app, name="import")
app.add_typer(agreements_cli.app, name="agreements")
app.command("violations")(violations_cli.violations)
app.add_typer(alerts_cli.app, name="alerts")
app.add_typer(alerts_cli.webhooks_app, name="webhooks")
app.command("report")(report_cli.report)
app.add_typer(ingest_cli.app, name="ingest")
app.add_typer(review.app, name="review")
app.add_typer(users_cli.app, name="users")
app.add_typer(observer_cli.app, name="observer")
app.add_typer(ledger_cli.app, name="ledger")
app.add_typer(tasks_cli.app, name="tasks")
app.add_typer(cases_cli.app, name="cases")
app.command("verify")(ledger_cli.verify_bundle_command)


BUSY_REMEDY = ("another program holds its write lock, such as an import, `truce serve` or another "
               "command: run this again when it has finished, or set TRUCE_DB_LOCK_TIMEOUT_S to wait longer")


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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; truce's own errors become one line on stderr and exit 1."""
    try:
        _one_line_summaries(typer.main.get_command(app))(args=argv, prog_name="truce")
    except Unavailable as exc:  # the HTTP remedy ("send the request again") is not a command's
        err_console.print(f"[bold red]error:[/] {exc.message} ({BUSY_REMEDY})", highlight=False, soft_wrap=True)
        sys.exit(1)
    except TruceError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
