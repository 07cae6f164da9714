"""What every command shares: the --db option, the console, error exits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine

from ..domain.bounds import check_day
from ..domain.exceptions import TruceError, ValidationError
from ..settings import get_settings
from ..store.engine import make_engine
from ..store.schema import current_revision, head_revision
from ..store.uow import UnitOfWork

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database: a SQLite path or postgresql+psycopg://... URL "
                 "(default: TRUCE_DATABASE_URL, else truce.db).", show_default=False),
]


def database_url(db: str | None) -> str:
    return db or get_settings().database_url


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_engine(db: str | None, *, require_schema: bool = True) -> Engine:
    """An engine for --db; fails with a remedy if unreachable or not initialised."""
    try:
        engine = make_engine(database_url(db))
    except TruceError as exc:
        fail(str(exc))
    if require_schema:
        revision = current_revision(engine)
        if revision is None:
            fail(f"{engine.url.render_as_string(hide_password=True)} has no truce schema "
                 "(run `truce init` first)")
        if revision != head_revision():
            fail(f"the database schema is at {revision}, this truce needs {head_revision()} "
                 "(run `truce db upgrade`)")
    return engine


def token_key(db: str | None) -> bytes:
    """The token key of --db's database (made, mode 0600, if missing)."""
    from ..service.tokens import load_token_key, token_key_path

    return load_token_key(token_key_path(database_url(db), get_settings().token_key_file))


def unit_of_work(db: str | None, actor: str = "cli") -> UnitOfWork:
    return UnitOfWork(open_engine(db), actor=actor)


def parse_day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a date (use YYYY-MM-DD)", field=field) from None
    return check_day(day, field)


def day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)
