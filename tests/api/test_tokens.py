"""API tokens are checked by a keyed hash whose key lives outside the
database, bound to the user's id; tokens stored by older versions (argon2,
or keyed but unbound) keep working and are bound on first use, ledgered;
repeated failures are answered 429."""

from __future__ import annotations

import hashlib
import hmac
import stat
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from live import free_port
from sqlalchemy import select, update

from truce.api.app import create_app
from truce.service.tokens import load_token_key, token_key_path
from truce.service.users import add_user
from truce.settings import Settings
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork


def _stored_hash(engine, name: str) -> str:
    with engine.connect() as c:
        return c.execute(select(t.users.c.token_hash).where(t.users.c.name == name)).scalar_one()


def test_token_is_stored_as_hmac_under_a_private_key_file(live):
    key_file = token_key_path(live.settings.database_url)
    assert key_file.name == "api.db.token-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    token = live.tokens["analyst1"]
    key = load_token_key(key_file)
    with live.engine.connect() as c:
        user_id = c.execute(select(t.users.c.id).where(t.users.c.name == "analyst1")).scalar_one()
    digest = hmac.new(key, token.encode(), hashlib.sha256).digest()
    bound = hmac.new(key, b"truce-token-user/v1\x00" + user_id.encode() + b"\x00" + digest, hashlib.sha256)
    assert _stored_hash(live.engine, "analyst1") == f"hmac-sha256-user${bound.hexdigest()}"
    assert token not in key_file.read_text()


@pytest.mark.parametrize("legacy", ["argon2", "unbound"])
def test_a_token_from_an_older_version_works_and_is_bound_on_first_use(live, legacy):
    name = f"legacy-{legacy}"
    with UnitOfWork(live.engine, actor="test") as uow:
        _user, token = add_user(uow, name, "analyst", datetime.now(UTC),
                                token_key=live.token_key)
        old = (PasswordHasher().hash(token) if legacy == "argon2"
               else "hmac-sha256$" + hmac.new(live.token_key, token.encode(), hashlib.sha256).hexdigest())
        uow.connection.execute(update(t.users).where(t.users.c.name == name)
                               .values(token_hash=old))
        uow.commit()
    assert _stored_hash(live.engine, name) == old
    with live.client(token=token) as c:
        assert c.get("/api/users/me").json()["name"] == name
    assert _stored_hash(live.engine, name).startswith("hmac-sha256-user$")
    with live.engine.connect() as c:
        actions = c.execute(select(t.ledger.c.action).order_by(t.ledger.c.seq.desc()).limit(2)).scalars().all()
    assert actions == ["row.update", "user.token.bind"]  # the binding is ledgered, row beside its action
    with live.client(token=token) as c:
        assert c.get("/api/users/me").status_code == 200
        wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        assert c.get("/api/users/me", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401


def test_a_key_file_others_may_read_is_refused(tmp_path: Path):
    key_file = tmp_path / "k.token-key"
    load_token_key(key_file)
    key_file.chmod(0o644)
    from truce.domain.exceptions import ValidationError

    with pytest.raises(ValidationError, match="chmod 600"):
        load_token_key(key_file)


@pytest.fixture
def strict_server(tmp_path: Path):
    """A server allowing 5 failed checks per client address and 2 wrong
    secrets per token prefix, with one analyst."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'strict.db'}",
                        auth_failures_per_client=5, auth_failures_per_prefix=2)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with UnitOfWork(engine, actor="test") as uow:
        _user, token = add_user(uow, "analyst1", "analyst", datetime.now(UTC),
                                token_key=load_token_key(token_key_path(settings.database_url)))
        uow.commit()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=free_port(),
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}", token
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_failed_token_checks_are_rate_limited_per_prefix_and_per_client(strict_server):
    base, token = strict_server
    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    def me(bearer: str) -> httpx.Response:
        return httpx.get(f"{base}/api/users/me", headers={"Authorization": f"Bearer {bearer}"})

    assert [me(wrong).status_code for _ in range(2)] == [401, 401]
    throttled = me(wrong)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) >= 1
    assert throttled.headers["content-type"] == "application/problem+json"
    assert me(token).status_code == 200  # a flood on its prefix does not lock its holder out
    assert [me("truce_000000000000_" + "x" * 43).status_code for _ in range(2)] == [401, 401]
    refused = me("truce_111111111111_" + "x" * 43)  # a sixth failure from this address
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "from this address" in refused.json()["detail"]
    assert me(token).status_code == 200  # a token that verifies is never refused


@pytest.fixture
def two_admins(tmp_path: Path):
    """A server with admins a1, a2 and analyst an-1: (base URL, tokens, engine)."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'admins.db'}")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    key = load_token_key(token_key_path(settings.database_url))
    tokens = {}
    with UnitOfWork(engine, actor="test") as uow:
        for name, role in (("a1", "admin"), ("a2", "admin"), ("an-1", "analyst")):
            _user, tokens[name] = add_user(uow, name, role, datetime.now(UTC), token_key=key)
        uow.commit()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=free_port(),
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}", tokens, engine
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_a_token_hash_copied_onto_another_admins_row_is_refused_401_over_http(two_admins):
    """The swap over HTTP: a1 copies their token's hash and prefix onto a2's
    row by SQL and approves their own change as a2: 401, nothing approved."""
    base, tokens, engine = two_admins

    def as_(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    proposed = httpx.post(f"{base}/api/users/an-1/changes", headers=as_(tokens["a1"]),
                          json={"kind": "role", "role": "admin", "reason": "helps at HQ"})
    assert proposed.status_code == 201, proposed.text
    change = proposed.json()["id"]
    with engine.begin() as c:
        row = c.execute(select(t.users.c.token_hash, t.users.c.token_prefix).where(t.users.c.name == "a1")).one()
        c.execute(update(t.users).where(t.users.c.name == "a1").values(token_prefix="ffffffffffff"))
        c.execute(update(t.users).where(t.users.c.name == "a2")
                  .values(token_hash=row.token_hash, token_prefix=row.token_prefix))
    refused = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_(tokens["a1"]))
    assert refused.status_code == 401 and "unknown or wrong token" in refused.json()["detail"], refused.text
    with engine.connect() as c:
        assert c.execute(select(t.user_changes.c.status).where(t.user_changes.c.id == change)).scalar_one() \
            == "pending"


