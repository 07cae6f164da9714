"""An admin's first key takes a second admin once an admin signs approvals,
on SQLite and PostgreSQL: `truce users key` proposes it and another admin
approves it with a signed approval; a first key forged with database write
alone (its row and entries written through truce's own code, every hash
recomputed) is refused by truce and named by `truce ledger verify`, before
and after a witness cosigned past it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from approval_store import (
    NOW,
    approval_signature,
    approve_around_truce,
    forge_first_key,
    key_files,
    register_key,
    register_key_approved_by,
    role_change,
    run,
)
from truce.domain.exceptions import PermissionDenied
from truce.service import keys as key_changes
from truce.store.keys import KeyRepository
from truce.store.uow import UnitOfWork
from truce.store.users import UserRepository


def _history(store, name: str) -> list:
    with store.engine.connect() as c:
        return KeyRepository(c).history(UserRepository(c).get(name).id)


def _signing_a1(store, tmp_path, keys) -> str:
    """a1 registers a key (bootstrap: no admin signs yet, one act) and a witness covers it; a1's key file."""
    from tamper_kit import checkpoint

    a1_key, a1_pub = key_files(tmp_path, "a1")
    register_key(store, "a1", a1_pub)
    checkpoint(store.url, keys, "a1", cosign=True)
    return a1_key


