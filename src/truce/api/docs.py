"""/docs (Swagger UI) and /redoc (ReDoc) from files served by truce itself.

Both are vendored from the npm registry at build time by
``scripts/vendor-apidocs.sh`` (``make web-assets``), so the API docs work
with no internet; nothing is loaded from a CDN.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from ..web.render import STATIC_DIR

__all__ = ["install_api_docs"]

VENDOR = "/static/vendor/apidocs"
REQUIRED = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js")


def _missing() -> HTMLResponse | None:
    absent = [name for name in REQUIRED if not (STATIC_DIR / "vendor" / "apidocs" / name).is_file()]
    if not absent:
        return None
    return HTMLResponse(
        "<!doctype html><title>API docs not installed</title><h1>API docs not installed</h1>"
        f"<p>{', '.join(absent)} missing: run <code>make web-assets</code>. The OpenAPI "
        "description itself is at <a href='/openapi.json'>/openapi.json</a>.</p>", status_code=503)


def install_api_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc for ``app``'s OpenAPI description, from local files."""
    title = f"{app.title} API"
    openapi_url = app.openapi_url or "/openapi.json"

    # Plain routes, as FastAPI's own /docs and /redoc are: pages, not API operations.
    async def swagger_ui(_request: Request) -> HTMLResponse:
        return _missing() or get_swagger_ui_html(
            openapi_url=openapi_url, title=title,
            swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js", swagger_css_url=f"{VENDOR}/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/favicon-32x32.png")

    async def redoc(_request: Request) -> HTMLResponse:
        return _missing() or get_redoc_html(
            openapi_url=openapi_url, title=title, redoc_js_url=f"{VENDOR}/redoc.standalone.js",
            redoc_favicon_url=f"{VENDOR}/favicon-32x32.png", with_google_fonts=False)

    app.add_route("/docs", swagger_ui, include_in_schema=False)
    app.add_route("/redoc", redoc, include_in_schema=False)
