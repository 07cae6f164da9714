"""`truce users keys|rekey|role|changes|approve|reject`: key history, and
changes of a key or a role, which one admin proposes and a second approves.

On the command line an admin proves who they are with their own API token
(``--token`` or TRUCE_TOKEN): the two admins are two tokens, not two names
typed at a prompt.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from ..service import keys as service
from ..service.labels import counted
from ..service.users import list_users
from .common import DbOption, FormatOption, OutputFormat, console, emit_rows, unit_of_work
from .users import _KEY_HELP, AdminToken, _read_key, admin_principal, app

Reason = Annotated[str, typer.Option("--reason", help="Why; kept with the change.")]


def _change_line(c) -> str:
    what = {"key": f"key {c.public_key[:12]}…" if c.public_key else "key",
            "role": f"role {c.role}{' of ' + c.party_id if c.party_id else ''}",
            "enrolment": "a new device", "admin": "a new admin", "token": "a new token"}.get(c.kind, c.kind)
    return f"{c.id}: {what}, {c.status}"


@app.command()
def keys(name: Annotated[str, typer.Argument(help="User name.")], fmt: FormatOption = OutputFormat.TABLE,
         db: DbOption = None) -> None:
    """Show every signing key a user has had and when each was valid.

    Example: truce users keys obs-north-1
    """
    with unit_of_work(db) as uow:
        user, history = service.key_history(uow, name)
    rows = [{"id": k.id, "public_key": k.public_key, "key": k.public_key[:12] + "…", "valid_from": k.valid_from,
             "valid_until": k.valid_until or "now", "added_by": k.added_by, "reason": k.reason,
             "change": k.change_id, "ended_by": k.ended_by, "end_reason": k.end_reason} for k in history]
    emit_rows(rows, fmt, title=f"{counted(len(rows), 'key')} of {user.name}", no_wrap=("id",),
              columns=("key", "valid_from", "valid_until", "added_by", "reason", "change", "end_reason")
              if fmt is OutputFormat.TABLE else ("id", "public_key", "valid_from", "valid_until", "added_by",
                                                   "reason", "change", "ended_by", "end_reason"))


@app.command()
def rekey(
    name: Annotated[str, typer.Argument(help="User name.")],
    public_key: Annotated[Path, typer.Option("--public-key", help=_KEY_HELP)],
    reason: Reason,
    token: AdminToken = "",
    db: DbOption = None,
) -> None:
    """Propose a new signing key for a user; it takes effect when a second admin approves it.

    Example: truce users rekey obs-north-1 --public-key new.key.pub --reason "device replaced" --token $T
    """
    proposer = admin_principal(db, token)
    with unit_of_work(db, actor=proposer.name) as uow:
        change = service.propose_key(uow, name, _read_key(public_key), proposer, reason, datetime.now(UTC))
    console.print(f"proposed {_change_line(change)}; another admin approves with "
                  f"`truce users approve {change.id}`", highlight=False, soft_wrap=True)


@app.command()
def role(
    name: Annotated[str, typer.Argument(help="User name.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="observer, analyst, liaison or admin.")],
    reason: Reason,
    party: Annotated[str | None, typer.Option("--party", help="The party of a liaison.")] = None,
    token: AdminToken = "",
    db: DbOption = None,
) -> None:
    """Propose a new role for a user; it takes effect when a second admin approves it.

    Example: truce users role demo-analyst admin --reason "takes over user administration" --token $T
    """
    proposer = admin_principal(db, token)
    with unit_of_work(db, actor=proposer.name) as uow:
        change = service.propose_role(uow, name, new_role, party, proposer, reason, datetime.now(UTC))
    console.print(f"proposed {_change_line(change)} for {name}; another admin approves with "
                  f"`truce users approve {change.id}`", highlight=False, soft_wrap=True)


@app.command()
def changes(
    status: Annotated[str | None, typer.Option(
        "--status", help="pending, approved, rejected, superseded or signed (default: all).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List key and role changes: who proposed, who approved, and their state.

    Example: truce users changes --status pending
    """
    with unit_of_work(db) as uow:
        found = service.list_changes(uow, status=status)
        names = {u.id: u.name for u in list_users(uow)}
    rows = [{"id": c.id, "user": names.get(c.user_id, c.user_id), "change": _change_line(c).split(": ", 1)[1],
             "kind": c.kind, "public_key": c.public_key, "role": c.role, "party": c.party_id, "reason": c.reason,
             "proposed_by": c.proposed_by, "proposed_at": c.proposed_at, "status": c.status,
             "decided_by": c.decided_by, "decided_at": c.decided_at} for c in found]
    emit_rows(rows, fmt, title=counted(len(rows), "change"), no_wrap=("id",),
              columns=("id", "user", "change", "reason", "proposed_by", "decided_by")
              if fmt is OutputFormat.TABLE else ("id", "user", "kind", "public_key", "role", "party", "reason",
                                                   "proposed_by", "proposed_at", "status", "decided_by",
                                                   "decided_at"))


@app.command()
def approve(change_id: Annotated[str, typer.Argument(help="The change's id (chg-...).")],
            token: AdminToken = "",
            key: Annotated[Path | None, typer.Option(
                "--key", help="Your own signing key file: an admin who registered a key signs approvals "
                "with it.")] = None,
            db: DbOption = None) -> None:
    """Approve a key or role change another admin proposed; it takes effect at once.
    An admin who registered a signing key (`truce users key`) signs the
    approval with it (--key), so that database write alone cannot forge one;
    the key signs once a witness has cosigned a checkpoint that covers it.
    Once an admin signs, every admin does: one without a key is refused.

    Example: C=$(truce users changes --status pending --format json | jq -r 'select(.user == "obs-north-1" and .kind
        == "key") | .id')

    Example: truce users approve "$C" --token $T2
    """
    approver = admin_principal(db, token)
    with unit_of_work(db, actor=approver.name) as uow:
        signature = None
        if key is not None:
            from ..service import approvals, signing

            body = signing.sign(approvals.payload_for(uow, change_id, approver.name), signing.load_private_key(key))
            signature = body[signing.SIGNATURE_FIELD]
        change = service.approve(uow, change_id, approver, datetime.now(UTC), signature=signature)
    console.print(f"approved {_change_line(change)}", highlight=False)


@app.command()
def reject(change_id: Annotated[str, typer.Argument(help="The change's id (chg-...).")],
           token: AdminToken = "", db: DbOption = None) -> None:
    """Reject a waiting key or role change; nothing changes.

    Example: C=$(truce users changes --status pending --format json | jq -r 'select(.user == "demo-analyst" and
        .kind == "role") | .id')

    Example: truce users reject "$C" --token $T2
    """
    admin = admin_principal(db, token)
    with unit_of_work(db, actor=admin.name) as uow:
        change = service.reject(uow, change_id, admin, datetime.now(UTC))
    console.print(f"rejected {_change_line(change)}", highlight=False)
