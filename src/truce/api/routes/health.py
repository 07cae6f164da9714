"""GET /api/health: is the server up and the database reachable."""

from fastapi import APIRouter
from sqlalchemy import text

from ..deps import EngineDep
from ..schemas import Health

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=Health)
def health(engine: EngineDep) -> Health:
    from ...store.schema import current_revision

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(status="ok", database=engine.dialect.name, schema_revision=current_revision(engine))
