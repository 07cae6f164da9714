"""Victim databases for the attack tests, on SQLite and PostgreSQL: built once
per run, and each test gets its own copy (a file copy on SQLite, a template
database on PostgreSQL)."""

from __future__ import annotations

import sqlite3

import pytest

from approval_store import Store
from tamper_kit import copies, load_victim, run


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("keys")
    for name, args in (("log", []), ("arm", ["--witness"])):
        code, output = run("ledger", "keygen", "-o", str(tmp / f"{name}.key"), "--name", f"{name}.example/k", *args)
        assert code == 0, output
    return tmp


@pytest.fixture(scope="session")
def sqlite_victim(tmp_path_factory, keys):
    path = tmp_path_factory.mktemp("victim") / "victim.db"
    load_victim(f"sqlite:///{path}", keys)
    return path


@pytest.fixture(scope="session")
def pg_victim(pg_server, keys):
    url = pg_server.create_database("attack_victim")
    load_victim(url, keys)
    return "attack_victim"


@pytest.fixture(params=["sqlite", "postgresql"])
def victim(request) -> str:
    """A fresh copy of the victim database, on each back end in turn; its URL."""
    return request.getfixturevalue(f"victim_{request.param}")


@pytest.fixture
def victim_sqlite(tmp_path, sqlite_victim) -> str:
    """A fresh copy of the victim database on SQLite; its URL."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(sqlite_victim) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return f"sqlite:///{copy}"


@pytest.fixture
def victim_postgresql(pg_server, pg_victim) -> str:
    """A fresh copy of the victim database on PostgreSQL; its URL."""
    name = f"attack_copy_{next(copies)}"
    # commands run in this process keep pooled connections open; a template must have none
    pg_server.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{pg_victim}' "
                   "AND pid <> pg_backend_pid()")
    pg_server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{pg_victim}"')
    return pg_server.url_for(name)


@pytest.fixture
def store(db_url):
    """A fresh store with admins a1 and a2 and analyst an-1 on each back end
    (``tests/approval_store.Store``), for the approval attacks."""
    s = Store(db_url)
    yield s
    s.engine.dispose()
