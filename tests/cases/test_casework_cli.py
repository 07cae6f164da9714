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
from truce.service.tokens import load_token_key, token_key_path
from truce.service.users import add_user
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork


def truce(db, *args: str) -> Ran:
    return run_main(*args, "--db", str(db), env={"TRUCE_DATABASE_URL": None, "TRUCE_TOKEN": None, "COLUMNS": "200"})


USERS = (("liaison-arm", "liaison", "ARM"), ("liaison-aze", "liaison", "AZE"), ("mediator1", "admin", None),
         ("analyst1", "analyst", None), ("admin1", "admin", None))
TOKENS: dict[str, str] = {}  # user name -> token, on the store the fixture made last


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "truce.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    now = datetime.now(UTC)
    key = load_token_key(token_key_path(f"sqlite:///{path}"))  # the key `truce` checks tokens with
    with UnitOfWork(engine, actor="seed") as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan")):
            add_party_actor_source(uow, party)
        add_agreement(uow, Agreement(id="agr-c", name="CLI truce", parties=("ARM", "AZE"),
                                     start=now - timedelta(days=3), terms=(Term(TermKind.NO_FIRE),)))
        for name, role, party in USERS:
            TOKENS[name] = add_user(uow, name, role, now, token_key=key, party=party)[1]
        uow.commit()
    engine.dispose()
    return path


def as_(name: str) -> tuple[str, str]:
    """The --token option of user ``name``."""
    return ("--token", TOKENS[name])


def _ok(db, *args: str) -> str:
    done = truce(db, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ledger(db) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM ledger").fetchone()[0]


def test_a_case_from_complaint_to_publication(db):
    for user, seat in (("liaison-arm", "ARM"), ("liaison-aze", "AZE"), ("mediator1", "mediator")):
        _ok(db, "cases", "member", "agr-c", user, seat, *as_("admin1"))
    assert "finding in 72 h" in _ok(db, "cases", "rules", "agr-c", "--reply-hours", "1", *as_("admin1"))
    out = _ok(db, "cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "Mortar fire",
              "--at", "2020-10-15T06:00+04:00", "--place", "Martuni", "--what", "Mortar rounds on houses",
              "--evidence", "zq-cli-evidence", *as_("liaison-arm"))
    case_id = re.search(r"case (case-\d+)", out).group(1)
    _ok(db, "cases", "open", case_id, *as_("analyst1"))
    _ok(db, "cases", "request", case_id, "Which units fired?", *as_("analyst1"))
    request_id = re.search(r"rfi-\w+", _ok(db, "cases", "show", case_id, "--format", "json")).group(0)
    _ok(db, "cases", "reply", case_id, "Ours did not.", "--request", request_id, *as_("liaison-aze"))
    digest = re.search(r"sha256 (\w+)", _ok(db, "cases", "evidence", case_id, "--kind", "text",
                                            "--note", "Crater analysis", *as_("analyst1"))).group(1)
    _ok(db, "cases", "finding", case_id, "--outcome", "confirmed", "--party", "AZE", "--reasons", "Craters",
        "--cite", digest, *as_("analyst1"))
    for side in ("liaison-arm", "liaison-aze"):
        _ok(db, "cases", "reply", case_id, f"zq-{side}", *as_(side))
    refused = truce(db, "cases", "approve", case_id, *as_("analyst1"))
    assert refused.returncode == 1 and "not a member of the commission" in refused.stderr
    for user in ("liaison-arm", "liaison-aze"):
        assert "still missing" in _ok(db, "cases", "approve", case_id, *as_(user))
    assert "quorum met" in _ok(db, "cases", "approve", case_id, *as_("mediator1"))
    _ok(db, "cases", "publish", case_id, *as_("analyst1"))
    board = _ok(db, "cases", "list")
    assert case_id in board and "ARM: 1 filed, 1 substantiated" in board
    shown = _ok(db, "cases", "show", case_id)
    assert "finding published, case closed" in shown and "approved for the seat mediator" in shown
    assert _actors(db, case_id) == {
        "case.file": {"liaison-arm"}, "case.open": {"analyst1"}, "case.request": {"analyst1"},
        "case.reply": {"liaison-arm", "liaison-aze"}, "case.evidence": {"liaison-arm", "analyst1"},
        "case.finding": {"analyst1"}, "case.approve": {"liaison-arm", "liaison-aze", "mediator1"},
        "case.publish": {"analyst1"}}


def _actors(db, record_id: str) -> dict[str, set[str]]:
    """The ledger's actors of each action on ``record_id``."""
    found: dict[str, set[str]] = {}
    with sqlite3.connect(db) as c:
        for action, actor in c.execute("SELECT action, actor FROM ledger WHERE record_id = ?", (record_id,)):
            found.setdefault(action, set()).add(actor)
    return found


@pytest.mark.parametrize("args, message", [
    (["cases", "show", "case-0404"], "no case 'case-0404'"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x", "@analyst1"],
     "this needs a party's liaison; analyst1 is analyst"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x", "@liaison-arm"],
     "name the incidents it concerns"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x", "--at", "yesterday",
      "--place", "p", "--what", "w", "@liaison-arm"], "is not an ISO 8601 time"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x",
      "--at", "0001-01-01T00:00:00+00:00", "--place", "p", "--what", "w", "@liaison-arm"],
     "at: 0001-01-01 is outside the dates records can have (1900-01-01 .. 2100-12-31)"),
    (["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x",
      "--at", "9999-12-31T23:59:59+00:00", "--place", "p", "--what", "w", "@liaison-arm"],
     "at: 9999-12-31 is outside the dates records can have"),
    (["cases", "rules", "agr-c", "--quorum", "ARM,NKR", "@admin1"], "a seat is a party of agr-c"),
    (["cases", "member", "agr-c", "liaison-aze", "ARM", "@admin1"], "does not speak for ARM"),
    (["cases", "open", "--agreement", "agr-c", "--summary", "x", "@analyst1"], "starts from an alert or incidents"),
])
def test_bad_steps_are_one_line_errors_and_write_nothing(db, args, message):
    before = _ledger(db)
    done = truce(db, *(a for arg in args for a in (as_(arg[1:]) if arg.startswith("@") else (arg,))))
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _ledger(db) == before


