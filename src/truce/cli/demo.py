"""`truce demo load`: the 2020 Nagorno-Karabakh demo theatre."""

from __future__ import annotations

import typer
from rich.progress import Progress

from ..service.demo_access import DemoCredential
from ..service.demo_reports import DEMO_REPORTS
from ..service.theatre import load_demo
from .common import DbOption, console, unit_of_work

app = typer.Typer(help="The demo theatre.", no_args_is_help=True)


@app.command()
def load(db: DbOption = None) -> None:
    """Load the Nagorno-Karabakh 2020 demo theatre into an initialised database.

    Besides the record it makes a demo analyst and a demo observer (their
    tokens are printed once) and three signed observer reports waiting for
    review (`truce review list --kind report`).

    Example: truce demo load --db new.db
    """
    with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("Loading the demo theatre", total=8)

        def step(label: str, _count: int) -> None:
            progress.update(task, advance=1, description=f"Loaded {label}")

        with unit_of_work(db, actor="demo-loader") as uow:
            summary, graded, evaluation, credentials = load_demo(uow, progress=step)
    lines = (
        f"Loaded {summary.places} places and {summary.incidents} incidents with {summary.reports} "
        f"reports and {summary.claims} claims.",
        f"Loaded {summary.agreements} agreements and {summary.controls} control changes.",
        f"Graded {graded} incidents; found {sum(evaluation.violations.values())} violations "
        f"and raised {len(evaluation.alerts)} alerts.",
        f"Filed {len(DEMO_REPORTS)} observer reports for review: truce review list --kind report.",
    )
    for line in lines:  # one short sentence a line: a narrow terminal never breaks one
        console.print(line, highlight=False, soft_wrap=True)
    _print_credentials(credentials)


def _print_credentials(credentials: list[DemoCredential]) -> None:
    console.print("")
    console.print("DEMO CREDENTIALS, for this demo database only (shown once, valid 30 days):",
                  highlight=False, style="bold")
    for c in credentials:
        console.print(f"  {c.role:<9} {c.name:<14} {c.token}", highlight=False, soft_wrap=True)
    console.print("Sign in: open the dashboard's /signin page (e.g. http://127.0.0.1:8000/signin)",
                  highlight=False)
    console.print("and paste a token; for the API send the header 'Authorization: Bearer TOKEN'.",
                  highlight=False)
    console.print("A lost token: `truce users token demo-analyst` issues a new one (with an admin's --token "
                  "once the store has an admin).", highlight=False)
