"""The look-ups and the report insert sent straight to SQLite's driver give
what SQLAlchemy gives: the same rows, and the same row entry in the ledger."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from truce.domain.actors import Source, SourceKind
from truce.domain.incidents import Report
from truce.service.records import add_party_actor_source
from truce.store import keys, ledger, reconcile, users
from truce.store import tables as t
from truce.store.engine import holds_write_lock
from truce.store.uow import UnitOfWork

NOW = datetime(2020, 10, 14, 9, 30, tzinfo=UTC)


def _report(n: int) -> Report:
    return Report(id=f"rep-direct-{n}", source="s-direct", received=NOW, summary="Two impacts seen.",
                  observed_at=NOW - timedelta(minutes=5), latitude=40.3, longitude=46.9, observer="usr-x",
                  kind="incident", payload={"report": {"count": 2, "ok": True, "note": "é"}, "estimates": []})


def _row_entries(engine) -> list[dict]:
    with engine.connect() as c:
        rows = c.execute(select(t.ledger.c.action, t.ledger.c.record_id, t.ledger.c.content, t.ledger.c.actor)
                         .where(t.ledger.c.action == "row.insert", t.ledger.c.record_id.like("reports/%"))
                         .order_by(t.ledger.c.seq)).all()
    return [{"record": r.record_id, "content": r.content, "actor": r.actor} for r in rows]


def test_report_inserted_through_the_driver_is_ledgered_as_through_sqlalchemy(sqlite_engine):
    engine = sqlite_engine
    with UnitOfWork(engine, actor="seed") as uow:
        add_party_actor_source(uow, Source("s-direct", "Direct", SourceKind.OBSERVER, published=NOW))
        uow.commit()
    for n, hold in ((0, False), (1, True)):  # n=0: SQLAlchemy's path (no lock held yet); n=1: the driver's
        with UnitOfWork(engine, actor="obs-direct") as uow:
            if hold:  # the lock held, as the group commit holds it: the driver's path
                uow.begin_write()
                assert holds_write_lock(uow.connection)
            else:  # the first write of the transaction goes through SQLAlchemy, which takes the lock
                assert not holds_write_lock(uow.connection)
            uow.reports.add(_report(n), content_hash="ab" * 32, signature="sig")
            uow.record("report.add", f"rep-direct-{n}", {"id": f"rep-direct-{n}"}, at=NOW)
            uow.commit()
    first, second = _row_entries(engine)
    as_first = json.loads(json.dumps(second).replace("rep-direct-1", "rep-direct-0"))
    assert as_first == first and first["content"]["row"]["payload"]["report"]["count"] == 2
    with engine.connect() as c:
        assert ledger.verify(c).ok
        assert list(reconcile.reconcile(c)) == []
        a = users._BY_PREFIX.first(c, {"prefix": "nope"})
        assert a is None
        stored = c.execute(select(t.reports).where(t.reports.c.id == "rep-direct-1")).mappings().one()
        assert stored["received"] == NOW and stored["payload"]["report"]["note"] == "é"


def test_key_look_up_through_the_driver_equals_sqlalchemys(sqlite_engine):
    from truce.service.signing import generate_key
    from truce.service.users import add_user

    with UnitOfWork(sqlite_engine, actor="seed") as uow:
        _private, public = generate_key()
        user, _token = add_user(uow, "direct-obs", "observer", NOW, token_key=b"k" * 32, public_key=public)
        uow.commit()
    with sqlite_engine.connect() as c:
        for at in (NOW - timedelta(days=1), NOW, NOW + timedelta(seconds=1), datetime.now(UTC)):
            direct = keys._AT.first(c, {"user": user.id, "at": at})
            usual = c.execute(keys._AT.statement, {"user": user.id, "at": at}).mappings().first()
            assert direct == (dict(usual) if usual else None)
        row = c.execute(select(t.users.c.token_prefix).where(t.users.c.id == user.id)).scalar_one()
        assert users._BY_PREFIX.first(c, {"prefix": row}) == dict(
            c.execute(users._BY_PREFIX.statement, {"prefix": row}).mappings().one())
