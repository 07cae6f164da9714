"""`truce users ...`: who may use the API, with which role, key and token."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from ..domain.exceptions import ValidationError
from ..domain.links import http_url
from ..service import users as service
from ..service.labels import counted
from .common import (
    DbOption,
    FormatOption,
    OutputFormat,
    acting_principal,
    console,
    emit_rows,
    fail,
    token_key,
    unit_of_work,
)

app = typer.Typer(help="API users: roles, signing keys, tokens.", no_args_is_help=True)

_KEY_HELP = "File holding the Ed25519 public key (base64 or PEM)."
_EXPIRES_HELP = "The token stops working after this many days."
KeyFile = Annotated[Path | None, typer.Option("--public-key", help=_KEY_HELP)]
Expires = Annotated[int | None, typer.Option("--expires-days", help=_EXPIRES_HELP, min=1, max=3650)]


AdminToken = Annotated[str, typer.Option("--token", envvar="TRUCE_TOKEN", show_default=False,
                                         help="Your own admin API token (or TRUCE_TOKEN).")]


def admin_principal(db: str | None, token: str) -> service.Principal:
    """The admin behind ``token`` on ``db``'s database; PermissionDenied otherwise.
    On the command line two admins are two tokens, not two names typed in."""
    return acting_principal(db, token, roles=(service.Role.ADMIN,))


def _read_key(path: Path) -> str:
    try:
        return path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read {path}: {exc}", field="public_key") from None


def _show_token(name: str, token: str) -> None:
    console.print(f"token for [bold]{name}[/] (shown once; only its hash is kept):")
    console.print(token, highlight=False, soft_wrap=True)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="observer, analyst, liaison or admin.")],
    party: Annotated[str | None, typer.Option(
        "--party", help="The party a liaison speaks for (ARM, AZE, ...).")] = None,
    public_key: KeyFile = None,
    expires_days: Expires = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the token, for a script: "
                                        "T=$(truce users add NAME --role admin --quiet).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why this user becomes an admin (a third admin on: kept with the proposal).")] = None,
    token: AdminToken = "",
    db: DbOption = None,
) -> None:
    """Add a user and print their API token, once.

    The first two admins of a store are added by one act each; from the
    third on, an admin proposes the new one with their --token and a
    --reason, and its token works once a second admin runs `truce users approve`.

    Example: truce users add obs-north-1 --role observer

    Example: TARM=$(truce users add liaison-arm --role liaison --party ARM --quiet)

    Example: TAZE=$(truce users add liaison-aze --role liaison --party AZE --quiet)

    Example: TMED=$(truce users add mediator1 --role analyst --quiet)

    Example: truce users add admin-3 --role admin --reason "joins the mission's HQ" --token $T
    """
    key = _read_key(public_key) if public_key else None
    by = admin_principal(db, token) if token else None
    with unit_of_work(db, actor=by.name if by else "cli") as uow:
        user, new = service.add_user(uow, name, role, datetime.now(UTC), token_key=token_key(db),
                                     party=party, public_key=key, expires_days=expires_days, by=by,
                                     reason=reason)
        waiting = None if user.active else uow.user_changes.pending(user.id, "admin")[0]
    if quiet:
        typer.echo(new)
        if waiting is not None:
            typer.echo(f"proposed {waiting.id}: the token works once another admin runs "
                       f"`truce users approve {waiting.id}`", err=True)
        return
    console.print(f"added {user.name} ({user.role}{', ' + user.party if user.party else ''})")
    if waiting is not None:
        console.print(f"proposed {waiting.id}: {user.name}'s token works once another admin runs "
                      f"`truce users approve {waiting.id}`", highlight=False, soft_wrap=True)
    _show_token(user.name, new)


@app.command("list")
def list_(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List users with their role, party, key and whether they are active.

    Example: truce users list
    """
    with unit_of_work(db) as uow:
        users = service.list_users(uow)
    rows = [{"name": u.name, "role": u.role, "party": u.party, "public_key": u.public_key,
             "active": u.active, "token_expires": u.token_expires_at} for u in users]
    if fmt is OutputFormat.TABLE:  # a person reads the key's start, and "never" for no expiry
        rows = [{**r, "signing_key": r["public_key"][:12] + "…" if r["public_key"] else None,
                 "token_expires": r["token_expires"] or "never"} for r in rows]
    emit_rows(rows, fmt, title=counted(len(users), "user"), no_wrap=("name",),
              columns=("name", "role", "party", "signing_key", "active", "token_expires")
              if fmt is OutputFormat.TABLE else ("name", "role", "party", "public_key", "active",
                                                   "token_expires"))


