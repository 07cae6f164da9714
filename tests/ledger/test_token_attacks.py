"""Nobody acts as a second admin by holding their token, on SQLite and
PostgreSQL: `truce users token` and `truce users deactivate` need an admin's
own token; a token for another admin takes a second admin; and `truce ledger
verify` names an approval made with a token the change's proposer issued."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import func, select, update

from approval_store import (
    NOW,
    Store,
    approval_signature,
    approve_around_truce,
    forge_first_key,
    key_files,
    register_key,
    register_key_approved_by,
    role_change,
    run,
    runner,
    token_of,
)
from truce.cli import app
from truce.domain.exceptions import PermissionDenied
from truce.service import keys
from truce.service.users import rotate_token
from truce.store import row_ledger
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork
from truce.store.users import UserRepository


def test_issuing_a_token_or_deactivating_needs_an_admins_token_and_a_refusal_changes_nothing(store):
    before = store.ledger_size()
    for args in (["users", "token", "a2"], ["users", "token", "an-1"], ["users", "deactivate", "an-1"]):
        code, output = run(*args, "--db", store.url)
        assert code == 1 and "needs an admin's token" in output, (args, output)
        code, output = run(*args, "--token", store.tokens["an-1"], "--db", store.url)
        assert code == 1 and "needs an admin" in output, (args, output)
    assert store.ledger_size() == before
    assert all(store.works(store.tokens[n]) for n in ("a1", "a2"))
    code, output = run("users", "token", "an-1", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output  # a non-admin's token: one admin's act
    code, output = run("users", "deactivate", "an-1", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output
    code, output = run("users", "token", "a1", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output  # an admin's own token: at once
    assert store.works(token_of(output)) and not store.works(store.tokens["a1"])
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_a_token_for_another_admin_takes_a_second_admin(store):
    code, output = run("users", "token", "a2", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "say why" in output, output
    code, output = run("users", "token", "a2", "--reason", "lost laptop", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0 and "works once another admin runs" in output, output
    change = output.split("proposed ")[1].split(":")[0]
    waiting = token_of(output)
    assert not store.works(waiting) and store.works(store.tokens["a2"])  # nothing changed yet
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "a second, different admin must approve it" in output, output
    assert not store.works(waiting)
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0 and "a new token" in output, output
    assert store.works(waiting) and not store.works(store.tokens["a2"])
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_verify_names_an_approval_made_with_a_token_the_proposer_issued(store):
    """a1 mints a2's token through truce's own code (no second admin), then
    approves their own role change as a2: every row matches the ledger, the
    approval is named with the change, the approver and the issuer."""
    with UnitOfWork(store.engine, actor="a1") as uow:
        _user, stolen = rotate_token(uow, "a2", NOW, by="a1")
        uow.commit()
    with UnitOfWork(store.engine, actor="a1") as uow:
        change = keys.propose_role(uow, "an-1", "admin", None, store.principal("a1"), "helps at HQ", NOW)
        uow.commit()
    code, output = run("users", "approve", change.id, "--token", stolen, "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1
    assert "rows differ" not in output and "forged" not in output, output
    named = f"identity: user_changes {change.id}: approved by a2 with a token a1 issued (ledger entry"
    assert named in output, output
    assert "a1, who proposed the change, could have approved it as a2" in output, output


def test_an_approval_with_a_token_another_admin_issued_is_not_named(store):
    with UnitOfWork(store.engine, actor="a2") as uow:
        _user, own = rotate_token(uow, "a2", NOW, by="a2")
        change = keys.propose_role(uow, "an-1", "admin", None, store.principal("a1"), "helps at HQ", NOW)
        uow.commit()
    code, output = run("users", "approve", change.id, "--token", own, "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_the_first_admins_and_a_store_with_no_admin_need_no_token(tmp_path):
    db = str(tmp_path / "t.db")
    assert run("init", "--db", db)[0] == 0
    code, output = run("users", "add", "an-1", "--role", "analyst", "--db", db)
    assert code == 0, output
    code, output = run("users", "token", "an-1", "--db", db)  # no admin yet: nobody to prove
    assert code == 0 and "truce_" in output, output
    code, output = run("users", "add", "a1", "--role", "admin", "--quiet", "--db", db)
    assert code == 0, output
    t1 = output.splitlines()[0]
    code, output = run("users", "token", "an-1", "--db", db)
    assert code == 1 and "needs an admin's token" in output, output
    code, output = run("users", "add", "a2", "--role", "admin", "--quiet", "--db", db)
    assert code == 0, output  # the second admin: still one act
    with UnitOfWork(make_engine(db)) as uow, pytest.raises(PermissionDenied, match="needs an admin"):
        keys.issue_token(uow, "a2", NOW, None)
    code, output = run("users", "token", "a1", "--token", t1, "--db", db)
    assert code == 0, output


def test_verify_follows_a_self_renewed_token_back_to_the_admin_who_issued_it(store):
    """a1 holds a token a1 issued to a2; with it, as a2, a1 renews a2's token
    (at once: an admin's own) and approves their own change with the fresh
    one: the approval is still named, back to a1."""
    with UnitOfWork(store.engine, actor="a1") as uow:
        _user, stolen = rotate_token(uow, "a2", NOW, by="a1")
        uow.commit()
    code, output = run("users", "token", "a2", "--token", stolen, "--db", store.url)
    assert code == 0, output
    laundered = token_of(output)
    code, output = run("users", "token", "a2", "--token", laundered, "--db", store.url)
    assert code == 0, output  # and once more: the chain is followed to its root
    laundered = token_of(output)
    code, output = run("users", "role", "an-1", "admin", "--reason", "helps at HQ", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0, output
    change = next(w for w in output.replace(":", " ").split() if w.startswith("chg-"))
    code, output = run("users", "approve", change, "--token", laundered, "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    named = f"identity: user_changes {change}: approved by a2 with a token a1 issued (ledger entry"
    assert named in output and "renewed with it as a2 at entry" in output, output


def test_an_admin_renewing_a_token_someone_else_issued_them_is_not_named(store):
    code, output = run("users", "token", "a2", "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output
    renewed = token_of(output)
    code, output = run("users", "role", "an-1", "admin", "--reason", "helps at HQ", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0, output
    change = next(w for w in output.replace(":", " ").split() if w.startswith("chg-"))
    code, output = run("users", "approve", change, "--token", renewed, "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_one_admin_cannot_deactivate_the_only_other_admin(store):
    before = store.ledger_size()
    for name in ("a2", "a1"):
        code, output = run("users", "deactivate", name, "--token", store.tokens["a1"], "--db", store.url)
        assert code == 1 and "a change that takes two admins could never be approved again" in output, output
    assert store.ledger_size() == before and store.works(store.tokens["a2"])
    code, output = run("users", "add", "a3", "--role", "admin", "--reason", "joins HQ", "--quiet",
                       "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output
    change = next(w for w in output.replace(":", " ").split() if w.startswith("chg-"))
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output
    code, output = run("users", "deactivate", "a2", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output  # a1 and a3 remain: two admins can still approve
    assert not store.works(store.tokens["a2"])
    code, output = run("users", "deactivate", "a3", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "would leave only a1 active" in output, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def _row(store: Store, name: str) -> tuple[str, str]:
    with store.engine.connect() as c:
        return tuple(c.execute(select(t.users.c.token_hash, t.users.c.token_prefix)
                         .where(t.users.c.name == name)).one())


def _set_row(store: Store, name: str, token_hash: str, prefix: str) -> None:
    with store.engine.begin() as c:  # plain SQL, around truce: no ledger entry
        c.execute(update(t.users).where(t.users.c.name == name).values(token_hash=token_hash, token_prefix=prefix))


def test_a_token_hash_copied_onto_another_admins_row_does_not_act_as_them(store):
    """The swap: a1, with database write, copies their own token's hash and
    prefix onto a2's row, approves their own change as a2, then puts the row
    back. The hash is bound to a1's id, so on a2's row it verifies nothing."""
    change = role_change(store)
    own, a2_row = _row(store, "a1"), _row(store, "a2")
    _set_row(store, "a1", own[0], "ffffffffffff")
    _set_row(store, "a2", *own)
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "the token was refused: unknown or wrong token" in output, output
    _set_row(store, "a1", *own)
    _set_row(store, "a2", *a2_row)
    with store.engine.connect() as c:
        assert c.execute(select(t.user_changes.c.status).where(t.user_changes.c.id == change)).scalar_one() \
            == "pending"
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_a_legacy_hash_copied_onto_another_admins_row_is_refused(store):
    """A hash stored before schema 0013 binds nothing to its user; one copied
    from a1's row onto a2's with SQL is not the one the ledger holds for a2,
    so it is refused (401) and nothing is ledgered."""
    from truce.service.tokens import UNBOUND, load_token_key, token_key_path
    from truce.settings import get_settings

    key = load_token_key(token_key_path(store.url, get_settings().token_key_file))
    legacy = UNBOUND + hmac.new(key, store.tokens["a1"].encode(), hashlib.sha256).hexdigest()
    change = role_change(store)
    own = _row(store, "a1")
    _set_row(store, "a1", own[0], "ffffffffffff")
    _set_row(store, "a2", legacy, own[1])
    before = store.ledger_size()
    code, output = run("users", "approve", change, "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "unknown or wrong token" in output, output
    assert store.ledger_size() == before


def _forged_token(store: Store, name: str) -> str:
    """H1: a token of ``name``'s own prefix whose argon2id hash is written onto
    their row with SQL (database write alone: no token key needed)."""
    from argon2 import PasswordHasher

    forged = f"truce_{_row(store, name)[1]}_{'A' * 43}"
    with store.engine.begin() as c:
        c.execute(update(t.users).where(t.users.c.name == name).values(token_hash=PasswordHasher().hash(forged)))
    return forged


def test_an_argon2_hash_written_with_sql_does_not_act_as_the_admin(store):
    change = role_change(store)
    forged = _forged_token(store, "a2")
    before = store.ledger_size()
    code, output = run("users", "approve", change, "--token", forged, "--db", store.url)
    assert code == 1 and "unknown or wrong token" in output, output
    assert store.ledger_size() == before
    with store.engine.connect() as c:
        assert c.execute(select(t.user_changes.c.status).where(t.user_changes.c.id == change)).scalar_one() \
            == "pending"


def test_an_argon2_hash_written_with_sql_does_not_register_an_admins_first_key(store, tmp_path):
    _evil_key, evil_pub = key_files(tmp_path, "evil")
    forged = _forged_token(store, "a1")
    before = store.ledger_size()
    code, output = run("users", "key", "a1", "--public-key", evil_pub, "--token", forged, "--db", store.url)
    assert code == 1 and "unknown or wrong token" in output, output
    assert store.ledger_size() == before
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(t.user_keys)).scalar_one() == 0


def test_verify_names_a_binding_of_a_legacy_hash_the_ledger_never_held(store):
    """Database write alone, past the login check: the legacy hash written
    with SQL, then bound through truce's own code. The ledger's image before
    the binding held a bound hash, so verify names it."""
    from truce.service.tokens import hash_token, load_token_key, token_key_path
    from truce.service.users import bind_token
    from truce.settings import get_settings

    key = load_token_key(token_key_path(store.url, get_settings().token_key_file))
    forged = _forged_token(store, "a2")
    with store.engine.connect() as c:
        user = UserRepository(c).get("a2")
    with UnitOfWork(store.engine, actor="a2") as uow:
        bind_token(uow, user, _row(store, "a2")[0], hash_token(forged, key, user.id), NOW)
        uow.commit()
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert "identity: users a2: token bound to this user at ledger entry" in output, output
    assert "already held a bound hash" in output, output


def test_a_legacy_hash_is_bound_to_its_user_on_first_use_and_verify_accepts_it(store):
    from truce.service.tokens import SCHEME, UNBOUND, load_token_key, token_key_path
    from truce.settings import get_settings

    key = load_token_key(token_key_path(store.url, get_settings().token_key_file))
    legacy = UNBOUND + hmac.new(key, store.tokens["a2"].encode(), hashlib.sha256).hexdigest()
    _set_row(store, "a2", legacy, _row(store, "a2")[1])
    with UnitOfWork(store.engine, actor="schema 0013") as uow:  # as the upgrade ledgers rows it cannot bind
        row_ledger.ledger_existing_rows(uow.connection, actor="schema 0013", only=["users"])
        uow.commit()
    assert store.works(store.tokens["a2"])
    assert _row(store, "a2")[0].startswith(SCHEME)
    assert store.works(store.tokens["a2"])
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def _actors(store: Store, action: str) -> list[str]:
    with store.engine.connect() as c:
        return c.execute(select(t.ledger.c.actor).where(t.ledger.c.action == action)
                         .order_by(t.ledger.c.seq)).scalars().all()


def test_revoking_registering_a_key_and_enrolling_need_an_admins_token(store, tmp_path):
    """`users revoke`, `users key` and a first `users enrol` are admin acts,
    ledgered as the admin's: without a token, or with a non-admin's, they
    are refused and change nothing."""
    from truce.service.signing import generate_key

    _private, public = generate_key()
    key_file = tmp_path / "obs.pub"
    key_file.write_text(public)
    code, output = run("users", "add", "obs-x", "--role", "observer", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0, output
    before = store.ledger_size()
    for args in (["users", "key", "obs-x", "--public-key", str(key_file)], ["users", "revoke", "obs-x"],
                 ["users", "enrol", "obs-new", "--no-qr"], ["users", "enrol", "obs-x", "--no-qr"]):
        code, output = run(*args, "--db", store.url)
        assert code == 1 and "needs an admin's token" in output, (args, output)
        code, output = run(*args, "--token", store.tokens["an-1"], "--db", store.url)
        assert code == 1 and "needs an admin" in output, (args, output)
    assert store.ledger_size() == before
    code, output = run("users", "key", "obs-x", "--public-key", str(key_file), "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0, output
    code, output = run("users", "revoke", "obs-x", "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0 and "ended" in output, output
    code, output = run("users", "enrol", "obs-new", "--no-qr", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0 and "enrolment code for obs-new" in output, output
    assert _actors(store, "user.key")[-1] == "a1" and _actors(store, "user.revoke") == ["a2"]
    assert _actors(store, "user.enrolment") == ["a1"]
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_a_store_with_no_admin_yet_revokes_and_registers_keys_without_a_token(tmp_path):
    from truce.service.signing import generate_key

    db = str(tmp_path / "t.db")
    assert run("init", "--db", db)[0] == 0
    _private, public = generate_key()
    (tmp_path / "obs.pub").write_text(public)
    assert run("users", "add", "obs-y", "--role", "observer", "--db", db)[0] == 0
    code, output = run("users", "key", "obs-y", "--public-key", str(tmp_path / "obs.pub"), "--db", db)
    assert code == 0, output
    code, output = run("users", "revoke", "obs-y", "--db", db)
    assert code == 0, output


def test_users_token_quiet_prints_only_the_token(store):
    code, output = run("users", "token", "an-1", "--quiet", "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output
    assert output.strip().startswith("truce_") and len(output.strip().splitlines()) == 1, output
    from truce.cli.common import token_key
    from truce.service.users import authenticate

    with store.engine.connect() as c:
        assert authenticate(c, output.strip(), NOW, token_key=token_key(store.url)).name == "an-1"
    result = runner.invoke(app, ["users", "token", "a2", "--reason", "lost laptop", "--quiet", "--token",
                                 store.tokens["a1"], "--db", store.url])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("truce_") and len(result.stdout.strip().splitlines()) == 1
    assert "proposed chg-" in result.stderr


def test_an_admin_with_a_signing_key_approves_only_with_a_signature_of_it(store, tmp_path, keys):
    from tamper_kit import checkpoint

    a1_key, a1_pub = key_files(tmp_path, "a1")
    a2_key, a2_pub = key_files(tmp_path, "a2")
    code, output = run("users", "key", "a2", "--public-key", a2_pub, "--token", store.tokens["a1"], "--db", store.url)
    assert code == 1 and "an admin registers their own signing key" in output, output
    register_key(store, "a1", a1_pub)
    checkpoint(store.url, keys, "a1", cosign=True)  # a key signs approvals once a witness vouched for it
    register_key_approved_by(store, "a2", a2_pub, "a1", a1_key)
    checkpoint(store.url, keys, "a2", cosign=True)
    change = role_change(store)
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 1 and "a2 has a signing key" in output and "--key" in output, output
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--key", a1_key, "--db", store.url)
    assert code == 1 and "does not verify against a2's key valid now" in output, output
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--key", a2_key, "--db", store.url)
    assert code == 0 and "approved" in output, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output



def test_an_approval_written_with_database_write_alone_is_named_when_the_approver_has_a_key(store, tmp_path):
    """Database write alone: the approval's row and entries written through
    truce's own code, as a2, without a2's private key. verify names it."""
    _a2_key, a2_pub = key_files(tmp_path, "a2")
    code, output = run("users", "key", "a2", "--public-key", a2_pub, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output
    change = role_change(store)
    approve_around_truce(store, change, actor="a2")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert f"identity: user_changes {change}: approved by a2 at ledger entry" in output, output
    assert "without a signature of their key" in output, output


def test_an_approval_signed_with_a_key_that_is_not_the_approvers_is_named_so(store, tmp_path):
    from truce.service.signing import generate_key

    _a2_key, a2_pub = key_files(tmp_path, "a2")
    register_key(store, "a2", a2_pub)
    change = role_change(store)
    forger, _public = generate_key()
    with store.engine.connect() as c:
        key_id = c.execute(select(t.user_keys.c.id)).scalar_one()
    approve_around_truce(store, change, actor="a2",
                         signed={"key": key_id, "signature": approval_signature(store, change, "a2", forger)})
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert (f"identity: user_changes {change}: approved by a2 at ledger entry" in output
            and "signed with a key that is not a2's" in output and "without a signature" not in output), output


def test_verify_names_an_approval_whose_by_is_not_its_actor(store, tmp_path):
    """M1: a3 signs approvals with a key; an approval entry written around
    truce by a3 names a2 (no key) in ``by`` to dodge that check: verify names
    the disagreement and a3's missing signature."""
    code, output = run("users", "add", "a3", "--role", "admin", "--reason", "joins HQ", "--quiet",
                       "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output
    t3 = output.splitlines()[0]
    admin = next(w for w in output.replace(":", " ").split() if w.startswith("chg-"))
    code, output = run("users", "approve", admin, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output
    _a3_key, a3_pub = key_files(tmp_path, "a3")
    code, output = run("users", "key", "a3", "--public-key", a3_pub, "--token", t3, "--db", store.url)
    assert code == 0, output
    change = role_change(store)
    approve_around_truce(store, change, actor="a3")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert f"identity: user_changes {change}: approval at ledger entry" in output, output
    assert "names different approvers (by a2, decided_by a2, its actor a3)" in output, output
    assert f"identity: user_changes {change}: approved by a3 at ledger entry" in output, output


def test_a_proposed_admin_gets_a_token_its_proposer_never_saw_as_the_docs_say(store):
    """M2, docs/ledger.md: a1 proposed a3, so saw a3's first token, and a
    renewal a3 makes keeps that issuer. a3 takes a token a2 issues (a2
    proposes it, a3 approves it): a3's approval of a1's change is then clean."""
    code, output = run("users", "add", "a3", "--role", "admin", "--reason", "joins HQ", "--quiet",
                       "--token", store.tokens["a1"], "--db", store.url)
    assert code == 0, output
    first = output.splitlines()[0]
    admin = next(w for w in output.replace(":", " ").split() if w.startswith("chg-"))
    assert run("users", "approve", admin, "--token", store.tokens["a2"], "--db", store.url)[0] == 0
    code, output = run("users", "token", "a3", "--reason", "a token a1 has not seen", "--token", store.tokens["a2"],
                       "--db", store.url)
    assert code == 0, output
    own = token_of(output)
    token_change = output.split("proposed ")[1].split(":")[0]
    code, output = run("users", "approve", token_change, "--token", first, "--db", store.url)
    assert code == 0, output
    change = role_change(store)
    code, output = run("users", "approve", change, "--token", own, "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_a_key_signs_approvals_only_once_a_cosigned_checkpoint_covers_it(store, tmp_path, keys):
    """An approval with a key no cosigned checkpoint covers yet is refused and
    changes nothing; once a witness cosigned a checkpoint after the key, the
    same approval is accepted and verifies."""
    from tamper_kit import checkpoint

    a2_key, a2_pub = key_files(tmp_path, "a2")
    register_key(store, "a2", a2_pub)
    change = role_change(store)
    size = store.ledger_size()
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--key", a2_key, "--db", store.url)
    assert code == 1 and "which no cosigned checkpoint covers yet" in output, output
    assert "truce ledger cosign" in output and store.ledger_size() == size, output
    checkpoint(store.url, keys, "covers-a2", cosign=True)
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--key", a2_key, "--db", store.url)
    assert code == 0 and "approved" in output, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output


def test_a_forged_first_key_and_an_approval_signed_with_it_are_named_even_once_cosigned(store, keys):
    """Database write alone: a first key "registered by a2" and an approval
    signed with it, both forged with every hash recomputed. The key was never
    covered by a cosigned checkpoint before the approval, so verify names it,
    and still does after a witness cosigned both (they are not made good by it)."""
    from tamper_kit import checkpoint

    checkpoint(store.url, keys, "before", cosign=True)
    change = role_change(store)
    private, key_id = forge_first_key(store, "a2")
    approve_around_truce(store, change, actor="a2",
                          signed={"key": key_id, "signature": approval_signature(store, change, "a2", private)})
    named = (f"identity: user_changes {change}: approved by a2 at ledger entry {store.ledger_size() - 1}, "
             f"signed with key {key_id} registered at ledger entry")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output and "which no cosigned checkpoint before the approval covers" in output, \
        output
    checkpoint(store.url, keys, "after", cosign=True)
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output, output


def test_a_forged_approval_by_a_keyless_admin_is_named_once_another_admin_signs(store, tmp_path, keys):
    """a1 signs approvals; a2 has no key. truce refuses a2's unsigned approval,
    and one written by database write alone (every hash recomputed) is named,
    before and after a witness cosigned it."""
    from tamper_kit import checkpoint

    _a1_key, a1_pub = key_files(tmp_path, "a1")
    register_key(store, "a1", a1_pub)
    change = role_change(store)
    size = store.ledger_size()
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 1 and "a2 has no signing key, and a1 signs approvals" in output, output
    assert "truce users key a2" in output and store.ledger_size() == size, output
    approve_around_truce(store, change, actor="a2")
    named = (f"identity: user_changes {change}: approved by a2 at ledger entry {store.ledger_size() - 1} without "
             "a signature, while a1 signed approvals with key")
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output, output
    checkpoint(store.url, keys, "after", cosign=True)
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1 and named in output, output


def test_admins_without_keys_approve_with_their_tokens_alone(store):
    """A mission where no admin signs: an unsigned approval is accepted and verifies."""
    change = role_change(store)
    code, output = run("users", "approve", change, "--token", store.tokens["a2"], "--db", store.url)
    assert code == 0, output
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 0, output
