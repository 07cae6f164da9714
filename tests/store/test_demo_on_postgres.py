"""The demo theatre loads and grades the same on PostgreSQL as on SQLite."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from truce.cli import app
from truce.store import ledger, tables
from truce.store.engine import make_engine


def grades(url: str) -> dict[str, tuple[str, int]]:
    with make_engine(url).connect() as c:
        rows = c.execute(select(tables.incidents.c.id, tables.incidents.c.grade,
                                tables.incidents.c.grade_reasons)).all()
        assert ledger.verify(c).ok
    return {i: (g, len(r)) for i, g, r in rows}


def test_demo_grades_agree_across_back_ends(postgres_url, demo_db_path):
    runner = CliRunner()
    for args in (["init", "--db", postgres_url], ["demo", "load", "--db", postgres_url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    on_postgres = grades(postgres_url)
    assert len(on_postgres) >= 40
    assert on_postgres == grades(f"sqlite:///{demo_db_path}")
