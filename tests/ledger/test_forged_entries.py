"""A correctly hashed entry appended after the last checkpoint, on SQLite and
PostgreSQL: the attacker holds the database and the token key, inserts an
admin and appends the row's ledger entry (hashes, Merkle nodes and frontier
all rebuilt, as `store.ledger.append` does). No action entry explains it:
`truce ledger verify` names it, and says which entries no witness covers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from tamper_kit import checkpoint, sql, verify
from truce.service.users import add_user
from truce.store import causes, ledger
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.row_ledger import record_id, row_content, row_image
from truce.store.uow import UnitOfWork


def _forge_admin(url: str) -> int:
    """Insert user u-evil (admin) and append its row entry, correctly hashed; its seq."""
    sql(url, "INSERT INTO users (id, name, role, token_hash, token_prefix, active, created_at) "
             "VALUES ('u-evil', 'evil', 'admin', 'x', 'truce_ev', :t, :now)", t=True, now=datetime.now(UTC))
    engine = make_engine(url)
    with engine.begin() as c:
        row = c.execute(select(t.users).where(t.users.c.id == "u-evil")).mappings().one()
        content = row_content(t.users, ("u-evil",), row_image(t.users, row))
        seq, _hash = ledger.append(c, "row.insert", record_id(t.users, ("u-evil",)), content, actor="admin-1")
    engine.dispose()
    return seq


def _head(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as c:
        seq = ledger.head(c)[0]
    engine.dispose()
    return seq


def test_a_forged_admin_appended_with_its_row_entry_is_named(victim, keys):
    checkpoint(victim, keys, "before", cosign=True)
    covered = _head(victim)
    seq = _forge_admin(victim)
    code, output = verify(victim)
    assert code == 1, output
    assert f"users u-evil: ledger entry {seq} (row.insert) has no action entry beside it" in output, output
    assert "row has no ledger entry" not in output  # the row itself matches its forged entry
    assert f"warning: entries {covered + 1}..{seq} (1) are not covered by a cosigned checkpoint" in output, output


def test_verify_names_the_entries_no_cosigned_checkpoint_covers(victim, keys):
    code, output = verify(victim)
    assert code == 0, output
    assert f"warning: entries 1..{_head(victim)} " in output and "no checkpoint has been cosigned" in output
    checkpoint(victim, keys, "first", cosign=True)
    size = _head(victim)
    engine = make_engine(victim)
    with UnitOfWork(engine, actor="admin-1") as uow:
        add_user(uow, "an-later", "analyst", datetime.now(UTC))
        uow.commit()
    engine.dispose()
    code, output = verify(victim)
    assert code == 0, output
    assert f"warning: entries {size + 1}..{_head(victim)} " in output, output
    assert f"the newest cosigned checkpoint covers {size}, cosigned by arm.example/k" in output
    # the stored cosignature vouches for the keys before it although the tail is not covered: say whose keys
    assert "(witness keys as stored in the database: pin them with --witness)" in output, output
    checkpoint(victim, keys, "second", cosign=True)
    code, output = verify(victim)
    assert code == 0 and "warning" not in output and "every entry is covered by a cosigned checkpoint" in output


def test_entries_written_before_the_link_existed_are_linked_by_the_upgrade(victim):
    engine = make_engine(victim)
    with engine.begin() as c:
        c.execute(text("UPDATE ledger SET cause = NULL"))
        assert len(list(causes.unexplained(c))) > 0
        causes.backfill(c, actor="schema 0012")  # the row entries (schema 0012)
        causes.link_actions(c)  # and the action entries (schema 0013)
    with engine.connect() as c:
        assert list(causes.unexplained(c)) == []
    engine.dispose()
    assert verify(victim)[0] == 0


def _action_only(url: str, n: int) -> list[int]:
    """``n`` transactions of one action entry each (webhook delivery attempts, as the server's loop
    writes them); their sequence numbers."""
    engine = make_engine(url)
    for attempt in range(n):
        with UnitOfWork(engine, actor="webhook-delivery") as uow:
            uow.record("webhook.attempt", "1", {"alert": "al-x", "webhook": "wh-x", "attempt": attempt + 1,
                                                "error": "HTTP 500"})
            uow.commit()
    with engine.connect() as c:
        seqs = c.execute(select(t.ledger.c.seq).order_by(t.ledger.c.seq.desc()).limit(n)).scalars().all()
    engine.dispose()
    return sorted(seqs)


def test_a_row_entry_pointing_at_an_older_transactions_action_is_named_with_its_right_cause(victim):
    """The forged row follows action entries of two transactions and names the
    older one's as its cause: it sits in no transaction of that action."""
    older, newer = _action_only(victim, 2)
    seq = _forge_admin(victim)
    sql(victim, "UPDATE ledger SET cause = :c WHERE seq = :s", c=older, s=seq)
    code, output = verify(victim)
    assert code == 1, output
    assert (f"users u-evil: ledger entry {seq} (row.insert) names entry {older} as its cause, but it follows the "
            f"transaction that begins at entry {newer}: its cause should be {newer}") in output, output


