"""Who spoke as whom: keys, roles and signatures checked for `truce ledger verify`.

Reconciliation (``store.reconcile``) finds rows written around truce. This
finds changes written through it that break the rule of ``service.keys``,
and reports that do not verify:

- a key after a user's first that neither a second admin approved nor the
  key before it signed (``key replaced by one admin``);
- two keys of a user valid at once, or users.public_key that is not the open key;
- a role that changed (in the ledger's images of the user) without an
  approved role change by two admins (``role changed by one admin``);
- an admin made by one admin once the store had two (``admin created by
  one admin``): from the third on, one proposes and a second approves;
- an approval made with a token that the change's own proposer issued
  (``approved with a token the proposer issued``): whoever saw a token can
  act as its holder, so such an approval is one admin's act; a token its
  holder renewed is followed back to the first one someone else issued
  (the renewal was made with it, by whoever held it);
- a token hash bound to its user on first use (``user.token.bind``) whose
  legacy hash or prefix is not the one the ledger last held for that user,
  or that follows an image already bound: a legacy hash written around
  truce or copied from another user's row, then bound here (the token swap);
- an approval by an admin who had a signing key then, without a signature
  of the change by that key, or with a key no cosigned checkpoint older than
  the approval covers; an unsigned approval made while another admin
  signed approvals (``approvals``);
- an admin key registered by one admin while another admin signed
  approvals, with no change two admins approved (``admin_keys``);
- a deactivation of an admin who signed approvals, or a revocation of
  their key, that no change two admins approved brought about, and a
  deactivation that left fewer than two active admins (``admin_endings``);
- an observer report whose signature does not verify against the key
  valid for its observer when it was received.

Keys registered before schema 0010 (``added_by = "schema 0010"``) predate
the rule and are accepted as they are. Users and keys are few; reports are
read a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from ..store import tables as t
from ..store.keys import KeyRecord, KeyRepository
from ..store.ledger_reads import LedgerRepository
from ..store.user_changes import ChangeRecord, ChangeRepository
from . import admin_endings, admin_keys, signing
from .approvals import unsigned_approvals
from .tokens import is_bound
from .users import BOOTSTRAP_ADMINS

__all__ = ["IdentityFinding", "audit", "report_signature"]

MIGRATED = "schema 0010"  # who 0010_key_history says added the keys it rebuilt
PAGE = 2000


@dataclass(frozen=True)
class IdentityFinding:
    table: str
    key: str
    what: str

    def __str__(self) -> str:
        return f"{self.table} {self.key}: {self.what}"


def _authorised(key: KeyRecord, before: KeyRecord, change: ChangeRecord | None, admins: set[str]) -> str | None:
    """Why ``key`` (replacing ``before``) is not authorised; None if it is."""
    if change is None:
        return "key replaced by one admin: no second admin approved it and the key before did not sign it"
    if change.user_id != key.user_id or change.kind not in ("key", "enrolment"):
        return f"key names change {change.id}, which is not a key change of this user"
    if change.kind == "key" and change.public_key != key.public_key:
        return f"key differs from the one change {change.id} approved"
    if change.status == "signed":
        request = change.request or {}
        if request.get("replaces") != before.public_key or not signing.verify(request, before.public_key):
            return f"the request of change {change.id} is not signed by the key before"
        return None
    if change.status != "approved":
        return f"key replaced by one admin: change {change.id} is {change.status}, not approved"
    if not change.decided_by or change.decided_by == change.proposed_by:
        return f"key replaced by one admin: change {change.id} was proposed and approved by {change.proposed_by}"
    if not {change.proposed_by, change.decided_by} <= admins:
        return f"change {change.id} names a proposer or approver who is no user"
    return None


def _keys(connection: Connection, names: dict[str, str], admins: set[str]) -> Iterator[IdentityFinding]:
    repo, changes = KeyRepository(connection), ChangeRepository(connection)
    by_id = {c.id: c for c in changes.list()}
    current = dict(connection.execute(select(t.users.c.id, t.users.c.public_key)).all())
    for user_id, name in names.items():
        history = repo.history(user_id)
        open_keys = [k for k in history if k.valid_until is None]
        shown = open_keys[-1].public_key if open_keys else None
        if current.get(user_id) != shown:
            yield IdentityFinding("users", name, "public_key is not the open key of its key history")
        for earlier, later in zip(history, history[1:], strict=False):
            if earlier.valid_until is None or earlier.valid_until > later.valid_from:
                yield IdentityFinding("user_keys", later.id, f"valid at the same time as {earlier.id} ({name})")
            if later.added_by == MIGRATED and later.change_id is None:
                continue
            why = _authorised(later, earlier, by_id.get(later.change_id or ""), admins)
            if why:
                yield IdentityFinding("user_keys", later.id, f"{why} ({name})")


def _images(connection: Connection) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(seq, user id, row image) of every row entry of users, in order."""
    ledger = t.ledger.c
    last = 0
    while True:
        rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content).where(
            and_(ledger.record_id >= "users/", ledger.record_id < "users0"),
            ledger.action.in_(("row.insert", "row.update")), ledger.seq > last).order_by(ledger.seq).limit(PAGE)).all()
        if not rows:
            return
        for seq, record_id, content in rows:
            yield seq, record_id.split("/", 1)[1], (content or {}).get("row", {})
        last = rows[-1][0]


