"""The case board page: the joint commission's cases, server-rendered.

Read through the visibility policy for whoever asks: a browser without a
token is the public (cases whose finding is published); a request with a
bearer token sees what that user may see, as the API does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..api.deps import OptionalPrincipal, UowDep
from ..domain.exceptions import NotFound
from ..service.case_board import list_cases, party_tallies, show_case
from ..store.visibility import Visibility
from .render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/cases", response_class=HTMLResponse)
def case_board(request: Request, uow: UowDep, principal: OptionalPrincipal) -> HTMLResponse:
    seen_by = Visibility.of(principal)
    found = list_cases(uow, seen_by, datetime.now(UTC))
    return page(request, "cases.html", title="Case board", open_cases=[c for c in found if c.closed_at is None],
                closed=[c for c in found if c.closed_at is not None], tallies=party_tallies(uow, seen_by),
                reader=seen_by.label)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: str, request: Request, uow: UowDep, principal: OptionalPrincipal) -> HTMLResponse:
    try:
        view = show_case(uow, Visibility.of(principal), case_id, datetime.now(UTC))
    except NotFound:
        return page(request, "error.html", title="No such case", status_code=404,
                    message=f"No case you may see has the id {case_id!r}.")
    return page(request, "case.html", title=f"Case {view.case.id}", v=view)
