"""Ending a signing admin's say takes two admins: deactivating them, or revoking their key.

Once an active admin has a signing key, every approval is signed
(``approvals``). Database write alone could undo that without a key: a
``user.deactivate`` of the only admin who signs, or a revocation of their
key, written with every hash recomputed, and unsigned approvals after it
would pass. So, for an admin who holds a signing key (``takes_two``):

- deactivating them (``truce users deactivate a1 --reason WHY --token $T2``)
  or revoking their key (``truce users revoke a1 --reason WHY --token $T2``)
  is a change one admin proposes and a second approves; while they sign,
  that approval is signed (``approvals.signed_approval``);
- `truce ledger verify` replays the ledger's images of users and keys in
  ledger order (which a forged ``at`` cannot move) and names every
  deactivation or revocation of such an admin that no change two admins
  approved, with an approval entry before it, brought about
  (``unapproved_endings``), and every deactivation that left fewer than
  ``users.BOOTSTRAP_ADMINS`` active admins, which truce refuses. The
  approval's own signature is ``approvals.unsigned_approvals``' to check.

A key closed in the transaction that opens the user's next key is a
replacement, which ``key_audit`` and ``admin_keys`` check.

>>> takes_two("admin", has_key=True), takes_two("admin", has_key=False), takes_two("observer", has_key=True)
(True, False, False)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from ..store import tables as t
from ..store.keys import KeyRecord
from ..store.uow import UnitOfWork
from ..store.user_changes import ChangeRecord, ChangeRepository
from ..store.users import UserRecord

__all__ = ["ENDINGS", "forged_entries", "signing_key", "takes_two", "unapproved_endings"]

ENDINGS = ("deactivate", "revoke")  # the change kinds that end a signing admin's say


def takes_two(role: Any, *, has_key: bool) -> bool:
    """Whether deactivating a user of ``role``, or revoking their key, is a
    change two admins make: they are an admin who holds a signing key."""
    return role == "admin" and has_key


def signing_key(uow: UnitOfWork, user: UserRecord) -> KeyRecord | None:
    """The open key of ``user`` when ending it or their account takes two
    admins (``takes_two``), else None."""
    key = uow.keys.open_key(user.id)
    return key if key is not None and takes_two(user.role, has_key=True) else None


def _two_admins(change: ChangeRecord, kind: str, user_id: str) -> bool:
    return (change.kind == kind and change.user_id == user_id and change.status == "approved"
            and bool(change.decided_by) and change.decided_by != change.proposed_by)


def _images(connection: Connection) -> list[tuple[int, str, str, dict[str, Any], int | None]]:
    """(seq, table, key, row image, cause) of every row entry of users and
    user_keys, in ledger order."""
    ledger = t.ledger.c
    found = []
    for table in ("users", "user_keys"):
        rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content, ledger.cause).where(
            ledger.record_id >= f"{table}/", ledger.record_id < f"{table}0",
            ledger.action.in_(("row.insert", "row.update"))))
        found += [(seq, table, record_id.split("/", 1)[1], (content or {}).get("row") or {}, cause)
                  for seq, record_id, content, cause in rows]
    return sorted(found, key=lambda image: image[0])


def unapproved_endings(connection: Connection, names: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(table, key, what is wrong) for each deactivation or revocation of an
    admin who held a signing key, in ledger order, that no change two admins
    approved (an approval entry of it before) brought about, and for each
    deactivation that left fewer than two active admins."""
    for _seq, table, key, what in _endings(connection, names):
        yield table, key, what


def forged_entries(connection: Connection, names: dict[str, str]) -> set[int]:
    """The ledger entries of the endings ``unapproved_endings`` names: void
    for the rules that follow them (``approvals.unsigned_approvals`` replays
    the ledger as if they had not happened, so an admin a forged ending
    silenced still signs, and unsigned approvals after it are named)."""
    return {seq for seq, _table, _key, _what in _endings(connection, names)}


def _endings(connection: Connection, names: dict[str, str]) -> Iterator[tuple[int, str, str, str]]:
    """(seq, table, key, what is wrong) of ``unapproved_endings``."""
    from .users import BOOTSTRAP_ADMINS

    ledger = t.ledger.c
    approved_at: dict[str, list[tuple[int, Any]]] = {}
    for seq, change_id, content in connection.execute(select(ledger.seq, ledger.record_id, ledger.content)
                                                      .where(ledger.action == "user.change.approve")):
        approved_at.setdefault(change_id, []).append((seq, (content or {}).get("by")))
    waiting = [c for c in ChangeRepository(connection).list() if c.kind in ENDINGS]
    images = _images(connection)
    replaced = {(cause, row.get("user_id")) for _seq, table, _key, row, cause in images
                if table == "user_keys" and cause is not None and not row.get("valid_until")}
    user_rows: dict[str, dict[str, Any]] = {}
    open_keys: dict[str, dict[str, tuple[int, Any]]] = {}  # user id -> key id -> (entry, public key)
    seen_keys: set[str] = set()

    def change_for(kind: str, user_id: str, seq: int, public_key: Any = None) -> ChangeRecord | None:
        for change in waiting:
            if (_two_admins(change, kind, user_id) and (kind != "revoke" or change.public_key == public_key)
                    and any(at < seq and by == change.decided_by for at, by in approved_at.get(change.id, []))):
                waiting.remove(change)
                return change
        return None

    for seq, table, key, row, cause in images:
        if table == "user_keys":
            user_id = row.get("user_id") or ""
            if key not in seen_keys:
                seen_keys.add(key)
                if not row.get("valid_until"):
                    open_keys.setdefault(user_id, {})[key] = (seq, row.get("public_key"))
                continue
            held = open_keys.get(user_id, {}).pop(key, None)
            if held is None or not row.get("valid_until") or (cause, user_id) in replaced:
                continue  # not an ending, or a replacement (``key_audit`` checks who made it)
            role = user_rows.get(user_id, {}).get("role")
            if takes_two(role, has_key=True) and change_for("revoke", user_id, seq, held[1]) is None:
                name = names.get(user_id, user_id)
                yield seq, "user_keys", key, (
                    f"{name}'s key revoked at ledger entry {seq} by one admin (registered at ledger entry "
                    f"{held[0]}): revoking the key of an admin who signs approvals is a change a second admin "
                    "approves with a signed approval, so database write alone could have written this, to let "
                    "unsigned approvals pass; find out who holds the database")
            continue
        before = user_rows.get(key)
        user_rows[key] = row
        if before is None or not before.get("active") or row.get("active"):
            continue
        name = names.get(key, key)
        was_admin = before.get("role") == "admin"
        if was_admin:
            left = sorted(names.get(u, u) for u, r in user_rows.items()
                          if u != key and r.get("role") == "admin" and r.get("active"))
            if len(left) < BOOTSTRAP_ADMINS:
                yield seq, "users", name, (
                    f"deactivated at ledger entry {seq}, leaving {'only ' + ', '.join(left) if left else 'no admin'} "
                    "active: truce refuses a deactivation that leaves fewer than two active admins (a change that "
                    "takes two admins could never be approved again); database write alone could have written it")
        held = open_keys.get(key, {})
        if was_admin and takes_two("admin", has_key=bool(held)) and change_for("deactivate", key, seq) is None:
            key_id, (entry, _public) = next(iter(held.items()))
            yield seq, "users", name, (
                f"deactivated at ledger entry {seq} by one admin while {name} signed approvals with key {key_id} "
                f"(registered at ledger entry {entry}): deactivating an admin who signs is a change a second "
                "admin approves with a signed approval, so database write alone could have written this, to let "
                "unsigned approvals pass; find out who holds the database")