def _roles(connection: Connection, names: dict[str, str], admins: set[str]) -> Iterator[IdentityFinding]:
    approved: dict[str, list[ChangeRecord]] = {}
    for change in ChangeRepository(connection).list(status="approved"):
        if change.kind == "role" and change.decided_by and change.decided_by != change.proposed_by:
            approved.setdefault(change.user_id, []).append(change)
    ledger = t.ledger.c
    approvals: dict[str, list[tuple[int, Any]]] = {}  # change id -> (seq, by) of its approval entries
    for at, change_id, content in connection.execute(select(ledger.seq, ledger.record_id, ledger.content)
                                                     .where(ledger.action == "user.change.approve")):
        approvals.setdefault(change_id, []).append((at, (content or {}).get("by")))
    role: dict[str, str] = {}
    for seq, user_id, row in _images(connection):
        new = row.get("role")
        old = role.get(user_id)
        role[user_id] = new
        if old is None or old == new:
            continue
        waiting = approved.get(user_id, [])
        match = next((c for c in waiting if c.role == new and any(
            at < seq and by == c.decided_by for at, by in approvals.get(c.id, []))), None)
        if match is None:
            yield IdentityFinding("users", names.get(user_id, user_id),
                                  f"role changed by one admin: {old} to {new} (ledger entry {seq}) "
                                  "with no role change two admins approved (an approval entry of it before)")
        else:
            waiting.remove(match)


def _new_admins(connection: Connection, names: dict[str, str]) -> Iterator[IdentityFinding]:
    """Admins made by one admin: in the ledger's images of the users, an
    admin who appears active (added so, or an inactive one made active)
    while the store already had ``BOOTSTRAP_ADMINS`` admins, with no
    ``admin`` change a second admin approved. A role changed to admin is
    ``_roles``' to check."""
    approved = {c.user_id for c in ChangeRepository(connection).list(status="approved")
                if c.kind == "admin" and c.decided_by and c.decided_by != c.proposed_by}
    admins: set[str] = set()  # users whose role is admin now, active or not: what add_user counts
    before: dict[str, tuple[Any, bool]] = {}
    for seq, user_id, row in _images(connection):
        role, active = row.get("role"), bool(row.get("active"))
        earlier = before.get(user_id)
        before[user_id] = (role, active)
        others = len(admins - {user_id})
        if role == "admin":
            admins.add(user_id)
        else:
            admins.discard(user_id)
            continue
        if not active or (earlier is not None and (earlier[0] != "admin" or earlier[1])):
            continue  # inactive (a proposal), a role change (``_roles``), or already an active admin
        if others < BOOTSTRAP_ADMINS or user_id in approved:
            continue
        yield IdentityFinding("users", names.get(user_id, user_id),
                              f"admin created by one admin (ledger entry {seq}): the store had {others} admins "
                              "and no second admin approved it")


TOKEN_ISSUES = ("user.token", "user.add")  # the action entries that give a user a token