def test_a_row_entry_after_another_transactions_rows_pointing_at_an_older_action_is_named(victim):
    engine = make_engine(victim)
    with engine.connect() as c:
        last_cause = c.execute(select(t.ledger.c.cause).order_by(t.ledger.c.seq.desc()).limit(1)).scalar_one()
    engine.dispose()
    seq = _forge_admin(victim)
    sql(victim, "UPDATE ledger SET cause = 1 WHERE seq = :s", s=seq)
    code, output = verify(victim)
    assert code == 1, output
    assert (f"ledger entry {seq} (row.insert) names entry 1 as its cause, but it follows the transaction that "
            f"begins at entry {last_cause}: its cause should be {last_cause}") in output, output


def test_rows_beside_the_action_of_their_own_transaction_pass_after_action_only_transactions(victim):
    _action_only(victim, 2)
    engine = make_engine(victim)
    with UnitOfWork(engine, actor="admin-1") as uow:
        add_user(uow, "an-later", "analyst", datetime.now(UTC))
        uow.commit()
    engine.dispose()
    assert verify(victim)[0] == 0


def test_an_action_entry_with_a_name_truce_never_writes_is_named(victim):
    engine = make_engine(victim)
    with engine.begin() as c:  # correctly hashed, in the tree: only its name gives it away
        seq, _hash = ledger.append(c, "user.promote", "usr-x", {"name": "liaison-arm", "role": "admin"},
                                   actor="admin-1")
    engine.dispose()
    code, output = verify(victim)
    assert code == 1, output
    assert (f"forged: ledger entry {seq} (user.promote, usr-x): an action truce never writes") in output, output
    assert "1 entries with an action truce never writes" in output, output


def test_every_action_truce_writes_is_read_from_where_it_is_written():
    from truce.store.actions import known_actions, written_names

    known = known_actions()
    assert known.unresolved == (), f"write sites whose action is not a string, constant or f-string: {known.unresolved}"
    assert {"user.add", "user.change.approve", "day.manifest", "proposal.accept", "ledger.causes", "schema.rows",
            "row.insert"} <= known.names
    assert "import.acled" in known and "user.promote" not in known
    source = 'def f(uow, kind):\n    uow.record(kind + "x", "r", {})\n'
    assert list(written_names(source, "m.py")) == [("unresolved", "m.py:2")]


def test_failed_webhook_retries_do_not_keep_the_not_covered_warning_alive(victim, keys):
    """A server retrying a failing receiver appends a delivery attempt every
    few seconds; they change no record, so once a witness cosigned the
    record the warning clears and the ok line counts them apart."""
    from datetime import timedelta

    import httpx

    from truce.service import webhooks

    engine = make_engine(victim)
    now = datetime.now(UTC)
    with engine.connect() as c:
        alert = c.execute(select(t.alerts.c.id).order_by(t.alerts.c.id).limit(1)).scalar_one()
    with UnitOfWork(engine, actor="admin-1") as uow:
        webhooks.add_webhook(uow, "https://receiver.example/hook", "s" * 20, now)
        webhooks.enqueue_alert(uow, alert, now)
        uow.commit()
    checkpoint(victim, keys, "before-retries", cosign=True)
    failing = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(500)))
    for minute in range(3):
        with UnitOfWork(engine, actor="webhook-delivery") as uow:
            assert webhooks.deliver_pending(uow, now + timedelta(minutes=10 * minute), client=failing).retrying == 1
    code, output = verify(victim)
    assert code == 0 and "warning" not in output, output
    assert "every entry that changes the record is covered by a cosigned checkpoint (3 webhook delivery " \
           "attempts after it, which change no record, are not counted)" in " ".join(output.split()), output
    with UnitOfWork(engine, actor="admin-1") as uow:
        add_user(uow, "an-later", "analyst", datetime.now(UTC))
        uow.commit()
    engine.dispose()
    first = _head(victim) - 1  # user.add and its row
    code, output = verify(victim)
    assert code == 0, output
    assert f"warning: entries {first}..{first + 1} (2) are not covered by a cosigned checkpoint" in output, output
