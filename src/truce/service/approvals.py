"""Approvals signed with the approving admin's own Ed25519 key.

An admin's token proves who calls; it is a secret the server keeps a hash
of, so someone with database write alone can write an approval "by
admin-2" that every other check of `truce ledger verify` accepts until the
next cosigned checkpoint. An admin who has a signing key (registered by
themselves: ``truce users key admin-2 --public-key a2.key.pub --token $T2``)
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
approval signed with a key someone else added.

Database write alone can also forge the key: a ``user_keys`` row and its
``user.key`` entry "by admin-2", with a key whose private half the forger
holds. So a key signs approvals only once a witness has vouched for it:

- the key counts only if its registration entry is covered by a cosigned
  checkpoint older than the approval (a tree of N entries, the key's entry
  at or before N, the approval after N): ``signed_approval`` refuses an
  approval with a key no stored cosigned checkpoint covers yet, and verify
  names one (``uncovered_key``). A forger must then get the forged key past
  a witness (where `ledger verify` shows it as not covered yet) before
  using it, instead of writing key and approval at once;
- once an active admin has a signing key, approvals are signed: an admin
  without a key is refused (register one, and have it covered, first), and
  verify names an unsigned approval made after another admin's key was
  registered (``keyless_approval``), so naming a keyless admin as the
  approver does not dodge the signature.

Only in a mission where no admin has a key do admins approve with their
token alone, as before: the protection is theirs to take.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from ..domain.canonical import canonical_bytes, sha256_hex
from ..domain.exceptions import NotFound, PermissionDenied, ValidationError
from ..store import tables as t
from ..store.keys import KeyRecord, KeyRepository
from ..store.ledger_reads import LedgerRepository, trusted_cosignatures
from ..store.uow import UnitOfWork
from ..store.user_changes import ChangeRecord, ChangeRepository
from . import admin_endings, admin_keys, signing

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
                                  "--public-key YOURS.key.pub --token $T`")
        signer = uow.keys.signing_admin(approver_id)
        if signer is not None:
            raise PermissionDenied(f"{approver} has no signing key, and {signer[0]} signs approvals with key "
                                   f"{signer[1]}: once an admin signs, every approval is signed",
                                   remedy=f"register your key (`truce users key {approver} --public-key YOURS.key.pub "
                                   f"--token $T`, which {signer[0]} approves), have a witness cosign a checkpoint "
                                   "that covers it, then run "
                                   f"`truce users approve {change.id} --token $T --key YOUR.key`")
        return None
    unapproved = admin_keys.problem(uow, key.id)
    if unapproved is not None:
        raise PermissionDenied(f"{approver}'s key {key.id} does not sign approvals: {unapproved.what}")
    if not signature:
        raise PermissionDenied(f"{approver} has a signing key ({key.id}): an approval of theirs is signed with it",
                               remedy=f"run `truce users approve {change.id} --token $T --key YOUR.key`")
    if not signing.verify({**approval_payload(change, approver), signing.SIGNATURE_FIELD: signature},
                          key.public_key):
        raise PermissionDenied(f"the approval's signature does not verify against {approver}'s key valid now "
                               f"({key.id})", remedy="sign with your own key file (`--key`)")
    registered = uow.ledger.first_row_entry(f"user_keys/{key.id}")
    covered = uow.ledger.newest_cosigned_size() or 0
    if registered is None or registered > covered:
        at = f"at ledger entry {registered}" if registered is not None else "outside the ledger"
        raise PermissionDenied(f"{approver}'s key {key.id} was registered {at}, which no cosigned checkpoint "
                               f"covers yet{f' (the newest covers {covered} entries)' if covered else ''}: "
                               "a key signs approvals once a witness has vouched for it",
                               remedy="sign a checkpoint (`truce ledger checkpoint -o cp.txt`), have a witness "
                               "cosign it (`truce ledger cosign cp.txt --key WITNESS.key --log-key log.key.pub`), "
                               f"then approve {change.id} again")
    return {"key": key.id, "signature": signature}


def _registered_at(connection: Connection) -> dict[str, int]:
    """key id -> the ledger entry that first holds its user_keys row (its place
    in the ledger's order, which the ``at`` a forger writes cannot move): its
    insert, or for a key schema 0010 rebuilt, the image that upgrade ledgered
    (``LedgerRepository.first_row_entry``, for every key)."""
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.record_id, ledger.seq).where(
        ledger.record_id >= "user_keys/", ledger.record_id < "user_keys0",
        ledger.action.in_(("row.insert", "row.update"))).order_by(ledger.seq))
    found: dict[str, int] = {}
    for record_id, seq in rows:
        found.setdefault(record_id.split("/", 1)[1], seq)
    return found


def _cosigned_sizes(connection: Connection) -> list[int]:
    trusted, _findings = trusted_cosignatures(connection)
    return sorted({row.tree_size for row in trusted})


def _admin_images(connection: Connection) -> list[tuple[int, str, bool]]:
    """(seq, user id, whether the row is an active admin) of every row entry
    of users, in ledger order: who was an admin at each point of the ledger."""
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content).where(
        ledger.record_id >= "users/", ledger.record_id < "users0",
        ledger.action.in_(("row.insert", "row.update"))).order_by(ledger.seq))
    found = []
    for seq, record_id, content in rows:
        row = (content or {}).get("row") or {}
        found.append((seq, record_id.split("/", 1)[1], row.get("role") == "admin" and bool(row.get("active"))))
    return found


def unsigned_approvals(connection: Connection, names: dict[str, str],
                       cosigned: Iterable[int] | None = None) -> Iterator[tuple[str, str]]:
    """(change id, what is wrong) for each approval whose entry's ``by``, its
    actor and the change's ``decided_by`` name different users (an entry
    written around truce: it could name an approver without a key while
    another acted), for each approval by an admin (its ``by`` or its
    actor) whose key was registered before it in the ledger, whose entry
    holds no signature of the change by the key valid at its time (one
    registered before it), or whose key no cosigned checkpoint older than
    the approval covers (``cosigned``: the tree sizes trusted, default every
    stored one), and for each unsigned approval made while another active
    admin had a key registered before it. A deactivation or revocation
    ``admin_endings`` names as forged is void here: the admin it silenced
    still signs, for every approval after it."""
    ids = {name: user_id for user_id, name in names.items()}
    keys, changes = KeyRepository(connection), ChangeRepository(connection)
    void = admin_endings.forged_entries(connection, names)
    registered, closed = _registered_at(connection), _closed_at(connection, void)
    unapproved = {found.key_id: found.entry
                  for found in admin_keys.unapproved(LedgerRepository(connection), changes, names)}
    sizes = sorted(cosigned) if cosigned is not None else _cosigned_sizes(connection)
    images, admins, seen = _admin_images(connection), set(), 0
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content, ledger.at, ledger.actor)
                              .where(ledger.action == "user.change.approve").order_by(ledger.seq))
    for seq, change_id, content, at, actor in rows:
        while seen < len(images) and images[seen][0] < seq:
            at_entry, user_id, admin = images[seen]
            if at_entry not in void:
                (admins.add if admin else admins.discard)(user_id)
            seen += 1
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
        approval = _Approval(change, seq, at, content, sizes, registered, closed, unapproved)
        for approver in dict.fromkeys((by, actor)):
            found = _unsigned(keys, approval, approver, ids) or _keyless(keys, approval, approver, ids, admins,
                                                                         names)
            if found:
                yield change_id, found


@dataclass(frozen=True)
class _Approval:
    """One ``user.change.approve`` entry, with what its checks read."""

    change: ChangeRecord
    seq: int
    at: datetime
    content: Any
    cosigned: list[int]  # the trusted cosigned tree sizes, ascending
    registered: dict[str, int]  # key id -> the entry that registered it
    closed: dict[str, int]  # key id -> the entry that ended its validity
    unapproved: dict[str, int]  # key id -> its entry, of admin keys no second admin approved (``admin_keys``)

    def covered_before(self, key_id: str) -> int | None:
        """A cosigned tree size N with the key's entry <= N < this approval, or None."""
        entry = self.registered.get(key_id)
        if entry is None:
            return None
        return next((n for n in reversed(self.cosigned) if entry <= n < self.seq), None)


