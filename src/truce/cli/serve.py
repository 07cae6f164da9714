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
) -> None:
    """Serve the API (OpenAPI at /docs) and the dashboard; Ctrl-C stops it.

    Example: truce serve --db truce.db --port 8000
    """
    import os

    open_engine(db)  # fail early, with a remedy, if the database is not usable
    os.environ["TRUCE_DATABASE_URL"] = database_url(db)
    uvicorn.run("truce.api.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="info")
