"""`truce casualties`: low / best / high in aggregate."""

from __future__ import annotations

from typing import Annotated

import typer

from ..domain.exceptions import ValidationError
from ..service.casualties import aggregate_casualties
from .common import PERIOD_OPTIONS, DbOption, FormatOption, OutputFormat, emit_rows, parse_period, unit_of_work


def casualties(
    by: Annotated[list[str], typer.Option(
        "--by", help="Group by day, party, region or category (repeatable).")] = ["party", "category"],  # noqa: B006
    kind: Annotated[str, typer.Option(help="killed or injured.")] = "killed",
    from_: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """Casualty ranges (low / best / high) summed without double counting, with sources.

    A range with no upper bound ("more than 600") shows its high as "600+" in
    the table; JSON and CSV give the number and ``open_ended`` true.

    Example: truce casualties --by party --by category --kind killed
    """
    if kind not in ("killed", "injured"):
        raise ValidationError(f"kind must be killed or injured, not {kind!r}", field="kind")
    start, end = parse_period(from_, to)
    with unit_of_work(db) as uow:
        result = aggregate_casualties(uow, by=tuple(by), kind=kind, start=start, end=end,
                                      names=PERIOD_OPTIONS)
    rows = []
    for key, agg in result.items():
        cells = [getattr(k, "value", None) or str(k) if k is not None else "unattributed" for k in key]
        rows.append({**dict(zip(by, cells, strict=True)), "low": agg.range.low, "best": agg.range.best,
                     "high": agg.range.high, "open_ended": agg.range.open_ended,
                     "incidents": len(agg.incidents), "how": agg.note})
    if "day" in by:  # in date order (a day without a date last); the other groups keep theirs
        rows.sort(key=lambda r: (not r["day"][:1].isdigit(), r["day"]))
    if fmt is OutputFormat.TABLE:  # a person reads "79+"; a script gets the number and the flag
        rows = [{**r, "high": f"{r['high']}+" if r["open_ended"] else r["high"]} for r in rows]
    emit_rows(rows, fmt, title=f"People {kind}, by {' and '.join(by)}",
              columns=(*by, "low", "best", "high", "incidents", "how") if fmt is OutputFormat.TABLE
              else (*by, "low", "best", "high", "open_ended", "incidents", "how"))
