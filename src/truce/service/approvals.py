"""Approvals signed with the approving admin's own Ed25519 key.

An admin's token proves who calls; it is a secret the server keeps a hash
of, so someone with database write alone can write an approval "by
admin-2" that every other check of `truce ledger verify` accepts until the
next cosigned checkpoint. An admin who has a signing key (registered by
themselves: ``truce users key admin-2 --public-key a2.pub --token $T2``)
approves by signing the change with it (``truce users approve ID --token
$T2 --key a2.key``; ``POST /api/users/changes/{id}/approve`` with
``{"signature"}``): the signature covers ``approval_payload`` in the
canonical form reports use, and the ``user.change.approve`` entry keeps it.
From then on

- an approval by that admin without a signature that verifies against
  their key valid now is refused (``signed_approval``), and
- `truce ledger verify` names every approval by an admin who had a key
  valid then whose entry holds no signature that verifies against it
  (``unsigned_approvals``): database write alone has no private key.

An admin's first key counts only if they registered it themselves (an admin
registering another admin's key could then sign as them): verify names an
approval signed with a key someone else added. Admins without a key approve
with their token alone, as before: the protection is theirs to take.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ..domain.canonical import canonical_bytes, sha256_hex
from ..domain.exceptions import NotFound, PermissionDenied, ValidationError
from ..store import tables as t
from ..store.keys import KeyRecord, KeyRepository
from ..store.uow import UnitOfWork
from ..store.user_changes import ChangeRecord, ChangeRepository
from . import signing

__all__ = ["APPROVAL_TYPE", "approval_payload", "payload_for", "signed_approval", "unsigned_approvals"]

APPROVAL_TYPE = "truce.approval/v1"


def approval_payload(change: ChangeRecord, approver: str) -> dict[str, Any]:
    """What ``approver`` signs to approve ``change``: the change as proposed
    (its request by its SHA-256), and who approves it."""
    return {"type": APPROVAL_TYPE, "change": change.id, "user": change.user_id, "kind": change.kind,
            "public_key": change.public_key, "role": change.role, "party": change.party_id,
            "request_sha256": sha256_hex(canonical_bytes(change.request)) if change.request else None,
            "proposed_by": change.proposed_by, "approver": approver}


def payload_for(uow: UnitOfWork, change_id: str, approver: str) -> dict[str, Any]:
    """``approval_payload`` of the stored change ``change_id`` (for the signer)."""
    return approval_payload(uow.user_changes.get(change_id), approver)


def _own(key: KeyRecord, approver: str) -> bool:
    """Whether ``key`` speaks for ``approver``: added by them, or by a change two admins approved."""
    return key.added_by == approver or key.change_id is not None


def signed_approval(uow: UnitOfWork, change: ChangeRecord, approver_id: str, approver: str,
                    signature: str | None, now: datetime) -> dict[str, Any] | None:
    """What the approval entry keeps of the signature (``{"key", "signature"}``),
    or None when ``approver`` has no key valid ``now``. PermissionDenied when
    they have one and ``signature`` is missing or does not verify with it."""
    key = uow.keys.key_at(approver_id, now)
    if key is None:
        if signature:
            raise ValidationError(f"{approver} has no signing key to check the approval's signature against",
                                  field="signature", remedy=f"register yours first: `truce users key {approver} "
                                  "--public-key YOURS.pub --token $T`")
        return None
    if not signature:
        raise PermissionDenied(f"{approver} has a signing key ({key.id}): an approval of theirs is signed with it",
                               remedy=f"run `truce users approve {change.id} --token $T --key YOUR.key`")
    if not signing.verify({**approval_payload(change, approver), signing.SIGNATURE_FIELD: signature},
                          key.public_key):
        raise PermissionDenied(f"the approval's signature does not verify against {approver}'s key valid now "
                               f"({key.id})", remedy="sign with your own key file (`--key`)")
    return {"key": key.id, "signature": signature}


def _registered_at(connection: Connection) -> dict[str, int]:
    """key id -> the ledger entry that first holds its user_keys row (its place
    in the ledger's order, which the ``at`` a forger writes cannot move)."""
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.record_id, ledger.seq).where(
        ledger.record_id >= "user_keys/", ledger.record_id < "user_keys0", ledger.action == "row.insert"))
    found: dict[str, int] = {}
    for record_id, seq in rows:
        found.setdefault(record_id.split("/", 1)[1], seq)
    return found


def unsigned_approvals(connection: Connection, names: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(change id, what is wrong) for each approval whose entry's ``by``, its
    actor and the change's ``decided_by`` name different users (an entry
    written around truce: it could name an approver without a key while
    another acted), and for each approval by an admin (its ``by`` or its
    actor) whose key was registered before it in the ledger, whose entry
    holds no signature of the change by the key valid at its time (one
    registered before it)."""
    ids = {name: user_id for user_id, name in names.items()}
    keys, changes = KeyRepository(connection), ChangeRepository(connection)
    registered = _registered_at(connection)
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content, ledger.at, ledger.actor)
                              .where(ledger.action == "user.change.approve").order_by(ledger.seq))
    for seq, change_id, content, at, actor in rows:
        by = (content or {}).get("by")
        try:
            change = changes.get(change_id)
        except NotFound:  # a missing change row is reconciliation's finding
            continue
        named = {"by": by, "decided_by": change.decided_by}
        if actor in ids:  # entries of older versions were written by "cli"
            named["its actor"] = actor
        if len(set(named.values())) > 1:
            said = ", ".join(f"{field} {who}" for field, who in named.items())
            yield change_id, (f"approval at ledger entry {seq} names different approvers ({said}): it was "
                              "written around truce; each is checked for a signature of their key")
        for approver in dict.fromkeys((by, actor)):
            found = _unsigned(keys, registered, change, approver, ids, seq, at, content)
            if found:
                yield change_id, found


def _unsigned(keys: KeyRepository, registered: dict[str, int], change: ChangeRecord, approver: Any,
              ids: dict[str, str], seq: int, at: datetime, content: Any) -> str | None:
    """What is wrong with ``approver``'s signature on the approval entry
    ``seq`` of ``change``; None if they had no key before it, or it verifies."""
    if approver not in ids:
        return None
    before = [k for k in keys.history(ids[approver]) if registered.get(k.id, seq) < seq]
    if not before:
        return None  # an admin without a key approves with their token alone
    key = keys.key_at(ids[approver], at)
    signed = (content or {}).get("signed") or {}
    body = {**approval_payload(change, approver), signing.SIGNATURE_FIELD: signed.get("signature")}
    if key is None or key.id not in {k.id for k in before} or not signing.verify(body, key.public_key):
        held = key.id if key is not None else before[-1].id
        return (f"approved by {approver} at ledger entry {seq} without a signature of their key "
                f"{held}, registered before it: database write alone could have written this approval")
    if not _own(key, approver):
        return (f"approved by {approver} at ledger entry {seq}, signed with key {key.id} that "
                f"{key.added_by} registered for them: whoever registered it could have signed")
    return None
