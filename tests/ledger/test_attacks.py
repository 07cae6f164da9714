"""An attacker with write access to the database, on SQLite and PostgreSQL:
each attack is made with plain SQL (as from a database console) and
`truce ledger verify` must detect and name it.

The victim is the demo theatre (every record table has rows) plus users;
each test gets its own copy of it (a file copy on SQLite, a template
database on PostgreSQL).
"""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from truce.cli import app
from truce.domain.canonical import canonical_bytes, sha256_hex
from truce.domain.exceptions import TruceError
from truce.service.signing import generate_key
from truce.service.users import add_user
from truce.store import ledger
from truce.store.engine import make_engine
from truce.store.row_ledger import RECORD_TABLES
from truce.store.uow import UnitOfWork
from truce.verifier import entry_bytes

runner = CliRunner()
_copies = itertools.count()


def run(*args: str):
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, TruceError):
        return 1, result.output + str(result.exception)
    return result.exit_code, result.output


def _load_victim(url: str, keys) -> None:
    for args in (["init", "--db", url], ["demo", "load", "--db", url]):
        code, output = run(*args)
        assert code == 0, output
    engine = make_engine(url)
    with UnitOfWork(engine, actor="admin-setup") as uow:
        _private, public = generate_key()
        add_user(uow, "obs-1", "observer", datetime.now(UTC), public_key=public)
        add_user(uow, "liaison-arm", "liaison", datetime.now(UTC), party="ARM")
        add_user(uow, "admin-1", "admin", datetime.now(UTC))
        uow.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("keys")
    for name, args in (("log", []), ("arm", ["--witness"])):
        code, output = run("ledger", "keygen", "-o", str(tmp / f"{name}.key"), "--name", f"{name}.example/k", *args)
        assert code == 0, output
    return tmp


@pytest.fixture(scope="module")
def sqlite_victim(tmp_path_factory, keys):
    path = tmp_path_factory.mktemp("victim") / "victim.db"
    _load_victim(f"sqlite:///{path}", keys)
    return path


@pytest.fixture(scope="module")
def pg_victim(pg_server, keys):
    url = pg_server.create_database("attack_victim")
    _load_victim(url, keys)
    return "attack_victim"


@pytest.fixture(params=["sqlite", "postgresql"])
def victim(request, tmp_path, keys) -> str:
    """A fresh copy of the victim database; its URL."""
    if request.param == "sqlite":
        copy = tmp_path / "copy.db"
        with sqlite3.connect(request.getfixturevalue("sqlite_victim")) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        return f"sqlite:///{copy}"
    server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("pg_victim")
    name = f"attack_copy_{next(_copies)}"
    # commands run in this process keep pooled connections open; a template must have none
    server.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template}' "
                "AND pid <> pg_backend_pid()")
    server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return server.url_for(name)


def sql(url: str, statement: str, **params) -> None:
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(text(statement), params)
    engine.dispose()


def first_key(url: str, table: str) -> str:
    engine = make_engine(url)
    with engine.connect() as c:
        pk = [col.name for col in RECORD_TABLES[table].primary_key.columns][0]
        value = c.execute(text(f'SELECT "{pk}" FROM "{table}" ORDER BY "{pk}" LIMIT 1')).scalar_one()
    engine.dispose()
    return value


def verify(url: str, *extra: str) -> tuple[int, str]:
    return run("ledger", "verify", "--db", url, *extra)


def checkpoint(url: str, keys, name: str, *, cosign: bool = False) -> str:
    path = keys.parent / f"{name}-{next(_copies)}.txt"
    code, output = run("ledger", "checkpoint", "--db", url, "--key", str(keys / "log.key"), "-o", str(path))
    assert code == 0, output
    if cosign:
        code, output = run("ledger", "cosign", str(path), "--key", str(keys / "arm.key"),
                           "--log-key", str(keys / "log.key.pub"), "--db", url)
        assert code == 0, output
        path.write_text(output)
    return str(path)


def test_the_untouched_record_verifies(victim):
    code, output = verify(victim)
    assert code == 0, output
    assert "every record row matches" in output


