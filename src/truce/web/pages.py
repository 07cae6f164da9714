"""The dashboard's HTML pages and static files, same origin as the API.

Every page here is rendered for the public: published material only, and
never an observer's identity or exact position. Analysts sign in with their
token in the browser (``/signin``); their pages (``/analyst/...``) then call
the API with it, so the server decides what they may see and do.

``router`` gathers the page routes, the map's JSON (``mapdata``), the daily
reports (``reports``), the analyst pages (``analyst``) and the case board (``cases``).
"""

from __future__ import annotations

import mimetypes
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from ..api.deps import SettingsDep, UowDep
from ..domain.exceptions import NotFound, ValidationError
from ..domain.grades import Grade
from ..domain.taxonomy import EVENT_TYPES
from ..geo.naming import sector_label
from ..report.style import GRADE_MARKERS, PARTY_COLOURS, TYPE_COLOURS
from ..service.incidents import check_selection_names
from ..store.selection import Selection
from ..store.visibility import PUBLIC
from . import analyst, cases, mapdata, reports
from .incident_view import incident_view
from .render import STATIC_DIR, page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.include_router(mapdata.router)
router.include_router(reports.router)
router.include_router(analyst.router)
router.include_router(cases.router)

LIST_LIMIT = 500


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    """Files under web/static; nothing outside it."""
    target = (STATIC_DIR / path).resolve()
    if not target.is_file() or STATIC_DIR.resolve() not in target.parents:
        return Response("not found", status_code=404, media_type="text/plain")
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


def theatre_days(uow: UowDep, tz: Any) -> tuple[date, date]:
    """First and last day with a published incident (today's date if none)."""
    lo, hi = uow.days.span(PUBLIC)
    if lo is None:
        today = date.today()
        return today, today
    return lo.astimezone(tz).date(), hi.astimezone(tz).date()


def filter_options(uow: UowDep) -> dict[str, Any]:
    sectors = uow.monitoring.sectors()
    return {
        "parties": uow.directory.parties(),
        "types": list(EVENT_TYPES),
        "grades": [g.value for g in Grade],
        "agreements": uow.agreements.list(),
        "sectors": sectors,
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, uow: UowDep, settings: SettingsDep) -> HTMLResponse:
    first, last = theatre_days(uow, settings.tz)
    style = {"types": TYPE_COLOURS, "parties": PARTY_COLOURS,
             "grades": {k: {"shape": v[0], "width": v[1], "filled": v[2], "label": v[3]}
                        for k, v in GRADE_MARKERS.items()}}
    report_days = [last - timedelta(days=n) for n in range((last - first).days + 1)]
    shown_types = uow.days.event_types(PUBLIC)
    return page(request, "dashboard.html", title="Map and figures", first=first, last=last,
                style=style, report_days=report_days, shown_types=shown_types, **filter_options(uow))


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(request: Request, uow: UowDep, settings: SettingsDep) -> HTMLResponse:
    """Incidents matching a selection (the target of every figure's link)."""
    try:
        sel = Selection.from_query(request.query_params, seen_by=PUBLIC)
        check_selection_names(uow, sel)
    except ValidationError as exc:
        return page(request, "error.html", title="Bad filter", status_code=422,
                    message=str(exc))
    count, rows = uow.days.listing(sel, settings.tz, LIST_LIMIT)
    items = [dict(r, day=r["start"].astimezone(settings.tz)) for r in rows]
    return page(request, "incidents.html", title="Incidents: " + sel.describe(sector_label), selection=sel,
                items=items, count=count, limit=LIST_LIMIT, **filter_options(uow))


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(incident_id: str, request: Request, uow: UowDep, settings: SettingsDep) -> HTMLResponse:
    try:
        view = incident_view(uow, incident_id, settings.tz)
    except NotFound:
        return page(request, "error.html", title="No such incident", status_code=404,
                    message=f"No published incident has the id {incident_id!r}.")
    return page(request, "incident.html", title=view["incident"].title, v=view)