def _cosign_the_ledger(engine, tmp_path: Path) -> None:
    """Sign a checkpoint of the ledger and have a witness cosign it."""
    from tamper_kit import checkpoint, run

    keys = tmp_path / "ledger-keys"
    keys.mkdir()
    for name, args in (("log", []), ("arm", ["--witness"])):
        code, output = run("ledger", "keygen", "-o", str(keys / f"{name}.key"), "--name", f"{name}.example/k", *args)
        assert code == 0, output
    checkpoint(engine.url.render_as_string(hide_password=False), keys, "keys", cosign=True)


def test_an_admin_with_a_key_approves_over_http_only_with_its_signature(two_admins, tmp_path):
    from truce.service.approvals import approval_payload
    from truce.service.signing import SIGNATURE_FIELD, generate_key, sign
    from truce.store.user_changes import ChangeRepository

    base, tokens, engine = two_admins
    private, public = generate_key()

    def as_(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    assert httpx.put(f"{base}/api/users/a2/key", headers=as_("a1"), json={"public_key": public}).status_code == 403
    assert httpx.put(f"{base}/api/users/a2/key", headers=as_("a2"), json={"public_key": public}).status_code == 200
    change = httpx.post(f"{base}/api/users/an-1/changes", headers=as_("a1"),
                        json={"kind": "role", "role": "admin", "reason": "helps at HQ"}).json()["id"]
    with engine.connect() as c:
        payload = approval_payload(ChangeRepository(c).get(change), "a2")
    early = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a2"),
                       json={"signature": sign(payload, private)[SIGNATURE_FIELD]})
    assert early.status_code == 403 and "no cosigned checkpoint covers yet" in early.json()["detail"], early.text
    httpx.post(f"{base}/api/users/changes/{change}/reject", headers=as_("a1")).raise_for_status()
    _cosign_the_ledger(engine, tmp_path)
    change = httpx.post(f"{base}/api/users/an-1/changes", headers=as_("a1"),
                        json={"kind": "role", "role": "admin", "reason": "helps at HQ"}).json()["id"]
    unsigned = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a2"))
    assert unsigned.status_code == 403 and "a2 has a signing key" in unsigned.json()["detail"], unsigned.text
    empty = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a2"), json={})
    assert empty.status_code == 403 and "a2 has a signing key" in empty.json()["detail"], empty.text
    with engine.connect() as c:
        payload = approval_payload(ChangeRepository(c).get(change), "a2")
    signature = sign(payload, private)[SIGNATURE_FIELD]
    done = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a2"), json={"signature": signature})
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text


