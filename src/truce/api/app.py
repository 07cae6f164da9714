"""The FastAPI application: routers, error handling, the database engine."""

from __future__ import annotations

from fastapi import FastAPI

from ..settings import Settings, get_settings
from ..store.engine import make_engine
from .errors import install_error_handlers
from .middleware import RequestLimits
from .openapi import describe_problems
from .routes import ROUTERS

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from TRUCE_* variables)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="truce", version="0.1.0",
        description="Ceasefire monitoring and verification API. Errors are RFC 9457 problem+json.",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    install_error_handlers(app)
    app.add_middleware(RequestLimits)  # 413 / 415 before a route reads the body
    describe_problems(app)  # OpenAPI: errors are problem+json
    for router in ROUTERS:
        app.include_router(router)
    return app
