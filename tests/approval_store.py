"""A store with two admins and an analyst, and what the approval tests do
with it: through the CLI (tokens, keys, proposals) and around truce (entries
written through truce's own code, as database write alone could)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from truce.cli import app
from truce.domain.exceptions import TruceError
from truce.service import keys
from truce.service.users import Principal, Role, add_user
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork
from truce.store.users import UserRepository

runner = CliRunner()
NOW = datetime.now(UTC)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, TruceError):
        return 1, result.output + str(result.exception)
    return result.exit_code, result.output


def token_of(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("truce_"))


class Store:
    """Admins a1 and a2 (tokens in ``tokens``), analyst an-1."""

    def __init__(self, url: str):
        self.url = url
        code, output = run("init", "--db", url)
        assert code == 0, output
        self.engine = make_engine(url)
        self.tokens = {}
        with UnitOfWork(self.engine, actor="setup") as uow:
            for name in ("a1", "a2"):
                _user, self.tokens[name] = add_user(uow, name, "admin", NOW - timedelta(days=2))
            _user, self.tokens["an-1"] = add_user(uow, "an-1", "analyst", NOW - timedelta(days=1))
            uow.commit()

    def works(self, token: str) -> bool:
        """Whether ``token`` is accepted (an unknown change is refused only after the token is)."""
        code, output = run("users", "approve", "chg-nothing", "--token", token, "--db", self.url)
        return "no change with id" in output

    def principal(self, name: str) -> Principal:
        with self.engine.connect() as c:
            u = UserRepository(c).get(name)
        return Principal(id=u.id, name=u.name, role=Role(u.role))

    def ledger_size(self) -> int:
        with self.engine.connect() as c:
            return c.execute(select(func.count()).select_from(t.ledger)).scalar_one()


def role_change(store: Store) -> str:
    code, output = run("users", "role", "an-1", "admin", "--reason", "helps at HQ", "--token", store.tokens["a1"],
                       "--db", store.url)
    assert code == 0, output
    return next(w for w in output.replace(":", " ").split() if w.startswith("chg-"))


def key_files(tmp_path, name: str) -> tuple[str, str]:
    from truce.service.signing import generate_key, private_key_pem, public_key_text

    private, _public = generate_key()
    (tmp_path / f"{name}.key").write_bytes(private_key_pem(private))
    (tmp_path / f"{name}.pub").write_text(public_key_text(private))
    return str(tmp_path / f"{name}.key"), str(tmp_path / f"{name}.pub")


def approve_around_truce(store, change: str, *, actor: str, signed: dict | None = None) -> None:
    """An approval of ``change`` "by a2" written through truce's own code as
    ``actor`` (``signed``: a signature it keeps, else none): what database
    write alone can produce, every hash and tree node recomputed."""
    with UnitOfWork(store.engine, actor=actor) as uow:
        uow.user_changes.decide(change, "approved", "a2", NOW)
        uow.record("user.change.approve", change, {"name": "an-1", "kind": "role", "by": "a2",
                                                    "proposed_by": "a1", "at": NOW.isoformat(),
                                                    **({"signed": signed} if signed else {})}, at=NOW)
        uow.commit()


def register_key(store, name: str, pub: str) -> None:
    code, output = run("users", "key", name, "--public-key", pub, "--token", store.tokens[name], "--db", store.url)
    assert code == 0, output


def register_key_approved_by(store, name: str, pub: str, approver: str, approver_key: str) -> str:
    """``name``'s first key while ``approver`` signs approvals: proposed by
    ``name``, approved by ``approver`` with a signed approval; returns the change."""
    code, output = run("users", "key", name, "--public-key", pub, "--token", store.tokens[name], "--db", store.url)
    assert code == 0 and "proposed chg-" in output and "first signing key takes effect once" in output, output
    change = output.split("proposed ")[1].split(":")[0]
    code, output = run("users", "approve", change, "--token", store.tokens[approver], "--key", approver_key,
                       "--db", store.url)
    assert code == 0 and "approved" in output, output
    return change


def forge_first_key(store, name: str):
    """A first signing key "registered by" ``name`` written around truce (its
    user_keys row, users.public_key and user.key entry, hashes and tree
    recomputed), with a private key the forger holds; returns it and the key id."""
    from truce.service.signing import generate_key

    private, public = generate_key()
    with UnitOfWork(store.engine, actor=name) as uow:
        added = keys.replace_key(uow, uow.users.get(name), public, NOW - timedelta(hours=1), by=name,
                                 reason="my signing key", change_id=None)
        uow.commit()
    return private, added.id


def approval_signature(store, change: str, approver: str, private) -> str:
    from truce.service.approvals import approval_payload
    from truce.service.signing import SIGNATURE_FIELD, sign
    from truce.store.user_changes import ChangeRepository

    with store.engine.connect() as c:
        return sign(approval_payload(ChangeRepository(c).get(change), approver), private)[SIGNATURE_FIELD]


def forge_deactivation(store, name: str) -> None:
    """A ``user.deactivate`` of ``name`` written around truce's rules (which
    refuse it) through its own code: the row and entry, hashes and tree recomputed."""
    with UnitOfWork(store.engine, actor="a2") as uow:
        user = uow.users.get(name)
        uow.users.update(user.id, active=False)
        uow.record("user.deactivate", user.id, {"name": name, "by": "a2", "at": NOW.isoformat()}, at=NOW)
        uow.commit()


def forge_revocation(store, name: str) -> None:
    """A ``user.revoke`` of ``name``'s key written around truce's rules (which
    refuse it) through its own code: the key closed, hashes and tree recomputed."""
    with UnitOfWork(store.engine, actor="a2") as uow:
        user = uow.users.get(name)
        ended = keys.end_key(uow, user, NOW, by="a2", reason="device revoked")
        uow.record("user.revoke", user.id, {"name": name, "public_key": ended.public_key if ended else None,
                                             "at": NOW.isoformat()}, at=NOW)
        uow.commit()
