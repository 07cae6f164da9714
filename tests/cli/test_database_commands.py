"""`truce init` and `truce db upgrade`, and their errors, through the real command."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

TRUCE = [sys.executable, "-m", "truce"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*TRUCE, *args], capture_output=True, text=True, timeout=120, env=env)


def test_init_creates_sqlite_database_in_wal_mode(tmp_path: Path):
    db = tmp_path / "truce.db"
    result = run("init", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "schema revision" in result.stdout
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("SELECT seq FROM ledger_head").fetchone()[0] == 0


def test_init_refuses_a_database_that_already_has_a_schema(tmp_path: Path):
    db = tmp_path / "truce.db"
    assert run("init", "--db", str(db)).returncode == 0
    result = run("init", "--db", str(db))
    assert result.returncode == 1
    assert "already holds a truce schema" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_postgres_url_is_one_line_error_with_remedy(tmp_path: Path):
    result = run("init", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 1
    assert "cannot reach database" in result.stderr
    assert "check the server is running" in result.stderr
    assert "Traceback" not in result.stderr


def test_commands_on_uninitialised_database_say_to_run_init(tmp_path: Path):
    result = run("incidents", "list", "--db", str(tmp_path / "empty.db"))
    assert result.returncode == 1
    assert "truce init" in result.stderr


def test_init_on_postgres_then_upgrade_reports_nothing_to_do(postgres_url: str):
    assert run("init", "--db", postgres_url).returncode == 0
    result = run("db", "upgrade", "--db", postgres_url)
    assert result.returncode == 0, result.stderr
    assert "Already at the newest schema" in result.stdout


def test_database_url_comes_from_environment(tmp_path: Path):
    import os

    db = tmp_path / "env.db"
    env = dict(os.environ, TRUCE_DATABASE_URL=f"sqlite:///{db}")
    assert run("init", env=env).returncode == 0
    assert db.exists()
