"""Request limits checked before a route runs: body size (413) and content
type (415), both answered as problem+json with nothing read further.

The expected content type comes from the matched route itself: a route with
a JSON body wants ``application/json`` (or ``*+json``); a route with form or
file fields wants ``multipart/form-data`` or a URL-encoded form, and gets the
larger upload limit. Routes without a body are not checked.
"""

from __future__ import annotations

import email.message
from typing import Any

from fastapi import HTTPException, params
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import problem

__all__ = ["RequestLimits", "api_routes", "body_kinds"]

_FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
_FORM_OVERHEAD = 64 * 1024  # multipart boundaries and part headers around the file


def api_routes(app: Any) -> list[tuple[str, set[str], Any]]:
    """Every API operation as (full path, methods, route), whether FastAPI
    lists routes flat (APIRoute) or per included router (newer versions)."""
    found: list[tuple[str, set[str], Any]] = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            found.append((route.path, set(route.methods), route))
        elif hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                if isinstance(ctx.original_route, APIRoute):
                    found.append((ctx.path, set(ctx.methods or ctx.original_route.methods), ctx))
    return found


def _body_kind(route: Any) -> str | None:
    field = route.body_field
    if field is None:
        return None
    return "form" if isinstance(field.field_info, params.Form) else "json"


def body_kinds(app: Any) -> list[tuple[Any, set[str], str | None]]:
    """Each route's path pattern, methods and body kind ("json", "form" or
    None), kept on ``app.state``. Listing the routes costs FastAPI a rebuild of
    every route's dependencies (about a third of a second), so the server
    builds it at start-up (the app's lifespan), not on the first write."""
    table = getattr(app.state, "body_kinds", None)
    if table is None:
        table = app.state.body_kinds = [(route.path_regex, methods, _body_kind(route))
                                        for _path, methods, route in api_routes(app)]
    return table


class RequestLimits:
    def __init__(self, app: ASGIApp):
        self.app = app

    def _kind(self, scope: Scope) -> str | None:
        for regex, methods, kind in body_kinds(scope["app"]):
            if scope["method"] in methods and regex.match(scope["path"]):
                return kind
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        kind = self._kind(scope)
        if kind is None:
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings
        limit = settings.max_upload_bytes + _FORM_OVERHEAD if kind == "form" else settings.max_body_bytes
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._reply(scope, receive, send, 413, "Content too large",
                              f"the body is {length} bytes; the limit is {limit}")
            return
        declared = headers.get("content-type")
        if declared or (length not in (None, "0")):
            message = email.message.Message()
            message["content-type"] = declared or ""
            media = message.get_content_type() if declared else ""
            ok = (media in _FORM_TYPES) if kind == "form" else (
                media == "application/json" or (media.startswith("application/")
                                                and media.endswith("+json")))
            if not ok:
                wanted = "multipart/form-data" if kind == "form" else "application/json"
                await self._reply(scope, receive, send, 415, "Unsupported media type",
                                  f"this endpoint takes {wanted}, not {declared or 'no content type'}")
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"the body is larger than the limit of {limit} bytes")
            return message

        await self.app(scope, counted, send)

    @staticmethod
    async def _reply(scope: Scope, receive: Receive, send: Send, status: int, title: str,
                     detail: str) -> None:
        field: Any = {"field": "body", "reason": detail}
        response = problem(status, title, detail, errors=[field])
        await response(scope, receive, send)
