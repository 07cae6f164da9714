"""Pages for mission staff: sign in with a token, the review queue, alerts.

These pages hold no data themselves: the browser keeps the token the
analyst typed (in ``sessionStorage``, gone when the tab closes) and calls the
API with ``Authorization: Bearer``, so the API's role checks decide what is
shown and allowed. A public visitor opening them sees only the sign-in form.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
def signin(request: Request) -> HTMLResponse:
    return page(request, "signin.html", title="Sign in")


@router.get("/analyst/review", response_class=HTMLResponse)
def review(request: Request) -> HTMLResponse:
    return page(request, "review.html", title="Review queue")


@router.get("/analyst/alerts", response_class=HTMLResponse)
def alerts(request: Request) -> HTMLResponse:
    return page(request, "alerts.html", title="Alerts")
