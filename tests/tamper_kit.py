"""An attacker's kit for the ledger tests: the victim (the demo theatre plus
users), plain SQL as from a database console, and `truce` commands run in
process. The fixtures that build victims are in tests/ledger/conftest.py."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from typer.testing import CliRunner

from truce.cli import app
from truce.domain.canonical import canonical_bytes, sha256_hex
from truce.domain.exceptions import TruceError
from truce.service.signing import generate_key
from truce.service.tasks import close_task, create_task, link_report
from truce.service.users import add_user
from truce.store import ledger
from truce.store.engine import make_engine
from truce.store.row_ledger import RECORD_TABLES
from truce.store.uow import UnitOfWork
from truce.verifier import entry_bytes

runner = CliRunner()
copies = itertools.count()


def run(*args: str):
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, TruceError):
        return 1, result.output + str(result.exception)
    return result.exit_code, result.output


def load_victim(url: str, keys) -> None:
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
    _task_observers(engine)
    engine.dispose()


def _task_observers(engine) -> None:
    """Two tasks, the first answered by a report of the theatre and closed: rows
    in tasks and task_reports, written as truce writes them."""
    now = datetime.now(UTC)
    window = {"window_start": now - timedelta(days=2), "window_end": now + timedelta(days=2), "now": now}
    with UnitOfWork(engine, actor="analyst") as uow:
        answered = create_task(uow, title="Check the shelling at Martuni", look_for="craters, damage",
                               place_name="Martuni", latitude=39.79, longitude=47.11, radius_m=2000,
                               created_by="analyst", **window)
        create_task(uow, title="Stepanakert market", look_for="is it open", created_by="analyst", **window)
        report = uow.connection.execute(text("SELECT id FROM reports ORDER BY id DESC LIMIT 1")).scalar_one()
        link_report(uow, answered.id, report, now)
        uow.commit()
    with UnitOfWork(engine, actor="analyst") as uow:
        close_task(uow, answered.id, now)


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
    path = keys.parent / f"{name}-{next(copies)}.txt"
    code, output = run("ledger", "checkpoint", "--db", url, "--key", str(keys / "log.key"), "-o", str(path))
    assert code == 0, output
    if cosign:
        code, output = run("ledger", "cosign", str(path), "--key", str(keys / "arm.key"),
                           "--log-key", str(keys / "log.key.pub"), "--db", url, "-o", str(path))
        assert code == 0, output
    return str(path)


def rewrite_history(url: str, table: str, key: str, column: str, value) -> None:
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
