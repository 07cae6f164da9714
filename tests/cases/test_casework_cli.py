"""`truce cases ...` through the real command: a whole case from complaint to
publication, and steps refused with a one-line error and nothing written."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from cli_main import Ran, run_main
from truce.domain.actors import Party
from truce.domain.agreements import Agreement, Term, TermKind
from truce.service.records import add_agreement, add_party_actor_source
from truce.service.users import add_user
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork


def truce(db, *args: str) -> Ran:
    return run_main(*args, "--db", str(db), env={"TRUCE_DATABASE_URL": None, "COLUMNS": "200"})


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "truce.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    now = datetime.now(UTC)
    with UnitOfWork(engine, actor="seed") as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan")):
            add_party_actor_source(uow, party)
        add_agreement(uow, Agreement(id="agr-c", name="CLI truce", parties=("ARM", "AZE"),
                                     start=now - timedelta(days=3), terms=(Term(TermKind.NO_FIRE),)))
        for name, role, party in (("liaison-arm", "liaison", "ARM"), ("liaison-aze", "liaison", "AZE"),
                                  ("mediator1", "admin", None), ("analyst1", "analyst", None)):
            add_user(uow, name, role, now, token_key=b"k" * 32, party=party)
        uow.commit()
    engine.dispose()
    return path


def _ok(db, *args: str) -> str:
    done = truce(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ledger(db) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM ledger").fetchone()[0]


def test_a_case_from_complaint_to_publication(db):
    for user, seat in (("liaison-arm", "ARM"), ("liaison-aze", "AZE"), ("mediator1", "mediator")):
        _ok(db, "cases", "member", "agr-c", user, seat)
    assert "finding in 72 h" in _ok(db, "cases", "rules", "agr-c", "--reply-hours", "1")
    out = _ok(db, "cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "Mortar fire",
              "--at", "2020-10-15T06:00+04:00", "--place", "Martuni", "--what", "Mortar rounds on houses",
              "--evidence", "zq-cli-evidence", "--as", "liaison-arm")
    case_id = re.search(r"case (case-\d+)", out).group(1)
    _ok(db, "cases", "open", case_id)
    _ok(db, "cases", "request", case_id, "Which units fired?")
    request_id = re.search(r"rfi-\w+", _ok(db, "cases", "show", case_id, "--format", "json")).group(0)
    _ok(db, "cases", "reply", case_id, "Ours did not.", "--request", request_id, "--as", "liaison-aze")
    digest = re.search(r"sha256 (\w+)", _ok(db, "cases", "evidence", case_id, "--kind", "text",
                                            "--note", "Crater analysis")).group(1)
    _ok(db, "cases", "finding", case_id, "--outcome", "confirmed", "--party", "AZE", "--reasons", "Craters",
        "--cite", digest)
    for side in ("liaison-arm", "liaison-aze"):
        _ok(db, "cases", "reply", case_id, f"zq-{side}", "--as", side)
    refused = truce(db, "cases", "approve", case_id, "--as", "analyst1")
    assert refused.returncode == 1 and "not a member of the commission" in refused.stderr
    for user in ("liaison-arm", "liaison-aze"):
        assert "still missing" in _ok(db, "cases", "approve", case_id, "--as", user)
    assert "quorum met" in _ok(db, "cases", "approve", case_id, "--as", "mediator1")
    _ok(db, "cases", "publish", case_id)
    board = _ok(db, "cases", "list")
    assert case_id in board and "ARM: 1 filed, 1 substantiated" in board
    shown = _ok(db, "cases", "show", case_id)
    assert "finding published, case closed" in shown and "approved for the seat mediator" in shown


@pytest.mark.parametrize("args, message", [
    (["cases", "show", "case-0404"], "no case 'case-0404'"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x", "--as", "analyst1"],
     "complaints are filed by a party's liaison"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x", "--as", "liaison-arm"],
     "name the incidents it concerns"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x", "--at", "yesterday",
      "--place", "p", "--what", "w", "--as", "liaison-arm"], "is not an ISO 8601 time"),
    (["cases", "rules", "agr-c", "--quorum", "ARM,NKR"], "a seat is a party of agr-c"),
    (["cases", "member", "agr-c", "liaison-aze", "ARM"], "does not speak for ARM"),
    (["cases", "open", "--agreement", "agr-c", "--summary", "x"], "starts from an alert or incidents"),
])
def test_bad_steps_are_one_line_errors_and_write_nothing(db, args, message):
    before = _ledger(db)
    done = truce(db, *args)
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _ledger(db) == before
