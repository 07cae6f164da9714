"""A witness's name is bound to the key of its first stored cosignature, on
SQLite and PostgreSQL: a cosignature stored in an existing witness's name
with someone else's key (database write) is named by `truce ledger verify`
and vouches for nothing, neither for verify nor for what truce accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from approval_store import (
    NOW,
    approval_signature,
    approve_around_truce,
    forge_first_key,
    role_change,
    run,
)
from truce.domain.exceptions import PermissionDenied
from truce.service import checkpoints
from truce.service import keys as key_changes
from truce.store.ledger_reads import LedgerRepository
from truce.store.uow import UnitOfWork


def _cosign_as_impostor(store, keys, tmp_path) -> tuple[int, str]:
    """A cosignature of the ledger as it is now, in arm.example/k's name with
    a key of the forger's, stored as database write alone could; its tree
    size and key id."""
    from tamper_kit import checkpoint

    code, output = run("ledger", "keygen", "-o", str(tmp_path / "impostor.key"), "--name", "arm.example/k",
                       "--witness")
    assert code == 0, output
    impostor = checkpoints.load_key(tmp_path / "impostor.key", witness=True)
    note = _read(checkpoint(store.url, keys, "now"))
    log = checkpoints.load_key(keys / "log.key").verifier
    now = datetime.now(UTC)
    with store.engine.begin() as c:
        checkpoints.store_cosignature(c, note, impostor.verifier, checkpoints.cosign(note, impostor, log, now), now)
    return note.size, impostor.verifier.key_id.hex()


def _read(path: str):
    from truce.verifier import Checkpoint

    return Checkpoint.parse(open(path, encoding="utf-8").read())


def test_a_cosignature_in_an_existing_witness_name_with_another_key_is_named_and_covers_nothing(
        store, keys, tmp_path):
    from tamper_kit import checkpoint

    checkpoint(store.url, keys, "honest", cosign=True)
    with store.engine.connect() as c:
        honest = LedgerRepository(c).newest_cosigned_size()
    change = role_change(store)
    private, key_id = forge_first_key(store, "a2")  # no admin signs yet: a first key is one admin's act
    size, impostor_id = _cosign_as_impostor(store, keys, tmp_path)
    signature = approval_signature(store, change, "a2", private)
    with UnitOfWork(store.engine, actor="a2") as uow, pytest.raises(PermissionDenied,
                                                                     match="which no cosigned checkpoint covers"):
        key_changes.approve(uow, change, store.principal("a2"), NOW + timedelta(minutes=1), signature=signature)
    approve_around_truce(store, change, actor="a2", signed={"key": key_id, "signature": signature})
    code, output = run("ledger", "verify", "--db", store.url)
    assert code == 1, output
    assert ("forged: witness arm.example/k appears with more than one key: key " in output
            and f"(checkpoint of {honest} entries); key {impostor_id} (checkpoint of {size} entries)" in output
            ), output
    assert (f"signed with key {key_id} registered at ledger entry" in output
            and "which no cosigned checkpoint before the approval covers" in output), output
