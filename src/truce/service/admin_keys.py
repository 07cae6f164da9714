"""An admin's signing key is a change two admins make, once an admin signs approvals.

A key signs approvals (``service.approvals``), so whoever can register an
admin's key can approve as them. Database write alone can forge a first
key (its ``user_keys`` row and ``user.key`` entry "by admin-2", every hash
recomputed) and leave it until a witness cosigns past it. So, while an
active admin has a signing key:

- an admin's first key is proposed, like a replacement, and a second admin
  approves it with a signed approval (``truce users key admin-2
  --public-key a2.key.pub --token $T2`` proposes it; ``truce users approve ID
  --token $T1 --key a1.key``): ``users.register_key`` proposes instead
  of registering; a later key is a change already (``service.keys``), or a
  request signed with the key it replaces;
- `truce ledger verify` names every admin key registered, in ledger order
  (which a forged ``at`` cannot move), while another active admin had a key,
  that no change two admins approved brought in, with an approval entry
  before it (``unapproved``; the approval's own signature is
  ``approvals.unsigned_approvals``' to check), and truce refuses an
  approval signed with one (``problem``).

Before any admin has a key (bootstrap), an admin's first key is their own
act, as before: nobody could approve it with a signature.

A key that signs approvals counts as an admin key too, whenever it was
registered: a user made admin later signs only with a key two admins let in.

>>> # users.register_key(uow, "admin-2", pub, now, by=admin_2)  # admin-1 signs: (admin-2, the change)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..store.ledger_reads import LedgerRepository
from ..store.uow import UnitOfWork
from ..store.user_changes import ChangeRecord, ChangeRepository

__all__ = ["UnapprovedKey", "problem", "signing_admin", "unapproved"]

MIGRATED = "schema 0010"  # keys that upgrade rebuilt predate every rule on keys


@dataclass(frozen=True)
class UnapprovedKey:
    """An admin key registered by one admin while another signed approvals."""

    key_id: str
    user: str
    entry: int  # the ledger entry that registered it
    what: str
    ended: bool = False  # a later key replaced it, or it was revoked
    signed: bool = False  # an approval entry names it as its key

    @property
    def harmless(self) -> bool:
        """Ended before it signed any approval: nothing rests on it any more."""
        return self.ended and not self.signed


def signing_admin(uow: UnitOfWork, user_id: str) -> tuple[str, str] | None:
    """(name, key id) of another active admin who signs approvals, if the
    user is an admin: then a key of theirs takes a second admin."""
    user = uow.users.get_by_id(user_id)
    if user.role != "admin":
        return None
    return uow.keys.signing_admin(user_id)


def _two_admins(change: ChangeRecord | None, user_id: str, public_key: Any) -> bool:
    """Whether ``change`` is a key change of the user that two different admins made."""
    return (change is not None and change.kind in ("key", "enrolment") and change.user_id == user_id
            and change.status == "approved" and bool(change.decided_by) and change.decided_by != change.proposed_by
            and (change.kind != "key" or change.public_key == public_key))


def unapproved(ledger: LedgerRepository, changes: ChangeRepository, names: dict[str, str], *,
               signing: frozenset[str] = frozenset()) -> Iterator[UnapprovedKey]:
    """Every admin key registered while another active admin had a key
    (ledger order) that no change two admins approved brought in (a first
    key), or whose approved change has no approval entry before it (the
    change row written around truce). An admin key is one registered while
    its user was an admin, or one that signs approvals (kept in an approval
    entry, or in ``signing``: a user made admin later signs with no key one
    admin registered). A key a signed request brought in, or a later key
    with no change at all, is ``key_audit``'s to name."""
    by_id = {c.id: c for c in changes.list()}
    approved: dict[str, list[tuple[int, Any]]] = {}
    signs = set(signing)
    for seq, change_id, content in ledger.action_entries("user.change.approve"):
        approved.setdefault(change_id, []).append((seq, content.get("by")))
        signed = content.get("signed")
        if isinstance(signed, dict) and isinstance(signed.get("key"), str):
            signs.add(signed["key"])
    images = sorted([(seq, "users", key, row) for seq, key, row in ledger.row_images("users")]
                    + [(seq, "user_keys", key, row) for seq, key, row in ledger.row_images("user_keys")])
    admin: dict[str, tuple[bool, bool]] = {}  # user id -> (role admin, active)
    open_keys: dict[str, dict[str, int]] = {}  # user id -> key id -> entry that registered it
    seen: set[str] = set()
    had_key: set[str] = set()
    ended: set[str] = set()
    found: list[UnapprovedKey] = []
    for seq, table, key, row in images:
        if table == "users":
            admin[key] = (row.get("role") == "admin", bool(row.get("active")))
            continue
        user_id = row.get("user_id") or ""
        if key in seen:
            if row.get("valid_until"):
                open_keys.get(user_id, {}).pop(key, None)
                ended.add(key)
            continue
        seen.add(key)
        first = user_id not in had_key
        had_key.add(user_id)
        if not row.get("valid_until"):
            open_keys.setdefault(user_id, {})[key] = seq
        admin_key = admin.get(user_id, (False, False))[0] or key in signs
        migrated = row.get("added_by") == MIGRATED and not row.get("change_id")
        if not admin_key or migrated:
            continue
        signer = next(((other, kid, at) for other, held in sorted(open_keys.items()) if other != user_id
                       and admin.get(other, (False, False)) == (True, True) for kid, at in held.items()), None)
        if signer is None:
            continue  # bootstrap: no admin signed approvals yet
        change = by_id.get(row.get("change_id") or "")
        if change is not None and change.status == "signed":
            continue  # signed by the key before: ``key_audit`` checks the signature
        name = names.get(user_id, user_id)
        signer_text = (f"while {names.get(signer[0], signer[0])} signed approvals with key {signer[1]} "
                       f"(registered at ledger entry {signer[2]})")
        todo = (f"find out who holds the database, and have {name} propose a key in its place (`truce users "
                f"rekey {name} --public-key FILE --reason WHY --token $T`), which another admin approves with a "
                "signed approval and which ends this one")
        if not _two_admins(change, user_id, row.get("public_key")):
            if first:
                found.append(UnapprovedKey(key, name, seq, (
                    f"{name}'s first key, registered at ledger entry {seq} by one admin {signer_text}: once an admin "
                    "signs, an admin's key is proposed and a second admin approves it, so database write alone "
                    f"could have written this one; {todo}")))
            continue
        assert change is not None
        if not any(at < seq and by == change.decided_by for at, by in approved.get(change.id, [])):
            found.append(UnapprovedKey(key, name, seq, (
                f"{name}'s key registered at ledger entry {seq} names change {change.id}, approved by "
                f"{change.decided_by}, but no approval entry of it comes before the key {signer_text}: the change row "
                f"was written around truce (database write alone); {todo}")))
    for finding in found:
        yield replace(finding, ended=finding.key_id in ended, signed=finding.key_id in signs)


def problem(uow: UnitOfWork, key_id: str) -> UnapprovedKey | None:
    """The finding of ``unapproved`` about ``key_id``, or None."""
    names = {u.id: u.name for u in uow.users.list()}
    return next((found for found in unapproved(uow.ledger, uow.user_changes, names, signing=frozenset({key_id}))
                 if found.key_id == key_id), None)
