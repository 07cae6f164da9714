"""`truce serve`: the API and dashboard over HTTP."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from .common import DbOption, database_url, open_engine


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    trusted_proxy: Annotated[list[str] | None, typer.Option(
        "--trusted-proxy", help="Address of a reverse proxy whose X-Forwarded-For names the client "
                                "(repeatable); without one the header is ignored.")] = None,
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard; Ctrl-C stops it.

    Example: truce serve --db truce.db --port 8000
    """
    import os

    from ..settings import get_settings

    # the app reads its database from the settings: name --db there before
    # anything reads (and caches) them with the default database
    os.environ["TRUCE_DATABASE_URL"] = database_url(db)
    get_settings.cache_clear()
    open_engine(db)  # fail early, with a remedy, if the database is not usable
    # the per-client limit on failed sign-ins keys on the client address: a
    # forwarded header is believed only from a proxy named here
    uvicorn.run("truce.api.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="info", proxy_headers=bool(trusted_proxy),
                forwarded_allow_ips=",".join(trusted_proxy) if trusted_proxy else None)
