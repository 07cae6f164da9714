"""Daily reports (public edition) generated on demand, and the dashboard's charts.

- ``/reports``: one link per day with published incidents;
- ``/reports/2020-10-14.html`` and ``.pdf``: that day's public report;
- ``/charts/violations.svg``, ``/charts/casualties.svg``, ``/charts/control.svg``
  with ``from`` and ``to``: the same charts as the report, over any range.

Generated pages are cached by day and ledger head: any ledgered write makes
a fresh one.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from datetime import date, timedelta
from threading import Lock
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..api.deps import SettingsDep, UowDep
from ..domain.bounds import check_day, check_period
from ..domain.exceptions import ValidationError
from ..report.build import build_report
from ..report.charts import casualties_chart, control_chart, violations_chart
from ..report.html import render_html
from ..report.pdf import render_pdf
from ..service.bounded import Day
from ..store.visibility import PUBLIC
from .render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

MAX_CHART_DAYS = 120
_cache: OrderedDict[tuple[str, str, int], bytes] = OrderedDict()
_lock = Lock()


def _cached(key: tuple[str, str, int], make: callable) -> bytes:  # type: ignore[valid-type]
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = make()
    with _lock:
        _cache[key] = data
        while len(_cache) > 32:
            _cache.popitem(last=False)
    return data


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a date (YYYY-MM-DD)", field="day") from None
    return check_day(day, "day")


@router.get("/reports", response_class=HTMLResponse)
def report_index(request: Request, uow: UowDep, settings: SettingsDep) -> HTMLResponse:
    from .pages import theatre_days

    first, last = theatre_days(uow, settings.tz)
    days = [last - timedelta(days=n) for n in range((last - first).days + 1)]
    return page(request, "reports.html", title="Daily reports", days=days)


@router.get("/reports/{day}.html", response_class=HTMLResponse)
def report_html(day: str, uow: UowDep) -> HTMLResponse:
    wanted = _day(day)
    seq, _hash = uow.ledger_head()

    def make() -> bytes:
        return render_html(build_report(uow, wanted, "public")).encode()

    return HTMLResponse(_cached((wanted.isoformat(), "html", seq), make))


@router.get("/reports/{day}.pdf")
def report_pdf(day: str, uow: UowDep) -> Response:
    wanted = _day(day)
    seq, _hash = uow.ledger_head()

    def make() -> bytes:
        return render_pdf(render_html(build_report(uow, wanted, "public")))

    return Response(_cached((wanted.isoformat(), "pdf", seq), make), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="truce-{wanted.isoformat()}.pdf"'})


def _span(from_: date | None, to: date | None) -> tuple[date, int]:
    last = to or date.today()
    first = from_ or last - timedelta(days=13)
    check_period(first, last)
    return last, min((last - first).days + 1, MAX_CHART_DAYS)


def _svg(data: bytes) -> Response:
    return Response(data, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


FromQ = Annotated[Day | None, Query(alias="from")]


@router.get("/charts/violations.svg")
def chart_violations(uow: UowDep, from_: FromQ = None, to: Day | None = None) -> Response:
    last, days = _span(from_, to)
    span, series = uow.days.violation_series(last, days, PUBLIC)
    return _svg(violations_chart(span, series))


@router.get("/charts/casualties.svg")
def chart_casualties(uow: UowDep, settings: SettingsDep, from_: FromQ = None, to: Day | None = None) -> Response:
    last, days = _span(from_, to)
    span = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
    return _svg(casualties_chart(span, uow.days.casualty_totals(span, settings.tz, PUBLIC)))


@router.get("/charts/control.svg")
def chart_control(uow: UowDep, from_: FromQ = None, to: Day | None = None) -> Response:
    last, days = _span(from_, to)
    span = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
    index = {d: n for n, d in enumerate(span)}
    gains: dict[str, list[int]] = defaultdict(lambda: [0] * len(span))
    for control, _name, _grade in uow.controls.list(on=last):  # control changes are public
        if control.start in index:
            gains[control.party][index[control.start]] += 1
    return _svg(control_chart(span, dict(gains)))
