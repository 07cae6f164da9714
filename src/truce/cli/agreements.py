"""`truce agreements list|add`: ceasefires and truces with their terms as data."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..service.agreements import create_agreement, make_agreement
from .common import DbOption, console, unit_of_work

app = typer.Typer(help="Agreements (ceasefires, truces) and their terms.", no_args_is_help=True)


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List agreements with their period and terms.

    Example: truce agreements list
    """
    with unit_of_work(db) as uow:
        found = uow.agreements.list()
    table = Table(title="Agreements")
    for column in ("id", "name", "parties", "start", "end", "terms"):
        table.add_column(column, overflow="fold")
    for a in found:
        table.add_row(a.id, a.name, ", ".join(a.parties), a.start.isoformat(),
                      a.end.isoformat() if a.end else "-", "; ".join(t.describe() for t in a.terms))
    console.print(table)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The agreement's name, unique.")],
    party: Annotated[list[str], typer.Option("--party", help="A party id (repeat for each).")],
    start: Annotated[str, typer.Option(help="ISO 8601 time with offset.")],
    terms: Annotated[str, typer.Option(help='JSON list, e.g. [{"kind":"no_fire"}].')],
    end: Annotated[str | None, typer.Option(help="ISO 8601 time with offset.")] = None,
    source: Annotated[str | None, typer.Option(help="Source id of the text.")] = None,
    db: DbOption = None,
) -> None:
    """Record an agreement; terms are data, evaluated for every incident in force.

    Example: truce agreements add "Local truce" --party ARM --party AZE
    --start 2020-10-10T12:00:00+04:00 --terms '[{"kind":"no_fire"}]'
    """
    agreement = make_agreement(name, party, start, end, terms, source)
    with unit_of_work(db) as uow:
        create_agreement(uow, agreement)
        uow.commit()
    console.print(f"Recorded agreement {agreement.id}: {agreement.name}")
