"""The `truce` command: a thin shell over the service layer."""

from __future__ import annotations

import sys

import typer

from ..domain.exceptions import TruceError
from . import casualties, control, data_io, database, demo, incidents, places, serve
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
app.add_typer(control.app, name="control")
app.command("casualties")(casualties.casualties)
app.command("export")(data_io.export)
app.add_typer(data_io.import_app, name="import")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; truce's own errors become one line on stderr and exit 1."""
    try:
        app(args=argv, prog_name="truce")
    except TruceError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
