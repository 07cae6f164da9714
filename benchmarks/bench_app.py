"""The truce app with one more route, ``POST /bench/empty``, that does
nothing: the same Uvicorn, middleware and error handling as every truce
route, so that ``benchmarks/ingest.py`` can measure what the stack itself
costs beside what a report submission costs, in the same server."""

from __future__ import annotations

from fastapi import FastAPI

from truce.api.app import create_app as create_truce_app


def create_app() -> FastAPI:
    app = create_truce_app()

    @app.post("/bench/empty", include_in_schema=False)
    def empty() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/bench/group-commit", include_in_schema=False)
    def group_commit_figures() -> dict[str, float]:
        """Batches committed, reports in them, the writer thread's CPU seconds."""
        writer = getattr(app.state, "group_commit", None)
        if writer is None:
            return {"batches": 0, "writes": 0, "largest": 0, "cpu_s": 0.0}
        return {"batches": writer.batches, "writes": writer.writes, "largest": writer.largest,
                "cpu_s": writer.cpu_s}

    return app
