"""Deactivating an admin who signs approvals, or revoking their key, takes a
second admin's signed approval, on SQLite and PostgreSQL: truce proposes it,
and one forged with database write alone (written through truce's own code,
every hash recomputed) to let unsigned approvals pass is named by
`truce ledger verify`; so is a role change whose approval entry is missing."""

from __future__ import annotations

from approval_store import (
    approve_around_truce,
    forge_deactivation,
    forge_revocation,
    key_files,
    register_key,
    role_change,
    run,
)
from truce.store.keys import KeyRepository
from truce.store.users import UserRepository


def _signing_a1(store, tmp_path, keys) -> str:
    """a1 registers a key (no admin signs yet: one act) and a witness covers it; a1's key file."""
    from tamper_kit import checkpoint

    a1_key, a1_pub = key_files(tmp_path, "a1")
    register_key(store, "a1", a1_pub)
    checkpoint(store.url, keys, "a1", cosign=True)
    return a1_key


def _third_admin(store) -> None:
    """a3, proposed by a1 and approved by a2 (no admin signs yet)."""
    from approval_store import token_of

    code, output = run("users", "add", "a3", "--role", "admin", "--reason", "a third admin", "--token",
                       store.tokens["a1"], "--db", store.url)
    assert code == 0, output
    store.tokens["a3"] = token_of(output)
    change = next(w for w in output.replace(":", " ").replace("(", " ").replace(")", " ").split()
                  if w.startswith("chg-"))
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output


def _open_key(store, name: str):
    with store.engine.connect() as c:
        return KeyRepository(c).open_key(UserRepository(c).get(name).id)


def _active(store, name: str) -> bool:
    with store.engine.connect() as c:
        return UserRepository(c).get(name).active


def test_a_forged_deactivation_of_the_only_signing_admin_is_named_and_lets_no_unsigned_approval_pass(
        store, tmp_path, keys):
    _signing_a1(store, tmp_path, keys)
    change = role_change(store)
    forge_deactivation(store, "a1")
    approve_around_truce(store, change, actor="a2")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert "identity: users a1: deactivated at ledger entry" in output, output
    assert "by one admin while a1 signed approvals with key key-" in output, output
    assert "leaving only a2 active: truce refuses a deactivation" in output, output
    # the forged deactivation is void for the rules after it: a1 still signs, so a2's unsigned approval is named
    assert (f"identity: user_changes {change}: approved by a2 at ledger entry" in output
            and "without a signature, while a1 signed approvals with key key-" in output), output


def test_a_forged_revocation_of_the_only_signing_admins_key_is_named(store, tmp_path, keys):
    _signing_a1(store, tmp_path, keys)
    key = _open_key(store, "a1")
    change = role_change(store)
    forge_revocation(store, "a1")
    approve_around_truce(store, change, actor="a2")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert (f"identity: user_keys {key.id}: a1's key revoked at ledger entry" in output
            and "revoking the key of an admin who signs approvals is a change a second admin approves" in output
            ), output
    # the forged revocation is void for the rules after it: a1's key still signs, so the unsigned approval is named
    assert (f"identity: user_changes {change}: approved by a2 at ledger entry" in output
            and f"while a1 signed approvals with key {key.id}" in output), output


def test_deactivating_a_signing_admin_is_proposed_and_approved_with_a_signature(store, tmp_path, keys):
    _third_admin(store)
    a1_key = _signing_a1(store, tmp_path, keys)
    code, output = run("users", "deactivate", "a1", "--token", store.tokens["a2"], "--db", store.url)
    assert code == 1 and "say why" in output, output
    code, output = run("users", "deactivate", "a1", "--reason", "left the mission", "--token", store.tokens["a2"],
                       "--db", store.url)
    assert code == 0 and "proposed chg-" in output, output
    change = output.split("proposed ")[1].split(":")[0]
    assert _active(store, "a1")
    code, output = run("users", "approve", change, "--token", store.tokens["a3"], "--db", store.url)
    assert code == 1 and "a3 has no signing key, and a1 signs approvals" in output, output
    assert _active(store, "a1")
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--key", a1_key,
                       "--db", store.url)
    assert code == 0 and "approved" in output, output
    assert not _active(store, "a1")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_revoking_a_signing_admins_key_is_proposed_and_approved_with_a_signature(store, tmp_path, keys):
    a1_key = _signing_a1(store, tmp_path, keys)
    code, output = run("users", "revoke", "a1", "--reason", "key file lost", "--token", store.tokens["a2"],
                       "--db", store.url)
    assert code == 0 and "proposed chg-" in output, output
    change = output.split("proposed ")[1].split(":")[0]
    assert _open_key(store, "a1") is not None
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--key", a1_key,
                       "--db", store.url)
    assert code == 0 and "approved" in output, output
    assert _open_key(store, "a1") is None
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output
    code, output = run("users", "revoke", "a2", "--reason", "no key", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 1 and "a2 has no signing key to revoke" in output, output


def test_a_role_change_whose_approved_change_has_no_approval_entry_before_it_is_named(store):
    """The change row set to approved by a2 around truce (no approval entry,
    so no signature to check) and the role it names: verify names the role."""
    from approval_store import NOW
    from truce.store.uow import UnitOfWork

    change = role_change(store)
    with UnitOfWork(store.engine, actor="a1") as uow:
        an = uow.users.get("an-1")
        uow.user_changes.decide(change, "approved", "a2", NOW)
        uow.users.update(an.id, role="admin")
        uow.record("user.role", an.id, {"name": "an-1", "from": "analyst", "to": "admin", "party": None,
                                         "change": change, "at": NOW.isoformat()}, at=NOW)
        uow.commit()
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and "identity: users an-1: role changed by one admin: analyst to admin" in output, output