@app.command()
def key(
    name: Annotated[str, typer.Argument(help="User name.")],
    public_key: Annotated[Path, typer.Option("--public-key", help=_KEY_HELP)],
    token: AdminToken = "",
    db: DbOption = None,
) -> None:
    """Register the first key a user signs reports with (a later one: `truce users rekey`).
    Needs your admin --token (a store with no admin yet needs none). An
    admin's own first key, once another admin signs approvals, is proposed:
    a second admin approves it (`truce users approve ID --key`).

    Example: truce users key obs-north-1 --public-key observer.key.pub --token $T
    """
    by = admin_principal(db, token) if token else None
    with unit_of_work(db, actor=by.name if by else "cli") as uow:
        user, waiting = service.register_key(uow, name, _read_key(public_key), datetime.now(UTC), by=by)
    if waiting is not None:
        console.print(f"proposed {waiting.id}: {user.name}'s first signing key takes effect once another admin "
                      f"runs `truce users approve {waiting.id} --token $T --key THEIR.key`", highlight=False,
                      soft_wrap=True)
        return
    console.print(f"{user.name} now signs with key {user.public_key}")


@app.command()
def token(
    name: Annotated[str, typer.Argument(help="User name.")],
    expires_days: Expires = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why another admin gets a new token (kept with the proposal).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the token, for a script: "
                                        "T=$(truce users token NAME --token $T --quiet).")] = False,
    token: AdminToken = "",
    db: DbOption = None,
) -> None:
    """Issue a new token (printed once); the old one stops working.

    Needs your admin --token (a store with no admin yet needs none). A new
    token for another admin, once the store has two, is a proposal: give a
    --reason; it works (and the old one stops) once a second admin runs
    `truce users approve`. With --quiet only the token goes to standard
    output (a proposal's id and what to do to standard error).

    Example: truce users token obs-north-1 --token $T

    Example: TA=$(truce users token demo-analyst --token $T --quiet)
    """
    from ..service.keys import issue_token

    by = admin_principal(db, token) if token else None
    with unit_of_work(db, actor=by.name if by else "cli") as uow:
        user, new, waiting = issue_token(uow, name, datetime.now(UTC), by, expires_days=expires_days,
                                         token_key=token_key(db), reason=reason)
    proposed = None if waiting is None else (
        f"proposed {waiting.id}: {user.name}'s new token works once another admin runs "
        f"`truce users approve {waiting.id}`; until then the old one keeps working")
    if quiet:
        typer.echo(new)
        if proposed is not None:
            typer.echo(proposed, err=True)
        return
    if proposed is not None:
        console.print(proposed, highlight=False, soft_wrap=True)
    _show_token(user.name, new)


EndingReason = Annotated[str | None, typer.Option(
    "--reason", help="Why (an admin who signs approvals: kept with the proposal a second admin approves).")]


def _proposed_ending(uow, name: str, kind: str, what: str) -> str | None:
    """The line for a proposed deactivation or revocation of an admin who signs, if one waits."""
    user = uow.users.get(name)
    waiting = uow.user_changes.pending(user.id, kind)
    if not waiting:
        return None
    return (f"proposed {waiting[-1].id}: {what} once another admin runs `truce users approve {waiting[-1].id} "
            "--token $T --key THEIR.key` (a signed approval: an admin who signs approvals is concerned)")


