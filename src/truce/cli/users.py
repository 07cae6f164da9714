"""`truce users ...`: who may use the API, with which role, key and token."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..domain.exceptions import ValidationError
from ..service import users as service
from .common import DbOption, console, unit_of_work

app = typer.Typer(help="API users: roles, signing keys, tokens.", no_args_is_help=True)

_KEY_HELP = "File holding the Ed25519 public key (base64 or PEM)."
_EXPIRES_HELP = "The token stops working after this many days."
KeyFile = Annotated[Path | None, typer.Option("--public-key", help=_KEY_HELP)]
Expires = Annotated[int | None, typer.Option("--expires-days", help=_EXPIRES_HELP)]


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
    db: DbOption = None,
) -> None:
    """Add a user and print their API token, once.

    Example: truce users add obs-north-1 --role observer --public-key observer.key.pub
    """
    key = _read_key(public_key) if public_key else None
    with unit_of_work(db, actor="cli") as uow:
        user, token = service.add_user(uow, name, role, datetime.now(UTC), party=party,
                                       public_key=key, expires_days=expires_days)
        uow.commit()
    console.print(f"added {user.name} ({user.role}{', ' + user.party if user.party else ''})")
    _show_token(user.name, token)


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List users with their role, party, key and whether they are active.

    Example: truce users list
    """
    with unit_of_work(db) as uow:
        users = service.list_users(uow)
    table = Table(title=f"{len(users)} users")
    for column in ("name", "role", "party", "signing key", "active", "token expires"):
        table.add_column(column)
    for u in users:
        table.add_row(u.name, u.role, u.party or "", (u.public_key or "")[:12] + ("…" if u.public_key else ""),
                      "yes" if u.active else "no",
                      u.token_expires_at.isoformat() if u.token_expires_at else "never")
    console.print(table)


@app.command()
def key(
    name: Annotated[str, typer.Argument(help="User name.")],
    public_key: Annotated[Path, typer.Option("--public-key", help=_KEY_HELP)],
    db: DbOption = None,
) -> None:
    """Register or replace the key an observer signs reports with.

    Example: truce users key obs-north-1 --public-key observer.key.pub
    """
    with unit_of_work(db, actor="cli") as uow:
        user = service.set_public_key(uow, name, _read_key(public_key))
        uow.commit()
    console.print(f"{user.name} now signs with key {user.public_key}")


@app.command()
def token(
    name: Annotated[str, typer.Argument(help="User name.")],
    expires_days: Expires = None,
    db: DbOption = None,
) -> None:
    """Issue a new token (printed once); the old one stops working.

    Example: truce users token obs-north-1
    """
    with unit_of_work(db, actor="cli") as uow:
        user, new = service.rotate_token(uow, name, datetime.now(UTC), expires_days)
        uow.commit()
    _show_token(user.name, new)


@app.command()
def deactivate(name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = None) -> None:
    """Stop a user's token from working; what they wrote stays.

    Example: truce users deactivate obs-north-1
    """
    with unit_of_work(db, actor="cli") as uow:
        service.deactivate(uow, name, datetime.now(UTC))
        uow.commit()
    console.print(f"{name} deactivated")
