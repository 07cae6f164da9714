"""Nobody speaks as someone else, on SQLite and PostgreSQL: a key swap and a
role change by one admin, made through truce (refused, nothing changed) and
around it (plain SQL, or truce's own code without the second admin):
`truce ledger verify` detects and names each. Old reports keep verifying
against the key valid when they were received."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text

from approval_store import run
from truce.domain.exceptions import Conflict, PermissionDenied, ValidationError
from truce.service import enrolment, keys
from truce.service.key_audit import report_signature
from truce.service.observer_reports import submit_observer_report
from truce.service.report_format import ObserverReport
from truce.service.signing import public_key_text, sign
from truce.service.users import Principal, Role, add_user
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.keys import KeyRepository
from truce.store.uow import UnitOfWork
from truce.store.users import UserRepository

NOW = datetime.now(UTC)


class Victim:
    """A mission database: admins a1 and a2 (with tokens), observer obs-1
    signing with ``key1`` (one report filed), analyst an-1."""

    def __init__(self, url: str, tmp_path):
        self.url, self.tmp = url, tmp_path
        code, output = run("init", "--db", url)
        assert code == 0, output
        self.engine = make_engine(url)
        self.key1 = Ed25519PrivateKey.generate()
        self.evil = Ed25519PrivateKey.generate()
        self.tokens = {}
        with UnitOfWork(self.engine, actor="setup") as uow:
            for name in ("a1", "a2"):
                _user, self.tokens[name] = add_user(uow, name, "admin", NOW - timedelta(days=2))
            self.obs, _ = add_user(uow, "obs-1", "observer", NOW - timedelta(days=1),
                                   public_key=public_key_text(self.key1))
            add_user(uow, "an-1", "analyst", NOW - timedelta(days=1))
            uow.commit()
        self.report_id = self.file_report(self.key1, NOW - timedelta(hours=1))

    def principal(self, name: str) -> Principal:
        with self.engine.connect() as c:
            u = UserRepository(c).get(name)
        return Principal(id=u.id, name=u.name, role=Role(u.role), party=u.party, public_key=u.public_key)

    def file_report(self, key: Ed25519PrivateKey, at: datetime) -> str:
        body = {"id": str(uuid.uuid4()), "kind": "situation", "summary": "Calm; no firing heard.",
                "observed_at": (at - timedelta(minutes=5)).isoformat(timespec="seconds"),
                "position": {"latitude": 40.20, "longitude": 46.80, "accuracy_m": 12}}
        signed = sign(body, key)
        with UnitOfWork(self.engine, actor="obs-1") as uow:
            submit_observer_report(uow, self.principal("obs-1"), signed, ObserverReport.model_validate(signed), at)
            uow.commit()
        return body["id"]

    def sql(self, statement: str, **params) -> None:
        with self.engine.begin() as c:
            c.execute(text(statement), params)

    def history(self) -> list:
        with self.engine.connect() as c:
            return KeyRepository(c).history(self.obs.id)

    def role(self, name: str) -> str:
        with self.engine.connect() as c:
            return UserRepository(c).get(name).role

    def verify(self) -> tuple[int, str]:
        return run("ledger", "verify", "--db", self.url)

    def keyfile(self, key: Ed25519PrivateKey, name: str) -> str:
        path = self.tmp / f"{name}.pub"
        path.write_text(public_key_text(key))
        return str(path)


@pytest.fixture
def victim(db_url, tmp_path):
    v = Victim(db_url, tmp_path)
    yield v
    v.engine.dispose()


# -- a key swap by one admin --

def test_one_admin_cannot_replace_a_key_through_truce_and_nothing_changes(victim):
    before = victim.history()
    evil = victim.keyfile(victim.evil, "evil")
    code, output = run("users", "key", "obs-1", "--public-key", evil, "--token", victim.tokens["a1"],
                       "--db", victim.url)
    assert code == 1 and "one admin cannot replace a key" in output
    code, output = run("users", "rekey", "obs-1", "--public-key", evil, "--reason", "lost phone",
                       "--token", victim.tokens["a1"], "--db", victim.url)
    assert code == 0, output
    change = output.split("proposed ")[1].split(":")[0]
    code, output = run("users", "approve", change, "--token", victim.tokens["a1"], "--db", victim.url)
    assert code == 1 and "a second, different admin must approve it" in output
    code, output = run("users", "approve", change, "--db", victim.url)  # no token: no admin
    assert code == 1 and "the token of an admin" in output
    assert victim.history() == before
    assert victim.verify()[0] == 0


def test_one_admin_cannot_re_enrol_a_device_after_revoking_it(victim):
    a1 = victim.principal("a1")
    with UnitOfWork(victim.engine, actor="a1") as uow:
        enrolment.revoke_device(uow, "obs-1", NOW, by=a1)
        _user, code, _exp = enrolment.create_enrolment(uow, "obs-1", NOW, by=a1)
        change = enrolment.pending_enrolment(uow, victim.obs.id)
        uow.commit()
    with UnitOfWork(victim.engine) as uow, pytest.raises(ValidationError, match="waits for a second admin"):
        enrolment.enrol_device(uow, code, public_key_text(victim.evil), NOW)
    with UnitOfWork(victim.engine) as uow, pytest.raises(PermissionDenied, match="needs an admin's token"):
        enrolment.create_enrolment(uow, "obs-1", NOW)  # no admin named: refused
    with UnitOfWork(victim.engine) as uow, pytest.raises(PermissionDenied):
        keys.approve(uow, change.id, a1, NOW)
    assert [k.valid_until is not None for k in victim.history()] == [True]  # revoked, nothing added
    with UnitOfWork(victim.engine, actor="a2") as uow:  # with a second admin it works
        keys.approve(uow, change.id, victim.principal("a2"), NOW)
        enrolment.enrol_device(uow, code, public_key_text(victim.evil), NOW + timedelta(seconds=1))
        uow.commit()
    assert len(victim.history()) == 2
    code, output = victim.verify()
    assert code == 0, output


def test_a_key_request_not_signed_by_the_current_key_is_refused(victim):
    request = keys.key_request("obs-1", public_key_text(victim.key1), public_key_text(victim.evil), "new phone")
    with UnitOfWork(victim.engine) as uow, pytest.raises(ValidationError, match="does not verify"):
        keys.replace_key_signed(uow, victim.principal("obs-1"), sign(request, victim.evil), NOW)
    with UnitOfWork(victim.engine) as uow, pytest.raises(ValidationError, match="your own key"):
        keys.replace_key_signed(uow, victim.principal("a1"), sign(request, victim.key1), NOW)
    assert len(victim.history()) == 1
    with UnitOfWork(victim.engine, actor="obs-1") as uow:  # signed by the current key: replaced
        keys.replace_key_signed(uow, victim.principal("obs-1"), sign(request, victim.key1), NOW)
        uow.commit()
    with UnitOfWork(victim.engine) as uow, pytest.raises(ValidationError, match="not your current one"):
        keys.replace_key_signed(uow, victim.principal("obs-1"), sign(request, victim.key1), NOW)  # replayed
    assert victim.verify()[0] == 0


def test_a_key_swapped_in_the_users_table_is_named(victim):
    victim.sql("UPDATE users SET public_key = :k WHERE name = 'obs-1'", k=public_key_text(victim.evil))
    code, output = victim.verify()
    assert code == 1
    assert f"users {victim.obs.id}: public_key differs from ledger entry" in output, output
    assert "identity: users obs-1: public_key is not the open key of its key history" in output, output


def test_a_key_row_cannot_be_rewritten_and_a_rewrite_around_the_trigger_is_named(victim):
    key_id = victim.history()[0].id
    with pytest.raises(Exception, match="append-only"):
        victim.sql("UPDATE user_keys SET public_key = :k WHERE id = :i", k=public_key_text(victim.evil), i=key_id)
    with pytest.raises(Exception, match="append-only"):
        victim.sql("DELETE FROM user_keys WHERE id = :i", i=key_id)
    if victim.url.startswith("sqlite"):
        victim.sql("DROP TRIGGER user_keys_only_close")
    else:
        victim.sql("DROP TRIGGER user_keys_append_only ON user_keys")
    victim.sql("UPDATE user_keys SET public_key = :k WHERE id = :i", k=public_key_text(victim.evil), i=key_id)
    code, output = victim.verify()
    assert code == 1
    assert f"user_keys {key_id}: public_key differs from ledger entry" in output, output
    assert f"identity: reports {victim.report_id}: signature does not verify" in output, output


def test_a_key_inserted_with_sql_is_named(victim):
    old = victim.history()[0]
    victim.sql("UPDATE user_keys SET valid_until = :t WHERE id = :i", t=NOW, i=old.id)
    victim.sql("INSERT INTO user_keys (id, user_id, public_key, valid_from, added_by, reason) "
               "VALUES ('key-evil', :u, :k, :t, 'a1', 'lost phone')",
               u=victim.obs.id, k=public_key_text(victim.evil), t=NOW)
    code, output = victim.verify()
    assert code == 1
    assert "user_keys key-evil: row has no ledger entry" in output, output
    assert "identity: user_keys key-evil: key replaced by one admin" in output, output


def test_a_key_swapped_by_one_admin_through_truces_own_code_is_named(victim):
    """Ledgered writes, every row reconciled: the missing second admin is what gives it away."""
    with UnitOfWork(victim.engine, actor="a1") as uow:
        user = UserRepository(uow.connection).get("obs-1")
        added = keys.replace_key(uow, user, public_key_text(victim.evil), NOW, by="a1", reason="lost phone",
                                 change_id=None)
        uow.commit()
    victim.file_report(victim.evil, NOW + timedelta(minutes=1))  # now "obs-1" can be spoken for...
    code, output = victim.verify()
    assert code == 1
    assert "every record row matches" not in output and "rows differ" not in output  # consistent with the ledger
    assert (f"identity: user_keys {added.id}: key replaced by one admin: no second admin approved it "
            "and the key before did not sign it (obs-1)") in output, output


# -- a role change by one admin --

def test_one_admin_cannot_change_a_role_through_truce_and_nothing_changes(victim):
    code, output = run("users", "role", "an-1", "admin", "--reason", "helps at HQ",
                       "--token", victim.tokens["a1"], "--db", victim.url)
    assert code == 0 and "another admin approves" in output, output
    assert victim.role("an-1") == "analyst"
    change = output.split("proposed ")[1].split(":")[0]
    code, output = run("users", "approve", change, "--token", victim.tokens["a1"], "--db", victim.url)
    assert code == 1 and "a second, different admin" in output
    with UnitOfWork(victim.engine) as uow, pytest.raises(PermissionDenied, match="needs an admin"):
        keys.approve(uow, change, victim.principal("an-1"), NOW)  # the analyst approving their own rise
    with UnitOfWork(victim.engine) as uow, pytest.raises(Conflict, match="still waiting"):
        keys.propose_role(uow, "an-1", "observer", None, victim.principal("a2"), "x", NOW)
    assert victim.role("an-1") == "analyst"
    assert victim.verify()[0] == 0
    code, output = run("users", "approve", change, "--token", victim.tokens["a2"], "--db", victim.url)
    assert code == 0, output
    assert victim.role("an-1") == "admin"
    code, output = victim.verify()
    assert code == 0, output


def test_a_role_changed_with_sql_is_named(victim):
    victim.sql("UPDATE users SET role = 'admin' WHERE name = 'an-1'")
    code, output = victim.verify()
    assert code == 1 and "role differs from ledger entry" in output, output


def test_a_role_changed_by_one_admin_through_truces_own_code_is_named(victim):
    with UnitOfWork(victim.engine, actor="a1") as uow:
        repo = UserRepository(uow.connection)
        repo.update(repo.get("an-1").id, role="admin")
        uow.commit()
    code, output = victim.verify()
    assert code == 1
    assert "identity: users an-1: role changed by one admin: analyst to admin" in output, output


# -- old reports keep verifying --

def test_reports_verify_against_the_key_valid_when_received_after_replacement_and_revocation(victim):
    key2 = Ed25519PrivateKey.generate()
    with UnitOfWork(victim.engine, actor="a1") as uow:
        change = keys.propose_key(uow, "obs-1", public_key_text(key2), victim.principal("a1"), "new phone", NOW)
        uow.commit()
    with UnitOfWork(victim.engine, actor="a2") as uow:
        keys.approve(uow, change.id, victim.principal("a2"), NOW)
        uow.commit()
    later = victim.file_report(key2, NOW + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="signature does not verify"):
        victim.file_report(victim.key1, NOW + timedelta(minutes=2))  # the old key is no longer valid
    with UnitOfWork(victim.engine, actor="a1") as uow:
        enrolment.revoke_device(uow, "obs-1", NOW + timedelta(minutes=3), by=victim.principal("a1"))
        uow.commit()
    with victim.engine.connect() as c:
        for report_id, key in ((victim.report_id, victim.key1), (later, key2)):
            row = c.execute(select(t.reports).where(t.reports.c.id == report_id)).mappings().one()
            found = report_signature(c, row["observer_id"], row["received"], row["payload"], row["signature"])
            assert found is not None and found.public_key == public_key_text(key)
    assert [k.end_reason for k in victim.history()] == [f"replaced ({change.id})", "device revoked"]
    code, output = victim.verify()
    assert code == 0, output


def test_a_key_schema_0010_rebuilt_from_the_ledger_is_accepted_as_it_was(victim):
    """Schema 0010 rebuilt key history from old ledger entries, with no change behind each key."""
    with UnitOfWork(victim.engine, actor="schema 0010") as uow:
        old = KeyRepository(uow.connection).history(victim.obs.id)[0]
        uow.keys.close(old.id, NOW, ended_by="schema 0010", reason="replaced")
        uow.keys.add(victim.obs.id, public_key_text(victim.evil), NOW, added_by="schema 0010",
                     reason="from ledger entry user.key")
        UserRepository(uow.connection).update(victim.obs.id, public_key=public_key_text(victim.evil))
        uow.record("schema.rows", "schema/schema 0010", {"tables": ["user_keys"]})
        uow.commit()
    code, output = victim.verify()
    assert "key replaced by one admin" not in output, output
