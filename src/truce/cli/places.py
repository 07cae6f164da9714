"""`truce places ...`: the gazetteer."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..service.places import search_places, unresolved_places
from .common import DbOption, console, parse_day, unit_of_work

app = typer.Typer(help="Places of the gazetteer.", no_args_is_help=True)


@app.command()
def search(
    name: Annotated[str, typer.Argument(help="A name in any spelling or script.")],
    on: Annotated[str | None, typer.Option("--on", help="Show who controlled it on this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="Most matches to show.", min=1, max=1000)] = 10,
    db: DbOption = None,
) -> None:
    """Find places by any spelling: Stepanakert, Khankendi and Step'anakert are one town.

    Example: truce places search Khankendi --on 2020-10-15
    """
    day = parse_day(on, "on")
    with unit_of_work(db) as uow:
        matches = search_places(uow, name, on=day, limit=limit)
    if not matches:
        console.print(f"No place matches {name!r}.")
        raise typer.Exit(1)
    table = Table(title=f"Places matching {name!r}")
    for column in ("id", "name", "matched", "lat", "lon", "country", "population"):
        table.add_column(column)
    if day:
        table.add_column(f"control on {day}")
    for m in matches:
        p = m.place
        row = [p.id, p.name, m.matched_name, f"{p.latitude:.5f}", f"{p.longitude:.5f}", p.country,
               str(p.population or "")]
        if day:
            if m.control_grade:
                row.append(f"{m.controller} ({m.control_grade.value}, {m.control_basis})")
            else:
                row.append(f"{m.controller or 'unknown'} ({m.control_basis})")
        table.add_row(*row)
    console.print(table)


@app.command()
def unresolved(db: DbOption = None) -> None:
    """Places named in incidents that the gazetteer lacks, for an analyst to locate.

    Example: truce places unresolved
    """
    with unit_of_work(db) as uow:
        rows = unresolved_places(uow)
    table = Table(title="Unresolved places")
    for column in ("name", "country", "precision", "incidents"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.name, row.country or "?", row.precision, ", ".join(row.incident_ids))
    console.print(table)