def _a_filed_case(db) -> str:
    out = _ok(db, "cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "Mortar fire",
              "--at", "2020-10-15T06:00+04:00", "--place", "Martuni", "--what", "Mortar rounds",
              *as_("liaison-arm"))
    return re.search(r"case (case-\d+)", out).group(1)


FILE = ["cases", "file", "agr-c", "--accused", "AZE", "--term", "no_fire", "--summary", "x",
        "--at", "2020-10-15T06:00+04:00", "--place", "p", "--what", "w"]


@pytest.mark.parametrize("token, message", [
    ([], "this needs the token of"),
    (["--token", "truce_nope_0000"], "the token was refused"),
    ("liaison-arm", "this needs an admin or an analyst; liaison-arm is liaison"),
])
@pytest.mark.parametrize("step", ["open", "evidence", "request", "publish"])
def test_a_staff_step_without_a_staff_token_is_refused_and_writes_nothing(db, step, token, message):
    case_id = _a_filed_case(db)
    before = _ledger(db)
    args = {"open": [case_id], "evidence": [case_id, "--kind", "text", "--note", "n"],
            "request": [case_id, "Which units?"], "publish": [case_id]}[step]
    done = truce(db, "cases", step, *args, *(as_(token) if isinstance(token, str) else token))
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert "give --token (or TRUCE_TOKEN) of" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert _ledger(db) == before


@pytest.mark.parametrize("args, user, message", [
    (FILE, None, "this needs the token of a party's liaison"),
    (FILE, "analyst1", "this needs a party's liaison; analyst1 is analyst"),
    (["cases", "rules", "agr-c", "--finding-hours", "12"], "analyst1", "this needs an admin; analyst1 is analyst"),
    (["cases", "member", "agr-c", "liaison-arm", "ARM"], "liaison-arm", "this needs an admin"),
    (["cases", "approve", "case-0001"], None, "this needs the token of a user"),
])
def test_party_and_admin_steps_take_the_user_from_the_token_only(db, args, user, message):
    before = _ledger(db)
    done = truce(db, *args, *(as_(user) if user else ()))
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert _ledger(db) == before


def test_a_name_on_the_command_line_is_no_longer_an_option(db):
    for args in (["cases", "open", "case-0001", "--by", "la1"], [*FILE, "--as", "liaison-arm"]):
        done = truce(db, *args, *as_("analyst1"))
        assert done.returncode == 2 and "No such option" in done.stderr, done.stderr