def _issuer(connection: Connection, seq: int, cause: int | None, user_id: str, actor: str | None) -> str:
    """Who saw the token a users row entry ``seq`` installed: the ``by`` of
    its transaction's ``user.token`` entry (a token change's proposer), else
    that entry's actor, else the row entry's own."""
    ledger = t.ledger.c
    if cause is not None and cause < seq:
        found = connection.execute(select(ledger.actor, ledger.content).where(
            ledger.seq >= cause, ledger.seq < seq, ledger.record_id == user_id,
            ledger.action.in_(TOKEN_ISSUES)).order_by(ledger.seq.desc()).limit(1)).first()
        if found is not None:
            return (found.content or {}).get("by") or found.actor or "cli"
    return actor or "cli"


def _tokens(connection: Connection, names: dict[str, str]
            ) -> tuple[dict[str, list[tuple[int, str]]], dict[str, tuple[str, int, int | None]]]:
    """From the ledger's images of the users: per user id, (seq, token
    prefix) each time the token changed; per prefix, (who issued the root of
    its chain, the seq it was issued at, the seq of the newest self-renewal
    it came by, or None). A holder renewing their own token (``users token
    ME``) does it with the token they hold, so the new token's issuer is the
    old one's, followed to the first token someone else issued."""
    ledger = t.ledger.c
    held: dict[str, list[tuple[int, str]]] = {}
    issued: dict[str, tuple[str, int, int | None]] = {}
    last = 0
    while True:
        rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content, ledger.cause, ledger.actor)
                                  .where(and_(ledger.record_id >= "users/", ledger.record_id < "users0"),
                                         ledger.action.in_(("row.insert", "row.update")), ledger.seq > last)
                                  .order_by(ledger.seq).limit(PAGE)).all()
        if not rows:
            return held, issued
        for seq, record_id, content, cause, actor in rows:
            user_id = record_id.split("/", 1)[1]
            prefix = ((content or {}).get("row") or {}).get("token_prefix")
            timeline = held.setdefault(user_id, [])
            if prefix and (not timeline or timeline[-1][1] != prefix):
                issuer = _issuer(connection, seq, cause, user_id, actor)
                if issuer == names.get(user_id) and timeline:
                    # a self-renewal is made with the token held before: whoever saw that one
                    # sees this one, so it keeps that token's issuer (the chain's root)
                    issued.setdefault(prefix, (*issued[timeline[-1][1]][:2], seq))
                else:
                    issued.setdefault(prefix, (issuer, seq, None))
                timeline.append((seq, prefix))
        last = rows[-1][0]


def _approvals(connection: Connection, names: dict[str, str]) -> Iterator[IdentityFinding]:
    """Approvals made with a token the change's proposer issued: the proposer
    saw that token, so could have approved their own change with it."""
    held, issued = _tokens(connection, names)
    ids = {name: user_id for user_id, name in names.items()}
    ledger = t.ledger.c
    rows = connection.execute(select(ledger.seq, ledger.record_id, ledger.content)
                              .where(ledger.action == "user.change.approve").order_by(ledger.seq))
    for seq, change_id, content in rows:
        approver, proposer = (content or {}).get("by"), (content or {}).get("proposed_by")
        used = [prefix for at, prefix in held.get(ids.get(approver, ""), []) if at < seq]
        if not used or not proposer:
            continue
        issuer, issued_at, renewed_at = issued[used[-1]]
        if issuer == proposer:
            renewed = "" if renewed_at is None else f", renewed with it as {approver} at entry {renewed_at}"
            yield IdentityFinding("user_changes", change_id,
                                  f"approved by {approver} with a token {proposer} issued (ledger entry "
                                  f"{issued_at}{renewed}): {proposer}, who proposed the change, could have "
                                  f"approved it as {approver}; a one-admin change")


