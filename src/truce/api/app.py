"""The FastAPI application: routers, error handling, the database engine."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..service.tokens import load_token_key, token_key_path
from ..settings import Settings, get_settings
from ..store.engine import make_engine
from .docs import install_api_docs
from .errors import install_error_handlers
from .middleware import RequestLimits, body_kinds
from .openapi import describe_problems
from .routes import ROUTERS
from .throttle import FailureThrottle
from .writes import stop_group_commit

__all__ = ["create_app"]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Deliver queued alerts to webhooks in the background while serving;
    what is not delivered stays queued in the database for the next run."""
    from ..service.extraction_pool import shutdown as stop_extraction
    from ..service.webhooks import run_delivery_loop

    body_kinds(app)  # built now, not on the first write
    _settle_heap()
    stop = threading.Event()
    worker = threading.Thread(target=run_delivery_loop, args=(app.state.engine, stop),
                              name="webhook-delivery", daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop_group_commit(app)  # the report submissions queued are committed first
        stop.set()
        worker.join(timeout=5)
        stop_extraction()


def _settle_heap() -> None:
    """Move what start-up allocated (modules, routes, schemas: about 220,000
    objects) out of the garbage collector's reach. Otherwise each full
    collection walks all of them, a pause of 80-200 ms for whichever request
    is running, the tail of every latency figure."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from TRUCE_* variables)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="truce", version="0.1.0",
        description="Ceasefire monitoring and verification API. Errors are RFC 9457 problem+json.",
        lifespan=_lifespan, docs_url=None, redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, lock_timeout_s=settings.db_lock_timeout_s,
                                   synchronous=settings.sqlite_synchronous)
    app.state.token_key = load_token_key(token_key_path(settings.database_url,
                                                        settings.token_key_file))
    app.state.auth_throttle = FailureThrottle(per_client=settings.auth_failures_per_client,
                                              per_prefix=settings.auth_failures_per_prefix)
    install_error_handlers(app)
    app.add_middleware(RequestLimits)  # 413 / 415 before a route reads the body
    describe_problems(app)  # OpenAPI: errors are problem+json
    for router in ROUTERS:
        app.include_router(router)
    install_api_docs(app)  # Swagger UI and ReDoc from local files, no CDN
    return app
