"""`truce tasks ...`: ask observers to check a place in a time window."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from ..domain.bounds import parse_moment
from ..service import tasks as service
from ..service.labels import counted, local_time
from ..service.users import Principal, Role
from .common import (
    DbOption,
    FormatOption,
    OutputFormat,
    TokenOption,
    acting_principal,
    console,
    emit_rows,
    unit_of_work,
)

app = typer.Typer(help="Tasks for observers: what to check, where, when.", no_args_is_help=True)
_STAFF = Principal(id="cli", name="cli", role=Role.ADMIN)
STAFF = (Role.ANALYST, Role.ADMIN)  # whom POST /api/tasks admits


def _moment(text: str, field: str) -> datetime:
    return parse_moment(text, field)  # the one rule of every input's moments


@app.command()
def add(
    title: Annotated[str, typer.Argument(help="Short title.")],
    look_for: Annotated[str, typer.Option("--look-for", help="What the observer should check.")],
    start: Annotated[str, typer.Option("--from", help="Window start, ISO 8601 with offset.")],
    end: Annotated[str, typer.Option("--to", help="Window end, ISO 8601 with offset.")],
    place: Annotated[str | None, typer.Option("--place", help="Place name.")] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Latitude (WGS84).")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Longitude (WGS84).")] = None,
    radius_m: Annotated[float | None, typer.Option("--radius-m", help="Radius around the point.")] = None,
    observer: Annotated[str | None, typer.Option("--observer", help="One observer (default: all).")] = None,
    case: Annotated[str | None, typer.Option("--case", help="Case id this task belongs to.")] = None,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Add a task, as the mission's staff member whose --token it is; observers
    see it in the field app and answer with reports.

    Example: truce tasks add "Check Aghdam road" --look-for "impacts, damage" --from 2020-10-15T06:00+04:00 --to
        2020-10-15T18:00+04:00 --lat 39.99 --lon 46.93 --radius-m 2000 --token $TA
    """
    window_start, window_end = _moment(start, "from"), _moment(end, "to")
    by = acting_principal(db, token, roles=STAFF).name
    with unit_of_work(db, actor=by) as uow:
        task = service.create_task(uow, title=title, look_for=look_for,
                                   window_start=window_start, window_end=window_end,
                                   now=datetime.now(UTC), place_name=place, latitude=lat, longitude=lon,
                                   radius_m=radius_m, observer=observer, case_id=case, created_by=by)
    console.print(f"task {task.id} added for {task.observer or 'every observer'}", highlight=False)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help="open or closed.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List tasks with their window, place and the reports that answered them.

    Example: truce tasks list --status open
    """
    with unit_of_work(db) as uow:
        tasks = service.list_tasks(uow, _STAFF, status=status)
    if fmt is not OutputFormat.TABLE:
        emit_rows([{"id": x.id, "title": x.title, "look_for": x.look_for, "window_start": x.window_start,
                    "window_end": x.window_end, "place": x.place_name, "latitude": x.latitude,
                    "longitude": x.longitude, "radius_m": x.radius_m, "observer": x.observer,
                    "case": x.case_id, "status": x.status, "reports": list(x.reports)} for x in tasks],
                  fmt, columns=("id", "title", "window_start", "window_end", "place", "observer", "status"))
        return
    rows = []
    for x in tasks:
        where = x.place_name or ""
        if x.latitude is not None:
            where = f"{where} ({x.latitude:.4f}, {x.longitude:.4f})".strip()
        window = f"{local_time(x.window_start)} – {local_time(x.window_end)}"
        rows.append({"id": x.id, "title": x.title, "window": window,
                     "place": where, "for": x.observer or "all", "status": x.status,
                     "reports": ", ".join(x.reports) or "none yet"})
    emit_rows(rows, OutputFormat.TABLE, title=counted(len(tasks), "task"))


@app.command()
def close(task_id: Annotated[str, typer.Argument(help="Task id.")], token: TokenOption = "",
          db: DbOption = None) -> None:
    """Close a task: no more answers; it and its reports stay.

    Example: TASK=$(truce tasks list --status open --format json | jq -r 'select(.title == "Check Aghdam road") | .id')

    Example: truce tasks close "$TASK" --token $TA
    """
    with unit_of_work(db, actor=acting_principal(db, token, roles=STAFF).name) as uow:
        service.close_task(uow, task_id, datetime.now(UTC))
    console.print(f"task {task_id} closed")
