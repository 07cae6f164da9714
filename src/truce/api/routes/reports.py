"""Observer reports: submit (signed, idempotent), read, attach evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import pydantic
from fastapi import APIRouter, Body, File, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ...service.bounded import Offset
from ...service.observer_reports import (
    Checked,
    Submitted,
    add_evidence,
    check_observer_report,
    store_observer_report,
)
from ...service.report_access import ReportView, list_reports, read_report
from ...service.report_format import ObserverReport, ReportKind
from ...service.users import AuthError, authenticate_in
from ...store.uow import UnitOfWork
from ..deps import (
    BearerCredentials,
    OptionalPrincipal,
    Role,
    SettingsDep,
    UowDep,
    admit,
    bearer_token,
    no_token,
    refused_token,
    require,
)
from ..openapi import observer_report_body
from ..reporting_schemas import (
    Estimate,
    EvidencePublic,
    ObserverDetail,
    ReportAccepted,
    ReportOut,
)
from ..schemas import ListOf
from ..writes import submit_write

router = APIRouter(prefix="/api/reports", tags=["reports"])

def report_out(view: ReportView) -> ReportOut:
    r = view.report
    observer = None
    if view.full:
        observer = ObserverDetail(
            observer_id=r.observer, report=r.payload.get("report", {}),
            estimates=[Estimate(**e) for e in r.payload.get("estimates", [])],
            latitude=r.latitude, longitude=r.longitude, signature=view.signature,
            evidence=[EvidencePublic(**e.__dict__) for e in view.evidence])
    return ReportOut(id=r.id, kind=r.kind, source_id=r.source, received=r.received,
                     observed_at=r.observed_at, summary=r.summary, corrects=r.corrects,
                     incidents=view.incidents, observer=observer)


_OBSERVERS = frozenset({Role.OBSERVER})


def _validated(raw: Any) -> ObserverReport:
    try:
        return ObserverReport.model_validate(raw)
    except pydantic.ValidationError as exc:  # answered as FastAPI answers a bad body: the same 422
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                      for e in exc.errors(include_url=False)]) from None


@router.post("", status_code=201, response_model=ReportAccepted,
             openapi_extra=observer_report_body(),
             responses={201: {"description": "Stored; a retry of the same body gets the same answer"},
                        409: {"description": "The id was used for other content"}})
async def submit_report(request: Request, credentials: BearerCredentials, settings: SettingsDep,
                        raw: Annotated[Any, Body(description="A signed ObserverReport")]) -> JSONResponse:
    """Submit one signed observer report (see docs/canonical-form.md).

    The server verifies the Ed25519 signature against the key registered to
    the caller, refuses observations in the future or outside the theatre,
    and computes each observation's estimated position and uncertainty.
    """
    token = bearer_token(request, credentials)
    if token is None:
        raise no_token()
    tolerance, token_key = settings.future_tolerance_s, request.app.state.token_key

    def check(uow: UnitOfWork) -> Checked:
        # In the group commit's thread, before the lock, in the order every route
        # answers: who is calling (401), may they (403), then the body (422) and
        # its checks. One hand-over from the event loop instead of two.
        now = datetime.now(UTC)
        principal = admit(authenticate_in(uow, token, now, token_key=token_key), _OBSERVERS)
        uow.act_as(principal.name)
        return check_observer_report(uow, principal, raw, _validated(raw), now, future_tolerance_s=tolerance)

    try:
        done: Submitted = await submit_write(request, None, check, store_observer_report)
    except AuthError as exc:
        raise refused_token(request, exc) from None
    r = done.report
    # in UTC, as stored, so that a replay's answer is byte for byte the first one
    body = ReportAccepted(id=r.id, kind=r.kind, received=r.received.astimezone(UTC),
                          observed_at=r.observed_at.astimezone(UTC) if r.observed_at else None,
                          content_hash=done.content_hash,
                          estimates=[Estimate(**e) for e in r.payload.get("estimates", [])])
    headers = {"Location": f"/api/reports/{r.id}"}
    if done.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body.model_dump(mode="json"), status_code=201, headers=headers)


@router.get("", response_model=ListOf[ReportOut])
def get_reports(
    uow: UowDep, principal: OptionalPrincipal, kind: ReportKind | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> ListOf[ReportOut]:
    """Reports you may read: staff all, an observer their own, others those
    behind published incidents (without observer identity or position)."""
    views, total = list_reports(uow, principal, kind=kind.value if kind else None,
                                limit=limit, offset=offset)
    return ListOf[ReportOut](data=[report_out(v) for v in views], count=total)


@router.get("/{report_id}", response_model=ReportOut)
def get_report(report_id: str, uow: UowDep, principal: OptionalPrincipal) -> ReportOut:
    return report_out(read_report(uow, principal, report_id))


@router.post("/{report_id}/evidence", status_code=201, response_model=EvidencePublic,
             dependencies=[require(Role.OBSERVER)])
def upload_evidence(report_id: str, file: Annotated[UploadFile, File()], uow: UowDep,
                    principal: OptionalPrincipal, settings: SettingsDep,
                    response: Response) -> EvidencePublic:
    """Attach a photo, video or audio file to your own report; stored under
    its SHA-256. Uploading the same file again changes nothing."""
    assert principal is not None
    record, new = add_evidence(uow, principal, report_id, file.filename or "file",
                               file.content_type or "application/octet-stream", file.file,
                               settings.evidence_dir, datetime.now(UTC),
                               max_bytes=settings.max_upload_bytes)
    if not new:
        response.status_code = 200
    return EvidencePublic(**record.__dict__)
