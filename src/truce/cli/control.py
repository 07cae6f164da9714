"""`truce control on DATE` and `truce control history PLACE`."""

from __future__ import annotations

from typing import Annotated

import typer

from ..service.control import control_on, place_history
from .common import (
    DbOption,
    FormatOption,
    OutputFormat,
    console,
    emit_record,
    emit_rows,
    heading,
    parse_day,
    unit_of_work,
)

app = typer.Typer(help="Territorial control over time, as graded claims.", no_args_is_help=True)


@app.command("on")
def on(day: Annotated[str, typer.Argument(help="The date, YYYY-MM-DD.")],
       fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List places by controller on a date, with the grade of the change that put them there.

    Example: truce control on 2020-10-15
    """
    when = parse_day(day, "date")
    assert when is not None
    with unit_of_work(db) as uow:
        rows = control_on(uow, when)
    emit_rows([{"controller": r.state.party, "place": r.place_name, "since": r.state.since,
                "from": r.state.previous_party, "grade": r.state.grade, "claims": list(r.state.claim_ids)}
               for r in rows], fmt, title=f"Control on {when} (places with a recorded change)",
              note="Places with no recorded change are held as on the line of 27 September 2020.")


@app.command()
def history(place: Annotated[str, typer.Argument(help="Place name in any spelling.")],
            fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """Show each control change of a place with its grade and claims.

    Example: truce control history Hadrut
    """
    with unit_of_work(db) as uow:
        name, records = place_history(uow, place)
        actors = uow.directory.actors()

    def who(claim) -> str:
        return actors[claim.actor].name if claim.actor in actors else claim.actor

    record = {"place": name, "changes": [
        {"start": r.control.start, "from": r.control.previous_party, "to": r.control.party,
         "grade": r.result.grade, "reasons": list(r.result.reasons),
         "claims": [{"id": c.id, "actor": c.actor, "actor_name": who(c), "stance": c.stance,
                     "text": c.text} for c in r.claims]} for r in records]}
    emit_record(record, fmt, lambda: _print_history(name, records, who))


def _print_history(name, records, who) -> None:
    heading(f"Control of {name}")
    for record in records:
        c = record.control
        console.print(f"[bold]{c.start}[/] {c.previous_party or '?'} -> {c.party} "
                      f"grade {record.result.grade.value}")
        for reason in record.result.reasons:
            console.print(f"    {reason}")
        for claim in record.claims:
            console.print(f"  - {who(claim)} {claim.stance.value}: {claim.text or ''}")