def _unsigned(keys: KeyRepository, approval: _Approval, approver: Any, ids: dict[str, str]) -> str | None:
    """What is wrong with ``approver``'s signature on the approval entry; None
    if they had no key before it, or it verifies with a key a cosigned
    checkpoint older than the approval covers."""
    if approver not in ids:
        return None
    seq = approval.seq
    before = [k for k in keys.history(ids[approver]) if approval.registered.get(k.id, seq) < seq]
    if not before:
        return None  # an admin without a key: ``_keyless``
    key = keys.key_at(ids[approver], approval.at) or next(
        (k for k in reversed(before) if approval.closed.get(k.id, seq + 1) > seq), None)  # one the approval ends
    signed = (approval.content or {}).get("signed") or {}
    body = {**approval_payload(approval.change, approver), signing.SIGNATURE_FIELD: signed.get("signature")}
    if key is None or key.id not in {k.id for k in before} or not signing.verify(body, key.public_key):
        held = key.id if key is not None else before[-1].id
        if signed.get("signature"):
            return (f"approved by {approver} at ledger entry {seq}, signed with a key that is not {approver}'s "
                    f"(the signature does not verify against their key {held}, registered before it): database "
                    "write alone could have written this approval")
        return (f"approved by {approver} at ledger entry {seq} without a signature of their key "
                f"{held}, registered before it: database write alone could have written this approval")
    if not _own(key, approver):
        return (f"approved by {approver} at ledger entry {seq}, signed with key {key.id} that "
                f"{key.added_by} registered for them: whoever registered it could have signed")
    if key.id in approval.unapproved:
        return (f"approved by {approver} at ledger entry {seq}, signed with key {key.id} registered at ledger "
                f"entry {approval.unapproved[key.id]} by one admin while another signed approvals (named with "
                "user_keys): database write alone could have written both the key and the approval")
    if approval.covered_before(key.id) is None:
        return (f"approved by {approver} at ledger entry {seq}, signed with key {key.id} registered at ledger "
                f"entry {approval.registered[key.id]}, which no cosigned checkpoint before the approval covers: "
                "database write alone could have written both the key and the approval; a key signs approvals "
                "once a witness has cosigned a checkpoint that covers it")
    return None


