"""`truce users` and `truce ledger` on a real database file."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from truce.cli import app
from truce.service.signing import generate_key
from truce.store.engine import make_engine

runner = CliRunner()


def _init(tmp_path) -> str:
    db = str(tmp_path / "t.db")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    return db


def test_users_add_prints_the_token_once_and_list_never_does(tmp_path):
    db = _init(tmp_path)
    _private, public = generate_key()
    (tmp_path / "k.pub").write_text(public)
    added = runner.invoke(app, ["users", "add", "obs-1", "--role", "observer",
                                "--public-key", str(tmp_path / "k.pub"), "--db", db])
    assert added.exit_code == 0, added.output
    token = next(line for line in added.output.splitlines() if line.startswith("truce_"))
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert "obs-1" in listed.output and token not in listed.output


def test_users_add_with_an_unknown_role_fails_with_one_line(tmp_path):
    db = _init(tmp_path)
    result = runner.invoke(app, ["users", "add", "x", "--role", "general", "--db", db])
    assert result.exit_code != 0
    assert "unknown role" in str(result.exception) + result.output


def test_ledger_verify_names_the_first_tampered_entry(tmp_path):
    db = _init(tmp_path)
    for name in ("a1", "a2", "a3"):
        assert runner.invoke(app, ["users", "add", name, "--role", "analyst", "--db", db]).exit_code == 0
    ok = runner.invoke(app, ["ledger", "verify", "--db", db])
    # each user: the row as written and the admin's action
    assert ok.exit_code == 0 and "ok: 6 entries" in ok.output
    head = runner.invoke(app, ["ledger", "head", "--db", db])
    assert head.output.startswith("6 ")
    with make_engine(db).begin() as c:
        c.execute(text("UPDATE ledger SET actor = 'someone' WHERE seq = 2"))
    bad = runner.invoke(app, ["ledger", "verify", "--db", db])
    assert bad.exit_code == 1
    assert "entry 2" in bad.output
