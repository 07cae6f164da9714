"""`truce violations`: tallies of an agreement's violations, confirmed vs unconfirmed."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..geo.naming import sector_label
from ..service.labels import local_time
from ..service.violations import tallies
from .common import DbOption, FormatOption, OutputFormat, console, emit_rows, unit_of_work


def violations(
    agreement: Annotated[str, typer.Option("--agreement", "-a", help="Agreement name or id.")],
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="Group by party, day, sector, term or basis (repeatable).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Print how many incidents broke an agreement, grouped, confirmed vs unconfirmed.

    Confirmed = verified or corroborated; unconfirmed = single-source,
    contested or not yet graded; discounted incidents are never violations.
    Party is the party found or alleged responsible, else unattributed or
    disputed. Run `truce alerts evaluate` (or `truce demo load`) first.

    Example: truce violations --agreement "Humanitarian truce of 10 October 2020" --by party --by day
    """
    with unit_of_work(db) as uow:
        tally = tallies(uow, agreement, by or ["party"])
    a = tally.agreement
    if fmt is not OutputFormat.TABLE:
        # a sector by its neutral name (both parties' names), the stored key beside it, as alerts do
        by = [k for key in tally.by for k in ((key, "sector_key") if key == "sector" else (key,))]
        rows = [{"agreement": a.id, **{k: _value(row, k) for k in by}, "confirmed": row["confirmed"],
                 "unconfirmed": row["unconfirmed"], "total": row["total"]} for row in tally.rows]
        emit_rows(rows, fmt, columns=("agreement", *by, "confirmed", "unconfirmed", "total"))
        return
    until = local_time(a.end) if a.end else "open-ended"  # in the theatre's time, as people read it
    console.print(f"[bold]{escape(a.name)} ({local_time(a.start)} to {until}): violating incidents[/]",
                  highlight=False)
    table = Table()
    for key in tally.by:
        table.add_column(key)
    for column in ("confirmed", "unconfirmed", "total"):
        table.add_column(column, justify="right")
    sums = [0, 0, 0]
    for row in tally.rows:
        counts = [row["confirmed"], row["unconfirmed"], row["total"]]
        sums = [s + c for s, c in zip(sums, counts, strict=True)]
        named = (sector_label(row[k]) if k == "sector" and row[k] else str(row[k]) for k in tally.by)
        table.add_row(*named, *(str(c) for c in counts))
    if tally.by:
        table.add_section()
        table.add_row("sum of rows", *([""] * (len(tally.by) - 1)), *(str(s) for s in sums))
    console.print(table)
    console.print("An incident breaking several terms counts once per row; confirmed = verified "
                  "or corroborated, unconfirmed = single-source, contested or ungraded.")


def _value(row: dict, key: str) -> object:
    if key == "sector":
        return sector_label(row["sector"]) if row["sector"] else row["sector"]
    return row["sector"] if key == "sector_key" else row[key]
