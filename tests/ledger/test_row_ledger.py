"""Every record-table write is ledgered as the row it leaves, by construction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update

from record_factories import MOMENT, make_incident
from truce.service.records import add_incident
from truce.store import reconcile, tables
from truce.store.row_ledger import EXEMPT_TABLES, RECORD_TABLES
from truce.store.uow import UnitOfWork


def test_every_table_is_a_record_table_or_exempt_with_a_reason():
    names = set(tables.metadata.tables)
    unclassified = sorted(names - RECORD_TABLES.keys() - EXEMPT_TABLES.keys())
    assert not unclassified, (f"tables {unclassified} are neither ledgered (row_ledger.RECORD_TABLES) "
                              "nor exempt with a reason (row_ledger.EXEMPT_TABLES)")
    assert not RECORD_TABLES.keys() & EXEMPT_TABLES.keys()


def _entries(uow, record_id):
    return uow.connection.execute(select(tables.ledger.c.action, tables.ledger.c.content)
                                  .where(tables.ledger.c.record_id == record_id)
                                  .order_by(tables.ledger.c.seq)).all()


def test_any_core_write_in_a_unit_of_work_is_ledgered_and_reconciles(engine):
    now = datetime.now(UTC)
    with UnitOfWork(engine, actor="analyst-1") as uow:
        add_incident(uow, make_incident(), MOMENT)
        # a write path no service knows about yet: still ledgered
        uow.connection.execute(update(tables.incidents).where(tables.incidents.c.id == "inc-1")
                               .values(title="Renamed"))
        uow.connection.execute(insert(tables.parties), [{"id": "P1", "name": "One"}, {"id": "P2", "name": "Two"}])
        uow.connection.execute(delete(tables.parties).where(tables.parties.c.id == "P2"))
        uow.connection.execute(insert(tables.line_versions).values(
            valid_from=now.date(), sector="s",
            geojson={"type": "LineString", "coordinates": [[46.0, 40.0], [46.1, 40.1]]}))
        uow.commit()
    with UnitOfWork(engine, actor="analyst-2") as uow:
        uow.connection.execute(update(tables.parties).values(name="Renamed"))
        uow.connection.execute(delete(tables.line_versions))
        uow.commit()
    with UnitOfWork(engine) as uow:
        # one entry per row per transaction, with the row as it was committed
        [(action, content)] = _entries(uow, "incidents/inc-1")
        assert action == "row.insert" and content["row"]["title"] == "Renamed"
        assert _entries(uow, "parties/P2") == []  # inserted and deleted again: nothing happened
        assert [a for a, _c in _entries(uow, "parties/P1")] == ["row.insert", "row.update"]
        assert [a for a, _c in _entries(uow, "line_versions/1")] == ["row.insert", "row.delete"]  # autoincrement
        actors = dict(uow.connection.execute(select(tables.ledger.c.action, tables.ledger.c.actor).where(
            tables.ledger.c.record_id == "parties/P1")).all())
        assert actors == {"row.insert": "analyst-1", "row.update": "analyst-2"}
        assert list(reconcile.reconcile(uow.connection)) == []


def test_a_rolled_back_unit_of_work_ledgers_nothing(engine):
    with UnitOfWork(engine, actor="a") as uow:
        add_incident(uow, make_incident(), MOMENT)
    with UnitOfWork(engine) as uow:
        assert _entries(uow, "incidents/inc-1") == []


def test_tasks_written_before_schema_0014_are_ledgered_by_the_upgrade(db_url):
    """Before 0014 tasks and their answers were not row-ledgered: the upgrade
    ledgers them as they stand, beside one action entry, so the store verifies."""
    from truce.store import causes
    from truce.store.engine import make_engine
    from truce.store.schema import upgrade

    engine = make_engine(db_url)
    upgrade(engine, "0013")
    now = datetime.now(UTC)
    with engine.begin() as c:  # as the code of schema 0013 wrote them: no row entries
        c.execute(insert(tables.tasks).values(id="task-old", title="t", look_for="l", window_start=now,
                                              window_end=now, status="closed", created_at=now))
    upgrade(engine)
    with UnitOfWork(engine) as uow:
        [(action, content)] = _entries(uow, "tasks/task-old")
        assert action == "row.update" and content["row"]["status"] == "closed"
        assert list(reconcile.reconcile(uow.connection)) == []
        assert list(causes.unexplained(uow.connection)) == []
    engine.dispose()


def test_a_whole_number_in_a_float_column_reconciles_as_the_cli_writes_it(db_url):
    """`truce tasks add ... --radius-m 2000` as docs/cli.md gives it: SQLite
    hands 2000.0 back from INSERT ... RETURNING as 2000, a read as 2000.0;
    the row still matches its ledger entry."""
    from cli_main import added_user, run_main

    env = {"TRUCE_DATABASE_URL": db_url}
    assert run_main("init", env=env).returncode == 0
    added = run_main("tasks", "add", "Check Aghdam road", "--look-for", "impacts, damage", "--from",
                     "2020-10-15T06:00+04:00", "--to", "2020-10-15T18:00+04:00", "--lat", "39.99", "--lon", "46.93",
                     "--radius-m", "2000", "--token", added_user("analyst1", "analyst", db_url), env=env)
    assert added.returncode == 0, added.stderr
    checked = run_main("ledger", "verify", env=env)
    assert checked.returncode == 0 and "every record row matches" in checked.stdout, checked.stdout + checked.stderr
