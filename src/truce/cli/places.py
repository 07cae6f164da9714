"""`truce places ...`: the gazetteer."""

from __future__ import annotations

from typing import Annotated

import typer

from ..geo.naming import place_label
from ..service.places import search_places, unresolved_places
from .common import DbOption, FormatOption, OutputFormat, emit_rows, fail, parse_day, unit_of_work

app = typer.Typer(help="Places of the gazetteer.", no_args_is_help=True)


@app.command()
def search(
    name: Annotated[str, typer.Argument(help="A name in any spelling or script.")],
    on: Annotated[str | None, typer.Option("--on", help="Show who controlled it on this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="Most matches to show.", min=1, max=1000)] = 10,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Find places by any spelling: Stepanakert, Khankendi and Step'anakert are one town.

    Example: truce places search Khankendi --on 2020-10-15
    """
    day = parse_day(on, "on")
    with unit_of_work(db) as uow:
        matches = search_places(uow, name, on=day, limit=limit)
    if not matches:
        fail(f"no place matches {name!r} (try another spelling, or `truce places unresolved`)")
    rows = []
    for m in matches:
        p = m.place
        row = {"id": p.id, "name": place_label(p.id, p.name), "gazetteer_name": p.name,
               "matched": m.matched_name, "lat": round(p.latitude, 5),
               "lon": round(p.longitude, 5), "country": p.country, "population": p.population}
        if day:
            row["controller"], row["control_grade"], row["control_basis"] = (
                m.controller, m.control_grade, m.control_basis)
            grade = f"{m.control_grade.value}, " if m.control_grade else ""
            row[f"control on {day}"] = f"{m.controller or 'unknown'} ({grade}{m.control_basis})"
        rows.append(row)
    columns = ["id", "name", "matched", "lat", "lon", "country", "population"]
    emit_rows(rows, fmt, title=f"Places matching {name!r}",
              columns=columns + ([f"control on {day}"] if day else []))


@app.command()
def unresolved(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """Places named in incidents that the gazetteer lacks, for an analyst to locate.

    Example: truce places unresolved
    """
    with unit_of_work(db) as uow:
        rows = unresolved_places(uow)
    emit_rows([{"name": r.name, "country": r.country, "precision": r.precision,
                "incidents": list(r.incident_ids)} for r in rows], fmt, title="Unresolved places")