def test_an_admins_first_key_is_proposed_once_another_admin_signs_and_approved_with_a_signature(
        store, tmp_path, keys):
    from tamper_kit import checkpoint

    a1_key = _signing_a1(store, tmp_path, keys)
    a2_key, a2_pub = key_files(tmp_path, "a2")
    code, output = run("users", "key", "a2", "--public-key", a2_pub, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0 and "proposed chg-" in output, output
    change = output.split("proposed ")[1].split(":")[0]
    assert _history(store, "a2") == []  # nothing registered until a second admin approves
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 1 and "a second, different admin must approve it" in output, output
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "a1 has a signing key" in output, output
    assert _history(store, "a2") == []
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--key", a1_key, "--db", store.url)
    assert code == 0 and "approved" in output, output
    [key] = _history(store, "a2")
    assert key.change_id == change and key.added_by == "a2"
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output
    checkpoint(store.url, keys, "a2", cosign=True)  # a2's key signs approvals once covered
    role = role_change(store)
    code, output = run("users", "approve", role, "--token", store.tokens["a2"], "--key", a2_key, "--db", store.url)
    assert code == 0 and "approved" in output, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_a_forged_first_admin_key_is_named_and_refused_before_and_after_a_witness_cosigns_past_it(
        store, tmp_path, keys):
    """The gap: a1 signs approvals; database write alone writes a first key
    "registered by a2" and leaves it until a witness cosigns past it. truce
    refuses approvals signed with it, and verify names the key (ledger order),
    then the approval forged with it too."""
    from tamper_kit import checkpoint

    _signing_a1(store, tmp_path, keys)
    private, key_id = forge_first_key(store, "a2")
    with store.engine.connect() as c:
        from truce.store.ledger_reads import LedgerRepository

        entry = LedgerRepository(c).first_row_entry(f"user_keys/{key_id}")
    named = (f"identity: user_keys {key_id}: a2's first key, registered at ledger entry {entry} by one admin "
             "while a1 signed approvals with key")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output and "truce users rekey a2" in output, output
    change = role_change(store)
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 1 and "does not sign approvals" in output, output
    checkpoint(store.url, keys, "past-the-key", cosign=True)
    signature = approval_signature(store, change, "a2", private)
    with UnitOfWork(store.engine, actor="a2") as uow, pytest.raises(PermissionDenied, match="does not sign approvals"):
        key_changes.approve(uow, change, store.principal("a2"), NOW + timedelta(minutes=1), signature=signature)
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output, output
    approve_around_truce(store, change, actor="a2", signed={"key": key_id, "signature": signature})
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output, output
    assert f"identity: user_changes {change}: approved by a2 at ledger entry" in output, output
    assert f"signed with key {key_id} registered at ledger entry {entry} by one admin" in output, output


def test_a_first_admin_key_naming_an_approved_change_with_no_approval_entry_is_named(store, tmp_path, keys):
    """The forger writes the change row as approved by a1 (no approval entry,
    so no signature to check) and the key naming it: verify names the key."""
    _signing_a1(store, tmp_path, keys)
    from truce.service.signing import generate_key

    _private, public = generate_key()
    with UnitOfWork(store.engine, actor="a2") as uow:
        a2 = uow.users.get("a2")
        change = uow.user_changes.add(a2.id, "key", reason="my key", proposed_by="a2", at=NOW, status="pending",
                                      public_key=public)
        uow.user_changes.decide(change.id, "approved", "a1", NOW)
        added = key_changes.replace_key(uow, a2, public, NOW, by="a2", reason="my key", change_id=change.id)
        uow.commit()
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert (f"identity: user_keys {added.id}: a2's key registered at ledger entry" in output
            and f"names change {change.id}, approved by a1, but no approval entry of it comes before the key"
            in output), output


def test_the_first_admin_key_of_a_store_where_no_admin_signs_is_one_act(store, tmp_path):
    _a1_key, a1_pub = key_files(tmp_path, "a1")
    code, output = run("users", "key", "a1", "--public-key", a1_pub, "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0 and "now signs with key" in output, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output



def test_a_user_made_admin_signs_only_with_a_key_two_admins_let_in(store, tmp_path, keys):
    """an-1's key was registered by one admin while an analyst; made admin by
    two, an-1 cannot sign approvals with it: truce refuses and verify names
    the key. A key an-1 proposes and a1 approves signed then works."""
    from tamper_kit import checkpoint

    a1_key = _signing_a1(store, tmp_path, keys)
    a2_key, a2_pub = key_files(tmp_path, "a2")
    register_key_approved_by(store, "a2", a2_pub, "a1", a1_key)
    an_key, an_pub = key_files(tmp_path, "an-1")
    code, output = run("users", "key", "an-1", "--public-key", an_pub, "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0 and "now signs with key" in output, output  # an analyst's key: one admin's act
    checkpoint(store.url, keys, "keys", cosign=True)
    promote = role_change(store)
    code, output = run("users", "approve", promote, "--token", store.tokens["a2"], "--key", a2_key, "--db", store.url)
    assert code == 0, output
    code, output = run("users", "token", "a2", "--reason", "lost laptop", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0, output
    token_change = output.split("proposed ")[1].split(":")[0]
    code, output = run("users", "approve", token_change, "--token", store.tokens["an-1"], "--key", an_key,
                       "--db", store.url)
    assert code == 1 and "does not sign approvals" in output, output
    [key] = _history(store, "an-1")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output  # nothing signed with it yet, and an analyst's key is one admin's act
    new_key, new_pub = key_files(tmp_path, "an-1-admin")
    code, output = run("users", "rekey", "an-1", "--public-key", new_pub, "--reason", "my key as an admin",
                       "--token", store.tokens["an-1"], "--db", store.url)
    assert code == 0, output
    rekey = output.split("proposed ")[1].split(":")[0].split()[0]
    code, output = run("users", "approve", rekey, "--token", store.tokens["a1"], "--key", a1_key, "--db", store.url)
    assert code == 0, output
    checkpoint(store.url, keys, "an-1", cosign=True)
    code, output = run("users", "approve", token_change, "--token", store.tokens["an-1"], "--key", new_key,
                       "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0 and key.id not in output, output


def test_a_forged_admin_key_replaced_before_it_signed_anything_is_no_longer_named(store, tmp_path, keys):
    """The remedy verify gives: a2 proposes a key in the forged one's place,
    a1 approves it signed; the forged key ended before it signed anything."""
    a1_key = _signing_a1(store, tmp_path, keys)
    _private, key_id = forge_first_key(store, "a2")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and f"identity: user_keys {key_id}: a2's first key" in output, output
    _a2_key, a2_pub = key_files(tmp_path, "a2")
    code, output = run("users", "rekey", "a2", "--public-key", a2_pub, "--reason", "a key I did not register",
                       "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output
    change = output.split("proposed ")[1].split(":")[0].split()[0]
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--key", a1_key, "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0 and key_id not in output, output
