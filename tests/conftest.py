"""Shared fixtures: fresh databases on SQLite and on a real PostgreSQL+PostGIS."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PostgresServer, start_postgres  # noqa: E402
from truce.store.engine import make_engine  # noqa: E402
from truce.store.schema import upgrade  # noqa: E402

_names = itertools.count()

# The CLI's tables take COLUMNS as the terminal's width; pytest-xdist workers
# are started with COLUMNS=80 and LINES=24, which would squeeze every table the
# tests read as a script would (piped, unlimited width).
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A PostgreSQL+PostGIS server for the whole run. A server that cannot
    start is an error, never a skip: `make test` installs what it needs."""
    server = start_postgres(tmp_path_factory.mktemp("pg"))
    yield server
    server.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'truce.db'}"


@pytest.fixture
def postgres_url(pg_server: PostgresServer) -> str:
    return pg_server.create_database(f"t{next(_names)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database URL on each back end in turn."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A fresh database at the newest schema, on each back end."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo theatre loaded through the real CLI, once
    per run. Tests must treat it as read-only (copy it to write)."""
    from typer.testing import CliRunner

    from truce.cli import app

    path = tmp_path_factory.mktemp("demo") / "truce.db"
    runner = CliRunner()
    for args in (["init", "--db", str(path)], ["demo", "load", "--db", str(path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def demo_db(demo_db_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the demo database."""
    import shutil
    import sqlite3

    copy = tmp_path / "demo.db"
    with sqlite3.connect(demo_db_path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    shutil.copymode(demo_db_path, copy)
    return copy


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slow tests first, so that parallel workers (`-n auto`) finish
    together instead of one worker starting a long test at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _settings_read_afresh() -> Iterator[None]:
    """Commands run in process cache the settings of their environment; no
    test inherits another's."""
    from truce.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
