"""`truce export geojson|csv` and `truce import acled|ucdp|geojson`."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..domain.exceptions import TruceError
from ..service.exchange import ImportSummary, export_csv, export_geojson, import_events, read_file
from ..service.incidents import make_filter
from ..service.users import Role
from ..settings import get_settings
from ..store.visibility import PUBLIC
from .common import (
    PERIOD_OPTIONS,
    DbOption,
    TokenOption,
    acting_principal,
    console,
    err_console,
    fail,
    parse_period,
    unit_of_work,
)
from .incidents import FromOption, GradeOption, PartyOption, PlaceOption, ToOption, TypeOption
from .ledger import export_bundle

import_app = typer.Typer(help="Import ACLED, UCDP GED or truce GeoJSON files.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(help="The file to import.", show_default=False)]
LARGE = 500  # rows from which a progress bar is worth showing


@contextlib.contextmanager
def _progress(total: int) -> Iterator:
    if total < LARGE:
        yield None
        return
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("rows", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


PublishOption = Annotated[bool, typer.Option(
    "--publish", help="Publish what is loaded at once: the decision of the analyst whose --token it is, "
                      "ledgered under their name; otherwise it lands as drafts for review.")]


def _import(fmt: str, path: Path, db: str | None, publish: bool, token: str) -> None:
    # drafts are the importer's; publishing them is an analyst's decision (as POST .../publish admits)
    actor = acting_principal(db, token, roles=(Role.ANALYST,)).name if publish else f"import-{fmt}"
    try:
        events = read_file(fmt, path, get_settings().tz)
    except TruceError as exc:
        fail(str(exc))
    try:
        with unit_of_work(db, actor=actor) as uow, _progress(len(events)) as step:
            summary = import_events(uow, events, origin=fmt, name=path.name, now=datetime.now(UTC),
                                    publish=publish, progress=step)
    except TruceError as exc:
        fail(f"nothing imported: {exc}")
    _print_summary(path, summary)
    if not summary.loaded and not summary.skipped and summary.rejected:
        raise typer.Exit(1)


def _print_summary(path: Path, summary: ImportSummary) -> None:
    console.print(f"{path.name}: [bold]{len(summary.loaded)} loaded[/], {summary.skipped} skipped "
                  f"(already stored), {len(summary.rejected)} rejected", highlight=False)
    if summary.loaded:
        drafts = len(summary.loaded) - len(summary.published)
        console.print(f"{len(summary.published)} published, {drafts} drafts for review "
                      "(`truce incidents publish ID`)" if drafts else
                      f"{len(summary.published)} published", highlight=False)
    if summary.parties_added:
        console.print(f"parties added from source affiliations: {', '.join(summary.parties_added)}")
    if summary.rejected:
        table = Table(title="Rejected rows")
        table.add_column("line", justify="right")
        table.add_column("reason", overflow="fold")
        for r in summary.rejected:
            table.add_row(str(r.line), r.reason)
        console.print(table)


@import_app.command("acled")
def import_acled(file: FileArgument, publish: PublishOption = False, token: TokenOption = "",
                 db: DbOption = None) -> None:
    """Import an ACLED CSV export as drafts (rows that do not fit are listed with their line).

    Example: truce import acled tests/data/acled_sample.csv
    """
    _import("acled", file, db, publish, token)


@import_app.command("ucdp")
def import_ucdp(file: FileArgument, publish: PublishOption = False, token: TokenOption = "",
                db: DbOption = None) -> None:
    """Import a UCDP GED CSV file (e.g. GEDEvent v23.1 rows) as drafts.

    Example: truce import ucdp tests/data/ucdp_ged_sample.csv
    """
    _import("ucdp", file, db, publish, token)


@import_app.command("geojson")
def import_geojson(file: FileArgument, publish: PublishOption = False, token: TokenOption = "",
                   db: DbOption = None) -> None:
    """Import a GeoJSON file written by `truce export geojson` as drafts, graded here
    (the file's status and grades are not taken). A feature resting on a source of
    the mission's own kind (observer, camera), or on a source id stored with another
    kind or affiliation, is rejected with the source named and nothing of it written:
    only signed observer reports speak for the mission.

    Example: truce import geojson october.geojson
    """
    _import("geojson", file, db, publish, token)


def export(
    fmt: Annotated[str, typer.Argument(metavar="geojson|csv|bundle", help="geojson (RFC 7946), csv (ACLED "
                                       "columns) or bundle (a day's records with ledger proofs).")],
    output: Annotated[str, typer.Option("-o", "--output", help="File to write; '-' for stdout.")] = "-",
    from_: FromOption = None, to: ToOption = None, type_: TypeOption = None,
    party: PartyOption = None, place: PlaceOption = None, grade: GradeOption = None,
    public: Annotated[bool, typer.Option(
        "--public", help="Only what the public may see: published incidents, no observer identity "
                         "or position.")] = False,
    day: Annotated[str | None, typer.Option("--date", help="bundle: the day (YYYY-MM-DD).")] = None,
    since: Annotated[Path | None, typer.Option("--since", help="bundle: a checkpoint seen earlier, "
                                               "to prove the log only grew since.")] = None,
    db: DbOption = None,
) -> None:
    """Export incidents as GeoJSON or as CSV in ACLED's column layout (all of
    them, as the mission sees them; --public for a file to publish), or a
    day's published records as a bundle anyone can verify offline (`truce verify`):
    the day's set is first committed to the ledger as its manifest, so a
    record removed from the bundle, or a changed date, is refused.

    Example: truce export geojson --from 2020-10-01 --to 2020-10-31 -o october.geojson
    """
    if fmt == "bundle":
        return export_bundle(day, output, since, None, db)
    if fmt not in ("geojson", "csv"):
        fail(f"unknown export format {fmt!r}; use geojson, csv or bundle")
    settings = get_settings()
    try:
        start, end = parse_period(from_, to)
        filters = make_filter(start=start, end=end, event_type=type_, party=party, place=place, grade=grade,
                              tz=settings.tz, seen_by=PUBLIC if public else None, names=PERIOD_OPTIONS)
        buffer = io.StringIO()
        with unit_of_work(db) as uow:
            if fmt == "geojson":
                collection = export_geojson(uow, filters)
                json.dump(collection, buffer, ensure_ascii=False, indent=1)
                buffer.write("\n")
                count = len(collection["features"])
            else:
                count = export_csv(uow, filters, buffer, settings.tz)
    except TruceError as exc:
        fail(str(exc))
    if output == "-":
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(buffer.getvalue(), encoding="utf-8", newline="")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    err_console.print(f"Wrote {count} incidents to {output} ({fmt}).")
