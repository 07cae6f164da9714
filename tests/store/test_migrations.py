"""Alembic is the schema authority: upgrades keep data, on both back ends."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from sqlalchemy import inspect, text

from record_factories import MOMENT, make_incident
from truce.domain.canonical import canonical_bytes, sha256_hex
from truce.service.records import add_incident
from truce.store import causes, ledger, reconcile
from truce.store.engine import make_engine
from truce.store.repositories import IncidentRepository
from truce.store.schema import current_revision, head_revision, upgrade
from truce.store.uow import UnitOfWork
from truce.verifier import entry_bytes


def test_upgrade_from_first_revision_keeps_incidents_and_ledger(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "violations" not in inspect(engine).get_table_names()
    with engine.begin() as connection:  # as revision 0001's code wrote, with no Merkle tree
        IncidentRepository(connection).add(make_incident(), MOMENT)
        _append_as_in_0001(connection, "incident.add", "inc-1", {"id": "inc-1"})
        _append_as_in_0001(connection, "incident.note", "inc-1", {"note": "second"})

    upgrade(engine)

    assert current_revision(engine) == head_revision()
    assert "violations" in inspect(engine).get_table_names()
    with UnitOfWork(engine) as uow:
        assert uow.incidents.get("inc-1") == make_incident()
        check = ledger.verify(uow.connection)
        # the migration hashed the old entries into the tree and ledgered the old rows as they stand;
        # schema 0012 vouched for that row entry (no action caused it) with one entry of its own
        assert check.ok and check.entries == 4
        assert list(reconcile.reconcile(uow.connection)) == []
        assert list(causes.unexplained(uow.connection)) == []
        assert uow.ledger_entries(["ledger/causes"], 1)[0]["action"] == causes.VOUCHER


def test_the_head_read_from_file_names_is_alembics_own():
    from alembic.script import ScriptDirectory

    from truce.store.schema import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    # one linear chain: every file's name carries its revision
    assert {rev.revision for rev in script.walk_revisions()} == {
        path.name.split("_", 1)[0] for path in (Path(script.dir) / "versions").glob("*.py")}


def _append_as_in_0001(connection, action, record_id, content):
    """A ledger entry as revision 0001 wrote it: hash chain and head, no Merkle tree."""
    seq, prev = connection.execute(text("SELECT seq, entry_hash FROM ledger_head")).one()
    seq += 1
    content_hash = sha256_hex(canonical_bytes(content))
    entry_hash = sha256_hex(entry_bytes(ledger.entry_of(seq, MOMENT, "test", action, record_id,
                                                        content_hash, prev)))
    connection.execute(ledger.ledger.insert().values(
        seq=seq, at=MOMENT, actor="test", action=action, record_id=record_id, content=content,
        content_hash=content_hash, prev_hash=prev, entry_hash=entry_hash))
    connection.execute(text("UPDATE ledger_head SET seq = :s, entry_hash = :h"), {"s": seq, "h": entry_hash})


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


def test_upgrade_binds_the_token_hashes_stored_before_it_to_their_users(db_url):
    """Schema 0013 binds each ``hmac-sha256$`` hash to its row's user id with
    the token key, knowing no token: the tokens keep working, and the rows
    and entries it changed verify."""
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from truce.service.tokens import UNBOUND, hash_token, load_token_key, token_key_path
    from truce.service.users import add_user, authenticate
    from truce.settings import get_settings
    from truce.store import row_ledger
    from truce.store import tables as t

    engine = make_engine(db_url)
    upgrade(engine, "0012")
    key = load_token_key(token_key_path(db_url, get_settings().token_key_file))
    with UnitOfWork(engine, actor="test") as uow:
        user, token = add_user(uow, "an-old", "analyst", MOMENT, token_key=key)
        uow.commit()
    with engine.begin() as c:  # as schema 0012 stored it: the digest alone, no cause on action entries
        c.execute(update(t.users).values(token_hash=UNBOUND + hmac.new(key, token.encode(), hashlib.sha256)
                                         .hexdigest()))
        c.execute(text("UPDATE ledger SET cause = NULL WHERE action NOT LIKE 'row.%'"))
        row_ledger.ledger_existing_rows(c, actor="schema 0012", only=["users"])
    upgrade(engine)
    with engine.connect() as c:
        assert c.execute(select(t.users.c.token_hash)).scalar_one() == hash_token(token, key, user.id)
        assert authenticate(c, token, datetime.now(UTC), token_key=key).name == "an-old"
    with UnitOfWork(engine) as uow:
        assert list(reconcile.reconcile(uow.connection)) == []
        assert list(causes.unexplained(uow.connection)) == []
    engine.dispose()
