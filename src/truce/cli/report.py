"""`truce report`: the daily report as HTML and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .common import DbOption, console, parse_day, unit_of_work

STEPS = 7  # build: 4, HTML, PDF, written


def report(
    date_: Annotated[str, typer.Option("--date", help="The day (YYYY-MM-DD), in the theatre's time zone.")],
    edition: Annotated[str, typer.Option(help="public (published material only) or restricted.")] = "public",
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory to write into.")] = Path("reports"),
    link_base: Annotated[str, typer.Option(
        help="Dashboard address the figures link to.")] = "http://127.0.0.1:8000",
    db: DbOption = None,
) -> None:
    """Write the daily report of one day as HTML and PDF.

    Example: truce report --date 2020-10-14 --edition public -o reports
    """
    from ..report import write_report

    day = parse_day(date_, "date")
    assert day is not None
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task(f"Daily report {day.isoformat()} ({edition})", total=STEPS)

        def step(label: str) -> None:
            progress.update(task, advance=1, description=f"{day.isoformat()}: {label}")

        with unit_of_work(db) as uow:
            html_path, pdf_path = write_report(uow, day, edition, out, link_base=link_base, progress=step)
    console.print(f"Wrote {html_path} and {pdf_path}")