@app.command()
def deactivate(name: Annotated[str, typer.Argument(help="User name.")], reason: EndingReason = None,
               token: AdminToken = "", db: DbOption = None) -> None:
    """Stop a user's token from working; what they wrote stays. Needs your
    admin --token (a store with no admin yet needs none). An admin is not
    deactivated if fewer than two active admins would remain (two-admin
    changes could never be approved again): add a third admin first. An
    admin who holds a signing key is deactivated by a change: give
    --reason, and a second admin approves it with a signed approval.

    Example: truce users deactivate obs-north-1 --token $T
    """
    by = admin_principal(db, token) if token else None
    with unit_of_work(db, actor=by.name if by else "cli") as uow:
        service.deactivate(uow, name, datetime.now(UTC), by=by, reason=reason)
        proposed = _proposed_ending(uow, name, "deactivate", f"{name} is deactivated")
    console.print(proposed or f"{name} deactivated", highlight=False, soft_wrap=True)


def _terminal_qr(text: str) -> str:
    """``text`` as a QR code drawn with block characters, for a phone's camera."""
    import io

    import qrcode

    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    out = io.StringIO()
    qr.print_ascii(out=out, invert=True)
    return out.getvalue()


@app.command()
def enrol(
    name: Annotated[str, typer.Argument(help="Observer's user name (created if new).")],
    valid_minutes: Annotated[int, typer.Option("--valid-minutes", help="How long the code works.")] = 30,
    server: Annotated[str, typer.Option("--server", envvar="TRUCE_SERVER",
                                        help="The server's address as the phone reaches it.")
                      ] = "http://127.0.0.1:8000",
    qr: Annotated[bool, typer.Option("--qr/--no-qr", help="Draw the QR code.")] = True,
    token: AdminToken = "",
    db: DbOption = None,
) -> None:
    """Print a one-time code (and its QR code) that enrols an observer's field device.

    The observer opens SERVER/field/ and types the code, or scans the QR
    code; the device makes its own key pair and receives its token. Needs
    your admin --token (a store with no admin yet needs none). For an
    observer who had a key, the code works once a second admin approves the
    new device.

    Example: truce users enrol obs-north-1 --valid-minutes 30 --server https://hq.example --token $T
    """
    from ..service.enrolment import create_enrolment, pending_enrolment

    if http_url(server) is None:
        fail(f"--server must be the http:// or https:// address observers' phones reach, not {server!r}")
    by = admin_principal(db, token) if token else None
    with unit_of_work(db, actor=by.name if by else "cli") as uow:
        user, code, expires = create_enrolment(uow, name, datetime.now(UTC), valid_minutes=valid_minutes, by=by)
        waiting = pending_enrolment(uow, user.id)
    if waiting is not None:
        console.print(f"{user.name} had a key: this code works once another admin runs "
                      f"`truce users approve {waiting.id}`", highlight=False, soft_wrap=True)
    url = f"{server.rstrip('/')}/field/#enrol={code}"
    console.print(f"enrolment code for [bold]{user.name}[/] (once, until {expires.isoformat(timespec='minutes')}):")
    console.print(code, highlight=False)
    console.print(f"or open {url}", highlight=False, soft_wrap=True)
    if qr:
        console.print(_terminal_qr(url), highlight=False, soft_wrap=True)


@app.command()
def revoke(name: Annotated[str, typer.Argument(help="Observer's (or admin's) user name.")],
           reason: EndingReason = None, token: AdminToken = "", db: DbOption = None) -> None:
    """End the key and token of an observer's lost or stolen device; reports
    received earlier stay and keep their signatures. Needs your admin
    --token (a store with no admin yet needs none). An admin's signing key
    is revoked by a change (its token stays): give --reason, and a second
    admin approves it with a signed approval.

    Example: truce users revoke obs-north-1 --token $T
    """
    from ..service.enrolment import revoke_device

    by = admin_principal(db, token) if token else None
    with unit_of_work(db, actor=by.name if by else "cli") as uow:
        revoke_device(uow, name, datetime.now(UTC), by=by, reason=reason)
        proposed = _proposed_ending(uow, name, "revoke", f"{name}'s signing key ends")
    if proposed is not None:
        console.print(proposed, highlight=False, soft_wrap=True)
        return
    console.print(f"{name}: device key and token ended; enrol a new device with "
                  f"`truce users enrol {name} --token $T`", highlight=False, soft_wrap=True)
