"""`truce control on DATE` and `truce control history PLACE`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..service.control import control_on, place_history
from .common import DbOption, console, parse_day, unit_of_work

app = typer.Typer(help="Territorial control over time, as graded claims.", no_args_is_help=True)


@app.command("on")
def on(day: Annotated[str, typer.Argument(help="The date, YYYY-MM-DD.")], db: DbOption = None) -> None:
    """List places by controller on a date, with the grade of the change that put them there.

    Example: truce control on 2020-10-15
    """
    when = parse_day(day, "date")
    assert when is not None
    with unit_of_work(db) as uow:
        rows = control_on(uow, when)
    table = Table(title=f"Control on {when} (places with a recorded change)")
    for column in ("controller", "place", "since", "from", "grade", "claims"):
        table.add_column(column, overflow="fold")
    for row in rows:
        s = row.state
        grade = s.grade.value
        table.add_row(s.party, row.place_name, s.since.isoformat(), s.previous_party or "?",
                      grade, ", ".join(s.claim_ids))
    console.print(table)
    console.print("Places with no recorded change are held as on the line of 27 September 2020.")


@app.command()
def history(place: Annotated[str, typer.Argument(help="Place name in any spelling.")],
            db: DbOption = None) -> None:
    """Show each control change of a place with its grade and claims.

    Example: truce control history Hadrut
    """
    with unit_of_work(db) as uow:
        name, records = place_history(uow, place)
        actors = uow.directory.actors()
    console.rule(f"[bold]Control of {name}[/]")
    for record in records:
        c = record.control
        console.print(f"[bold]{c.start}[/] {c.previous_party or '?'} -> {c.party} "
                      f"grade {record.result.grade.value}")
        for reason in record.result.reasons:
            console.print(f"    {reason}")
        for claim in record.claims:
            who = actors[claim.actor].name if claim.actor in actors else claim.actor
            console.print(f"  - {who} {claim.stance.value}: {claim.text or ''}")