# table, column, a new value (an SQL expression that always changes it)
ALTERATIONS = [
    ("claims", "stance", "CASE WHEN stance = 'denies' THEN 'asserts' ELSE 'denies' END"),
    ("claims", "text", "'never said'"),
    ("incidents", "title", "title || ' (edited)'"), ("incidents", "status", "'draft'"),
    ("incidents", "grade", "'confirmed-x'"), ("incidents", "grade_override", "'confirmed-x'"),
    ("casualty_figures", "value", "value + 1"),
    ("violations", "responsible", "CASE WHEN responsible = 'ARM' THEN 'AZE' ELSE 'ARM' END"),
    ("controls", "party_id", "CASE WHEN party_id = 'ARM' THEN 'AZE' ELSE 'ARM' END"),
    ("reports", "summary", "'calm day'"),
    ("agreements", "name", "name || ' (edited)'"), ("sources", "name", "name || ' (edited)'"),
    ("actors", "name", "name || ' (edited)'"), ("places", "latitude", "latitude + 0.5"),
    ("alerts", "message", "'all quiet'"),
    ("users", "role", "CASE WHEN role = 'admin' THEN 'observer' ELSE 'admin' END"),
    ("parties", "name", "name || ' (edited)'"), ("incident_geo", "sector", "'elsewhere'"),
    ("line_versions", "sector", "sector || ' (moved)'"),
]


def _drop_report_immutability(url: str) -> None:
    if url.startswith("sqlite"):
        sql(url, "DROP TRIGGER reports_no_update")
        sql(url, "DROP TRIGGER reports_no_delete")
    else:
        sql(url, "DROP TRIGGER reports_immutable ON reports")


def test_an_altered_field_in_each_record_table_is_named(victim):
    _drop_report_immutability(victim)
    altered: dict[str, set[str]] = {}
    for table, column, value in ALTERATIONS:
        key = first_key(victim, table)
        pk = [c.name for c in RECORD_TABLES[table].primary_key.columns][0]
        sql(victim, f'UPDATE "{table}" SET "{column}" = {value} WHERE "{pk}" = :k', k=key)
        altered.setdefault(f"{table} {key}", set()).add(column)
    code, output = verify(victim)
    assert code == 1
    named = {}
    for line in output.splitlines():
        if line.startswith("tampered: ") and " differ" in line:
            where, _, fields = line.removeprefix("tampered: ").partition(": ")
            named[where] = set(fields.split(" differ")[0].split(", "))
    assert named == altered
    assert f"{len(altered)} rows differ" in output


def test_a_deleted_row_is_named(victim):
    _drop_report_immutability(victim)
    report = first_key(victim, "reports")
    sql(victim, "DELETE FROM incident_reports WHERE report_id = :k", k=report)
    sql(victim, "DELETE FROM evidence WHERE report_id = :k", k=report)
    sql(victim, "DELETE FROM reports WHERE id = :k", k=report)
    deleted = [f"reports {report}: row is missing"]
    for table in ("claims", "casualty_figures", "violations"):
        key = first_key(victim, table)
        sql(victim, f'DELETE FROM "{table}" WHERE id = :k', k=key)
        deleted.append(f"{table} {key}: row is missing")
    code, output = verify(victim)
    assert code == 1
    for line in deleted:
        assert line in output, f"{line!r} not in {output}"


def test_an_inserted_admin_with_a_known_token_is_named(victim):
    sql(victim, "INSERT INTO users (id, name, role, token_hash, token_prefix, active, created_at) "
                "VALUES ('u-evil', 'evil', 'admin', 'x', 'truce_ev', :t, :now)",
        t=True, now=datetime.now(UTC))
    code, output = verify(victim)
    assert code == 1
    assert "users u-evil: row has no ledger entry" in output, output


def test_a_role_raised_from_liaison_to_admin_is_named(victim):
    sql(victim, "UPDATE users SET role = 'admin' WHERE name = 'liaison-arm'")
    code, output = verify(victim)
    assert code == 1 and "role differs" in output, output


