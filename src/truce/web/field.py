"""The observer's field app at ``/field/``: static files (plain ES modules,
no build step) under ``web/static/field``. Its service worker is served
from ``/field/sw.js`` so that its scope is the app; files are sent with
``no-cache`` so that the worker, not the HTTP cache, decides what is kept
for offline use."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse, Response

from .render import STATIC_DIR

__all__ = ["FIELD_DIR", "router"]

router = APIRouter(include_in_schema=False)
FIELD_DIR = STATIC_DIR / "field"
_TYPES = {".js": "text/javascript", ".webmanifest": "application/manifest+json", ".json": "application/json",
          ".svg": "image/svg+xml", ".css": "text/css", ".html": "text/html"}


def _file(path: str) -> Response:
    target = (FIELD_DIR / (path or "index.html")).resolve()
    if not target.is_file() or FIELD_DIR.resolve() not in target.parents:
        return Response("not found", status_code=404, media_type="text/plain")
    media = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media, headers={"Cache-Control": "no-cache",
                                                           "X-Content-Type-Options": "nosniff"})


@router.get("/field")
def field_root() -> RedirectResponse:
    return RedirectResponse("/field/", status_code=308)


@router.get("/field/{path:path}")
def field_file(path: str) -> Response:
    """The app shell and its modules; ``/field/`` is index.html."""
    return _file(path)
