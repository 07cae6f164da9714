"""The group commit stores many writes in one transaction, and each write's
ledger entries are those it would leave committed alone: its action entry,
then its row entries caused by it, under its own actor. A write that fails
leaves nothing and does not hurt the others."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from truce.domain.actors import Party
from truce.domain.exceptions import ValidationError
from truce.service.records import add_party_actor_source
from truce.store import causes, ledger, reconcile
from truce.store import tables as t
from truce.store.group_commit import GroupCommit
from truce.store.uow import UnitOfWork


def _party(party_id: str):
    def store(uow: UnitOfWork, _checked: object) -> str:
        add_party_actor_source(uow, Party(party_id, f"Party {party_id}"))
        return party_id
    return store


def _no_check(_uow: UnitOfWork) -> None:
    return None


def _refused_check(_uow: UnitOfWork) -> None:
    raise ValidationError("refused before the lock", field="body")


def _writes_then_refuses(uow: UnitOfWork, _checked: object) -> None:
    add_party_actor_source(uow, Party("P-half", "Half written"))
    raise ValidationError("refused after writing", field="body")


def _entries(engine):
    with engine.connect() as c:
        return c.execute(select(t.ledger.c.seq, t.ledger.c.action, t.ledger.c.record_id, t.ledger.c.actor,
                                t.ledger.c.cause).order_by(t.ledger.c.seq)).all()


def _check_ledger(engine) -> None:
    with engine.connect() as c:
        assert ledger.verify(c).ok
        assert list(reconcile.reconcile(c)) == []
        assert list(causes.unexplained(c)) == []


def test_one_batch_ledgers_each_write_as_if_alone_and_a_failing_write_leaves_nothing(engine):
    writer = GroupCommit(engine, lock_timeout_s=5)
    before = len(_entries(engine))
    futures = {
        "A": writer.submit("alice", _no_check, _party("A")),
        "refused": writer.submit("mallory", _refused_check, _party("never")),
        "B": writer.submit("bob", _no_check, _party("B")),
        "half": writer.submit("mallory", _no_check, _writes_then_refuses),
        "A again": writer.submit("mallory", _no_check, _party("A")),  # the same key: refused by the database
        "C": writer.submit("carol", _no_check, _party("C")),
    }
    writer.start()  # the writes queued before it are one batch
    try:
        assert [futures[k].result(timeout=30) for k in ("A", "B", "C")] == ["A", "B", "C"]
        for name, kind in (("refused", ValidationError), ("half", ValidationError), ("A again", IntegrityError)):
            error = futures[name].exception(timeout=30)
            assert isinstance(error, kind), (name, error)
    finally:
        writer.stop()
    assert (writer.batches, writer.largest) == (1, 3)
    with engine.connect() as c:
        parties = set(c.execute(select(t.parties.c.id)).scalars())
    assert parties == {"A", "B", "C"}
    new = _entries(engine)[before:]
    assert [(e.action, e.record_id, e.actor) for e in new] == [
        ("party.add", "A", "alice"), ("row.insert", "parties/A", "alice"),
        ("party.add", "B", "bob"), ("row.insert", "parties/B", "bob"),
        ("party.add", "C", "carol"), ("row.insert", "parties/C", "carol"),
    ]
    for action, row in zip(new[::2], new[1::2], strict=True):
        assert row.cause == action.seq
    _check_ledger(engine)


def test_a_batch_whose_commit_fails_is_stored_one_write_at_a_time(engine, monkeypatch):
    writer = GroupCommit(engine, lock_timeout_s=5)
    futures = [writer.submit(f"actor-{n}", _no_check, _party(f"Q{n}")) for n in range(4)]
    real_commit = UnitOfWork.commit
    failed = []

    def commit_failing_once(self: UnitOfWork) -> None:
        if not failed:
            failed.append(True)
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        real_commit(self)

    monkeypatch.setattr(UnitOfWork, "commit", commit_failing_once)
    writer.start()
    try:
        assert [f.result(timeout=30) for f in futures] == ["Q0", "Q1", "Q2", "Q3"]
    finally:
        writer.stop()
    assert failed and writer.writes == 4
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(t.parties)
                         .where(t.parties.c.id.like("Q%"))).scalar_one() == 4
    _check_ledger(engine)