def _truncate_tail(url: str, keep: int) -> None:
    """Delete the newest entries and every row they wrote, then make the
    ledger self-consistent again (head reset, tree rebuilt)."""
    if url.startswith("sqlite"):  # the attacker first drops what keeps key history append-only
        sql(url, "DROP TRIGGER user_keys_no_delete")
    else:
        sql(url, "DROP TRIGGER user_keys_append_only ON user_keys")
    engine = make_engine(url)
    with engine.begin() as c:
        for (content,) in c.execute(text("SELECT content FROM ledger WHERE seq > :k AND action = 'row.insert' "
                                         "ORDER BY seq DESC"), {"k": keep}).all():  # children before parents
            content = content if isinstance(content, dict) else __import__("json").loads(content)
            table = RECORD_TABLES[content["table"]]
            where = " AND ".join(f'"{c.name}" = :p{i}' for i, c in enumerate(table.primary_key.columns))
            c.execute(text(f'DELETE FROM "{table.name}" WHERE {where}'),
                      {f"p{i}": v for i, v in enumerate(content["key"])})
        c.execute(text("DELETE FROM ledger WHERE seq > :k"), {"k": keep})
        c.execute(text("DELETE FROM ledger_nodes"))
        c.execute(text("UPDATE ledger_head SET seq = :k, entry_hash = (SELECT entry_hash FROM ledger WHERE seq = :k)"),
                  {"k": keep})
        ledger.rebuild_tree(c)
    engine.dispose()


def test_a_truncated_tail_with_the_head_reset_is_detected_against_an_earlier_checkpoint(victim, keys):
    earlier = checkpoint(victim, keys, "earlier")
    engine = make_engine(victim)
    with UnitOfWork(engine, actor="analyst") as uow:  # the entries the attacker will remove
        add_user(uow, "later-analyst", "analyst", datetime.now(UTC))
        uow.commit()
    with engine.connect() as c:
        size_before = ledger.head(c)[0]
    engine.dispose()
    # remove the new user and more: the tail back to before the earlier checkpoint
    _truncate_tail(victim, size_before - 10)
    assert verify(victim)[0] == 0  # consistent with itself...
    code, output = verify(victim, "--checkpoint", earlier, "--log-key", str(keys / "log.key.pub"))
    assert code == 1  # ...but not with what was published
    assert "entries were removed" in output, output


def _rewrite_history(url: str, table: str, key: str, column: str, value) -> None:
    """Change a row and its ledger image, recompute every hash forward and
    rebuild the tree: a ledger consistent with itself and with the table."""
    engine = make_engine(url)
    with engine.begin() as c:
        seq = c.execute(text("SELECT max(seq) FROM ledger WHERE record_id = :r"), {"r": f"{table}/{key}"}).scalar_one()
        rows = c.execute(ledger.ledger.select().where(ledger.ledger.c.seq >= seq).order_by(ledger.ledger.c.seq)
                         ).mappings().all()
        prev = rows[0]["prev_hash"]
        for row in rows:
            content = dict(row["content"])
            if row["seq"] == seq:
                content["row"] = {**content["row"], column: value}
            content_hash = sha256_hex(canonical_bytes(content))
            data = entry_bytes(ledger.entry_of(row["seq"], row["at"], row["actor"], row["action"],
                                               row["record_id"], content_hash, prev))
            c.execute(ledger.ledger.update().where(ledger.ledger.c.seq == row["seq"]).values(
                content=content, content_hash=content_hash, prev_hash=prev, entry_hash=sha256_hex(data)))
            prev = sha256_hex(data)
        c.execute(text("UPDATE ledger_head SET entry_hash = :h"), {"h": prev})
        c.execute(text("DELETE FROM ledger_nodes"))
        ledger.rebuild_tree(c)
        c.execute(text(f'UPDATE "{table}" SET "{column}" = :v WHERE id = :k'), {"v": value, "k": key})
    engine.dispose()


def test_a_full_rewrite_with_recomputed_hashes_is_detected_against_a_cosigned_checkpoint(victim, keys):
    cosigned = checkpoint(victim, keys, "cosigned", cosign=True)
    claim = first_key(victim, "claims")
    _rewrite_history(victim, "claims", claim, "stance", "denies")
    assert verify(victim)[0] == 0  # every hash recomputed: consistent with itself
    code, output = verify(victim, "--checkpoint", cosigned, "--log-key", str(keys / "log.key.pub"),
                          "--witness", str(keys / "arm.key.pub"))
    assert code == 1
    assert "history was rewritten" in output, output
    # the log key's holder can sign the rewritten tree, but no witness cosigned it
    resigned = checkpoint(victim, keys, "resigned")
    code, output = verify(victim, "--checkpoint", resigned, "--log-key", str(keys / "log.key.pub"),
                          "--witness", str(keys / "arm.key.pub"))
    assert code == 1 and "no signature by witness arm.example/k" in output, output