def _bindings(connection: Connection, names: dict[str, str]) -> Iterator[IdentityFinding]:
    """Each ``user.token.bind`` that does not bind the legacy hash the ledger
    held for the user: its previous image of the row already held a bound
    hash (nothing was left to bind), the legacy hash it replaced
    (``replaces``) is not the one that image held (written around truce),
    or its row image (the row entry after it) holds another token prefix
    (a legacy hash copied from another user's row)."""
    ledger = t.ledger.c
    binds = connection.execute(select(ledger.seq, ledger.record_id, ledger.content)
                               .where(ledger.action == "user.token.bind").order_by(ledger.seq)).all()
    for seq, user_id, content in binds:
        images = (select(ledger.content).where(ledger.record_id == f"users/{user_id}",
                                                ledger.action.in_(("row.insert", "row.update"))))
        before = connection.execute(images.where(ledger.seq < seq).order_by(ledger.seq.desc()).limit(1)).scalar()
        after = connection.execute(images.where(ledger.seq > seq).order_by(ledger.seq).limit(1)).scalar()
        earlier = (before or {}).get("row") or {}
        held, held_hash = earlier.get("token_prefix"), earlier.get("token_hash") or ""
        bound = ((after or {}).get("row") or {}).get("token_prefix")
        name = names.get(user_id, user_id)
        replaced = (content or {}).get("replaces")
        if is_bound(held_hash):
            yield IdentityFinding("users", name,
                                  f"token bound to this user at ledger entry {seq}, but the ledger's image of "
                                  "the row before it already held a bound hash: the legacy hash bound was "
                                  "written around truce (database write); find out who holds the database")
        elif replaced is not None and replaced != held_hash:
            yield IdentityFinding("users", name,
                                  f"token bound to this user at ledger entry {seq} replaced a legacy hash that "
                                  "is not the one the ledger held for them: it was written around truce "
                                  "(database write); find out who holds the database")
        if held != bound:
            yield IdentityFinding("users", name,
                                  f"token bound to this user at ledger entry {seq} is not the one the ledger "
                                  f"held for them (prefix {bound}, held {held}): another user's token hash was "
                                  "copied onto this row and used as this user; find out who holds the database")


def report_signature(connection: Connection, observer_id: str, received: datetime,
                     payload: dict[str, Any], signature: str) -> KeyRecord | None:
    """The key valid for the observer at ``received`` if it verifies the
    stored report; None if none does."""
    key = KeyRepository(connection).key_at(observer_id, received)
    body = {**(payload or {}).get("report", {}), signing.SIGNATURE_FIELD: signature}
    return key if key is not None and signing.verify(body, key.public_key) else None


def _reports(connection: Connection, names: dict[str, str],
             progress: Callable[[int], None] | None) -> Iterator[IdentityFinding]:
    r = t.reports.c
    last = ""
    while True:
        rows = connection.execute(select(r.id, r.observer_id, r.received, r.payload, r.signature).where(
            r.signature.is_not(None), r.observer_id.is_not(None), r.id > last).order_by(r.id).limit(PAGE)).all()
        if not rows:
            return
        for report_id, observer, received, payload, signature in rows:
            if report_signature(connection, observer, received, payload, signature) is None:
                yield IdentityFinding("reports", report_id, "signature does not verify against the key valid for "
                                      f"{names.get(observer, observer)} when it was received")
        if progress is not None:
            progress(len(rows))
        last = rows[-1][0]


def signed_report_count(connection: Connection) -> int:
    r = t.reports.c
    return connection.execute(select(func.count()).select_from(t.reports).where(
        r.signature.is_not(None), r.observer_id.is_not(None))).scalar_one()


def audit(connection: Connection, *, progress: Callable[[int], None] | None = None,
          cosigned: Iterable[int] | None = None) -> Iterator[IdentityFinding]:
    """Every key, role and signature that breaks the rule, as found;
    ``cosigned``: the tree sizes of the cosigned checkpoints trusted (default:
    every one stored), which an approval's key must be covered by."""
    users = connection.execute(select(t.users.c.id, t.users.c.name, t.users.c.role)).all()
    names = {u.id: u.name for u in users}
    admins = set(names.values())  # their role then is in the ledger; that they are two is the rule here
    yield from _keys(connection, names, admins)
    yield from _roles(connection, names, admins)
    yield from _new_admins(connection, names)
    yield from _approvals(connection, names)
    yield from _bindings(connection, names)
    for found in admin_keys.unapproved(LedgerRepository(connection), ChangeRepository(connection), names):
        if not found.harmless:  # one replaced before it signed anything: nothing rests on it
            yield IdentityFinding("user_keys", found.key_id, found.what)
    for table, key, what in admin_endings.unapproved_endings(connection, names):
        yield IdentityFinding(table, key, what)
    for change_id, what in unsigned_approvals(connection, names, cosigned):
        yield IdentityFinding("user_changes", change_id, what)
    yield from _reports(connection, names, progress)
