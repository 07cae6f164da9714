"""`truce agreements list|add`: ceasefires and truces with their terms as data."""

from __future__ import annotations

from typing import Annotated

import typer

from ..service.agreements import create_agreement, make_agreement
from .common import DbOption, FormatOption, OutputFormat, console, emit_rows, unit_of_work

app = typer.Typer(help="Agreements (ceasefires, truces) and their terms.", no_args_is_help=True)


@app.command("list")
def list_(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List agreements with their period and terms.

    Example: truce agreements list --format json
    """
    with unit_of_work(db) as uow:
        found = uow.agreements.list()
    rows = [{"id": a.id, "name": a.name, "parties": list(a.parties), "start": a.start,
             "end": a.end, "terms": [t.describe() for t in a.terms]} for a in found]
    emit_rows(rows, fmt, title="Agreements")


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
    console.print(f"Recorded agreement {agreement.id}: {agreement.name}")
