"""Every error becomes RFC 9457 application/problem+json, here and only here."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain.exceptions import (
    Conflict,
    LedgerTampered,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    TruceError,
    Unavailable,
    ValidationError,
)
from ..store.engine import is_lock_timeout

__all__ = ["install_error_handlers", "problem"]

PROBLEM_JSON = "application/problem+json"

_STATUS: list[tuple[type[TruceError], int, str]] = [
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (PermissionDenied, 403, "Forbidden"),
    (LedgerTampered, 500, "Ledger does not verify"),
    (ValidationError, 422, "Invalid input"),
    (Unavailable, 503, "Service unavailable"),
    (TooManyAttempts, 429, "Too many requests"),
]


def problem(status: int, title: str, detail: str, *, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _truce_error(_request: Request, exc: TruceError) -> JSONResponse:
    status, title = 400, "Bad request"
    for kind, code, name in _STATUS:
        if isinstance(exc, kind):
            status, title = code, name
            break
    errors = [{"field": exc.field, "reason": exc.message}] if exc.field else None
    detail = exc.message if not exc.remedy else f"{exc.message} ({exc.remedy})"
    retry = getattr(exc, "retry_after_s", None)
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return problem(status, title, detail, errors=errors, headers=headers)


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        if error.get("type") == "json_invalid":  # the location is a byte offset, not a field
            location = []
        errors.append({"field": ".".join(location) or "body", "reason": error.get("msg", "invalid")})
    first = errors[0] if errors else {"field": "body", "reason": "invalid"}
    return problem(422, "Invalid input", f"{first['field']}: {first['reason']}", errors=errors)


def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    titles = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
              405: "Method not allowed", 409: "Conflict", 413: "Content too large",
              415: "Unsupported media type", 429: "Too many requests",
              503: "Service unavailable"}
    return problem(exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail),
                   headers=getattr(exc, "headers", None))


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if is_lock_timeout(exc):  # a driver error that escaped the engine's own translation
        return _truce_error(request, Unavailable(
            "the database is busy with another write; nothing was written",
            remedy="send the same request again; a retry is safe"))
    return problem(500, "Internal error", "the server failed; nothing was written")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TruceError, _truce_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
