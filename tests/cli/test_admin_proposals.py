"""Making a user an admin takes two admins once the store has two: one
proposes with `truce users add NAME --role admin --token`, a second approves;
`truce ledger verify` names an admin one admin made alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from typer.testing import CliRunner

from truce.cli import app
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork
from truce.store.users import UserRecord

runner = CliRunner()


def _init(tmp_path) -> str:
    db = str(tmp_path / "t.db")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    return db


def _token(db: str, name: str, *extra: str) -> str:
    done = runner.invoke(app, ["users", "add", name, "--role", "admin", "--quiet", *extra, "--db", db])
    assert done.exit_code == 0, done.output
    return done.stdout.splitlines()[0]


def _said(result) -> str:
    """What a failed command says (in-process, the error reaches the runner as the exception)."""
    return f"{result.exception or ''} {result.output}"


def _counts(db: str) -> tuple[int, int, int]:
    with make_engine(db).connect() as c:
        return tuple(c.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (t.users, t.user_changes, t.ledger))


def test_the_first_two_admins_are_one_act_each_and_a_third_takes_a_second_admin(tmp_path):
    db = _init(tmp_path)
    t1, t2 = _token(db, "admin-1"), _token(db, "admin-2")
    before = _counts(db)
    alone = runner.invoke(app, ["users", "add", "admin-3", "--role", "admin", "--db", db])
    assert alone.exit_code == 1 and "a new admin is proposed by one admin and approved by another" in _said(alone)
    why = runner.invoke(app, ["users", "add", "admin-3", "--role", "admin", "--token", t1, "--db", db])
    assert why.exit_code == 1 and "say why" in _said(why)
    not_admin = runner.invoke(app, ["users", "add", "an-1", "--role", "analyst", "--quiet", "--db", db])
    analyst = not_admin.stdout.splitlines()[0]
    before = _counts(db)
    refused = runner.invoke(app, ["users", "add", "admin-3", "--role", "admin", "--reason", "x",
                                  "--token", analyst, "--db", db])
    assert refused.exit_code == 1 and "needs an admin" in _said(refused)
    assert _counts(db) == before, "a refused proposal changes nothing"

    proposed = runner.invoke(app, ["users", "add", "admin-3", "--role", "admin", "--reason", "joins HQ",
                                   "--token", t1, "--db", db])
    assert proposed.exit_code == 0, proposed.output
    change = next(w for w in proposed.output.split() if w.startswith("chg-")).rstrip(":")
    t3 = next(line for line in proposed.output.splitlines() if line.startswith("truce_"))
    early = runner.invoke(app, ["users", "approve", "chg-nothing", "--token", t3, "--db", db])
    assert early.exit_code == 1 and "awaits a second admin's approval" in _said(early)
    own = runner.invoke(app, ["users", "approve", change, "--token", t1, "--db", db])
    assert own.exit_code == 1 and "second, different admin" in _said(own)
    pending = runner.invoke(app, ["users", "changes", "--status", "pending", "--format", "json", "--db", db])
    assert change in pending.output and "a new admin" in pending.output

    approved = runner.invoke(app, ["users", "approve", change, "--token", t2, "--db", db])
    assert approved.exit_code == 0, approved.output
    works = runner.invoke(app, ["users", "approve", "chg-nothing", "--token", t3, "--db", db])
    assert works.exit_code == 1 and "no change with id" in _said(works)  # the token is accepted now
    verified = runner.invoke(app, ["ledger", "verify", "--db", db])
    assert verified.exit_code == 0, verified.output
    assert "identity" not in verified.output


def test_a_rejected_admin_never_gets_in(tmp_path):
    db = _init(tmp_path)
    t1, t2 = _token(db, "admin-1"), _token(db, "admin-2")
    proposed = runner.invoke(app, ["users", "add", "admin-3", "--role", "admin", "--reason", "joins HQ",
                                   "--token", t1, "--db", db])
    change = next(w for w in proposed.output.split() if w.startswith("chg-")).rstrip(":")
    t3 = next(line for line in proposed.output.splitlines() if line.startswith("truce_"))
    assert runner.invoke(app, ["users", "reject", change, "--token", t2, "--db", db]).exit_code == 0
    assert runner.invoke(app, ["users", "approve", change, "--token", t2, "--db", db]).exit_code == 1
    still = runner.invoke(app, ["users", "approve", "chg-nothing", "--token", t3, "--db", db])
    assert still.exit_code == 1 and "the token was refused" in _said(still)


def test_ledger_verify_names_an_admin_one_admin_made_alone(tmp_path):
    db = _init(tmp_path)
    _token(db, "admin-1"), _token(db, "admin-2")
    assert runner.invoke(app, ["ledger", "verify", "--db", db]).exit_code == 0
    now = datetime.now(UTC)
    # written through truce's own unit of work (ledgered, with its action), around the rule of add_user
    with UnitOfWork(make_engine(db), actor="admin-1") as uow:
        user = UserRecord(id=f"usr-{uuid.uuid4().hex[:16]}", name="admin-x", role="admin", party=None,
                          public_key=None, active=True, created_at=now, token_expires_at=None)
        uow.users.add(user, "h", "p" * 8)
        uow.record("user.add", user.id, {"name": "admin-x", "role": "admin"}, at=now)
        uow.commit()
    found = runner.invoke(app, ["ledger", "verify", "--db", db])
    assert found.exit_code == 1
    line = next(x for x in found.output.splitlines() if "admin-x" in x)
    assert "admin created by one admin" in line and "no second admin approved it" in line


def test_the_cli_error_line_names_no_internal_field(tmp_path):
    """Bad input to a command is one sentence on stderr: the field a
    ValidationError carries is the API's (``errors[].field``), not the CLI's."""
    from approval_store import key_files
    from cli_main import run_main

    db = _init(tmp_path)
    t1, t2 = _token(db, "a1"), _token(db, "a2")
    proposed = run_main("users", "add", "a3", "--role", "admin", "--reason", "a third", "--token", t1, "--db", db)
    change = next(w for w in proposed.stdout.replace("(", " ").replace(")", " ").replace(":", " ").split()
                  if w.startswith("chg-"))
    assert run_main("users", "approve", change, "--token", t2, "--db", db).returncode == 0
    _key, pub = key_files(tmp_path, "a1")
    assert run_main("users", "key", "a1", "--public-key", pub, "--token", t1, "--db", db).returncode == 0
    done = run_main("users", "deactivate", "a1", "--token", t2, "--db", db)
    assert done.returncode == 1 and done.stderr.startswith("error: say why"), done.stderr
    _key9, pub9 = key_files(tmp_path, "a9")
    done = run_main("users", "add", "a9", "--role", "admin", "--public-key", pub9, "--reason", "HQ",
                    "--token", t2, "--db", db)
    assert done.returncode == 1 and done.stderr.startswith("error: an admin registers their own"), done.stderr
