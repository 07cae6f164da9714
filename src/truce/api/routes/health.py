"""Liveness and readiness.

``GET /api/health`` answers as long as the server process serves requests
and touches nothing else (load balancers and supervisors poll it often).
``GET /api/health/ready`` also reads the database: its schema revision must
be the one this code expects; otherwise 503.
"""

from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from ...domain.exceptions import Unavailable
from ...store.schema import head_revision
from ..deps import EngineDep
from ..schemas import Health, Readiness

router = APIRouter(prefix="/api/health", tags=["health"])
_expected_revision = lru_cache(maxsize=1)(head_revision)


@router.get("", response_model=Health)
async def health() -> Health:
    """Liveness: the server is up (no database access)."""
    return Health(status="ok")


@router.get("/ready", response_model=Readiness,
            responses={503: {"description": "The database is unreachable or at another schema"}})
def ready(engine: EngineDep) -> Readiness:
    """Readiness: the database answers and is at this code's schema revision."""
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise Unavailable(f"the database does not answer: {type(exc).__name__}",
                          retry_after_s=5) from None
    expected = _expected_revision()
    if revision != expected:
        raise Unavailable(f"the database is at schema revision {revision}, this server needs "
                          f"{expected}", retry_after_s=30, remedy="run `truce db upgrade`")
    return Readiness(status="ready", database=engine.dialect.name, schema_revision=revision)
