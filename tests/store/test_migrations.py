"""Alembic is the schema authority: upgrades keep data, on both back ends."""

from __future__ import annotations

from sqlalchemy import inspect, text

from record_factories import MOMENT, make_incident
from truce.service.records import add_incident
from truce.store import ledger
from truce.store.engine import make_engine
from truce.store.schema import current_revision, head_revision, upgrade
from truce.store.uow import UnitOfWork


def test_upgrade_from_first_revision_keeps_incidents_and_ledger(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "violations" not in inspect(engine).get_table_names()
    with UnitOfWork(engine, actor="test") as uow:
        add_incident(uow, make_incident(), MOMENT)
        uow.commit()

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    assert "violations" in inspect(engine).get_table_names()
    with UnitOfWork(engine) as uow:
        assert uow.incidents.get("inc-1") == make_incident()
        assert ledger.verify(uow.connection).ok


def test_postgis_geometry_follows_the_coordinates(postgres_url):
    engine = make_engine(postgres_url)
    upgrade(engine)
    with UnitOfWork(engine, actor="test") as uow:
        add_incident(uow, make_incident(), MOMENT)
        uow.commit()
    with engine.connect() as c:
        x, y = c.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM incidents")).one()
    assert (round(x, 2), round(y, 2)) == (45.73, 40.18)


def test_tables_module_matches_what_the_migrations_build(sqlite_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from truce.store.tables import metadata

    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diffs == []