def _keyless(keys: KeyRepository, approval: _Approval, approver: Any, ids: dict[str, str], admins: set[str],
             names: dict[str, str]) -> str | None:
    """An approval by ``approver``, who had no key before it, made while
    another active admin had a key registered before it: once an admin signs,
    every approval is signed. None otherwise."""
    if approver not in ids:
        return None
    seq = approval.seq
    if any(approval.registered.get(k.id, seq) < seq for k in keys.history(ids[approver])):
        return None  # they had a key: ``_unsigned``
    for user_id in sorted(admins - {ids[approver]}):
        for key in keys.history(user_id):  # valid then by ledger order: the ``at`` a forger writes moves nothing
            closed = approval.closed.get(key.id)
            if approval.registered.get(key.id, seq) < seq and (closed is None or closed > seq):
                return (f"approved by {approver} at ledger entry {seq} without a signature, while "
                        f"{names.get(user_id, user_id)} signed approvals with key {key.id} (registered at ledger "
                        f"entry {approval.registered[key.id]}): once an admin signs, every approval is signed; "
                        "database write alone could have written this approval")
    return None


def _closed_at(connection: Connection, void: set[int]) -> dict[str, int]:
    """key id -> the first ledger entry whose image of its user_keys row has
    ended its validity (revoked or replaced), leaving out the ``void`` entries
    (revocations that ``admin_endings`` names as forged)."""
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.record_id, ledger.seq, ledger.content).where(
        ledger.record_id >= "user_keys/", ledger.record_id < "user_keys0", ledger.action == "row.update")
        .order_by(ledger.seq))
    found: dict[str, int] = {}
    for record_id, seq, content in rows:
        if seq not in void and ((content or {}).get("row") or {}).get("valid_until"):
            found.setdefault(record_id.split("/", 1)[1], seq)
    return found