def test_an_admins_first_key_once_another_admin_signs_is_approved_over_http_with_a_signature(two_admins, tmp_path):
    """a1 signs approvals (a key a witness covered); a2's first key is then a
    proposal (202, ``change``) that a1 approves with a signed approval."""
    from tamper_kit import run
    from truce.service.approvals import approval_payload
    from truce.service.signing import SIGNATURE_FIELD, generate_key, sign
    from truce.store.keys import KeyRepository
    from truce.store.user_changes import ChangeRepository

    base, tokens, engine = two_admins
    (a1_private, a1_public), (_a2_private, a2_public) = generate_key(), generate_key()

    def as_(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    first = httpx.put(f"{base}/api/users/a1/key", headers=as_("a1"), json={"public_key": a1_public})
    assert first.status_code == 200 and first.json()["change"] is None, first.text  # no admin signed yet
    _cosign_the_ledger(engine, tmp_path)
    proposed = httpx.put(f"{base}/api/users/a2/key", headers=as_("a2"), json={"public_key": a2_public})
    assert proposed.status_code == 202 and proposed.json()["public_key"] is None, proposed.text
    change = proposed.json()["change"]
    unsigned = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a1"))
    assert unsigned.status_code == 403 and "a1 has a signing key" in unsigned.json()["detail"], unsigned.text
    with engine.connect() as c:
        payload = approval_payload(ChangeRepository(c).get(change), "a1")
    done = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a1"),
                      json={"signature": sign(payload, a1_private)[SIGNATURE_FIELD]})
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text
    with engine.connect() as c:
        [key] = KeyRepository(c).history(httpx.get(f"{base}/api/users/me", headers=as_("a2")).json()["id"])
    assert key.public_key == a2_public and key.change_id == change
    code, output = run("ledger", "verify", "--db", engine.url.render_as_string(hide_password=False))
    assert code == 0, output


def test_revoking_a_signing_admins_key_over_http_is_a_proposal_approved_with_a_signature(two_admins, tmp_path):
    """a1 signs approvals: revoking a1's key, or deactivating a1, answers 202
    with ``change`` and changes nothing until a second admin approves, signed."""
    from tamper_kit import run
    from truce.service.approvals import approval_payload
    from truce.service.signing import SIGNATURE_FIELD, generate_key, sign
    from truce.store.user_changes import ChangeRepository

    base, tokens, engine = two_admins
    a1_private, a1_public = generate_key()

    def as_(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    assert httpx.put(f"{base}/api/users/a1/key", headers=as_("a1"), json={"public_key": a1_public}).status_code == 200
    _cosign_the_ledger(engine, tmp_path)
    no_reason = httpx.post(f"{base}/api/users/a1/revoke", headers=as_("a2"))
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason", no_reason.text
    proposed = httpx.post(f"{base}/api/users/a1/revoke", headers=as_("a2"), json={"reason": "key file lost"})
    assert proposed.status_code == 202 and proposed.json()["public_key"] == a1_public, proposed.text
    change = proposed.json()["change"]
    with engine.connect() as c:
        payload = approval_payload(ChangeRepository(c).get(change), "a1")
    done = httpx.post(f"{base}/api/users/changes/{change}/approve", headers=as_("a1"),
                      json={"signature": sign(payload, a1_private)[SIGNATURE_FIELD]})
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text
    me = httpx.get(f"{base}/api/users/me", headers=as_("a1")).json()
    assert me["public_key"] is None, me
    code, output = run("ledger", "verify", "--db", engine.url.render_as_string(hide_password=False))
    assert code == 0, output
