"""`truce init` and `truce db upgrade`."""

from __future__ import annotations

import typer

from ..domain.exceptions import TruceError
from ..service.tokens import load_token_key, token_key_path
from ..settings import get_settings
from ..store.engine import make_engine
from ..store.schema import current_revision, head_revision
from ..store.schema import upgrade as upgrade_schema
from .common import DbOption, console, database_url, fail

app = typer.Typer(help="Database schema.", no_args_is_help=True)


def init(db: DbOption = None) -> None:
    """Create an empty truce database (SQLite in WAL mode, or PostgreSQL).

    Example: truce init --db truce.db
    """
    try:
        engine = make_engine(database_url(db))
    except TruceError as exc:
        fail(str(exc))
    revision = current_revision(engine)
    if revision is not None:
        fail(f"{engine.url.render_as_string(hide_password=True)} already holds a truce schema "
             f"(revision {revision}); use `truce db upgrade`, or another database")
    upgrade_schema(engine)
    key_file = token_key_path(database_url(db), get_settings().token_key_file)
    try:
        load_token_key(key_file)
    except TruceError as exc:
        fail(str(exc))
    console.print(f"Created {engine.url.render_as_string(hide_password=True)} "
                  f"at schema revision {head_revision()}; API tokens are hashed with the key "
                  f"in {key_file} (mode 0600; back it up apart from the database).")


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Upgrade an older truce database to this version's schema, keeping all data.

    Example: truce db upgrade --db truce.db
    """
    try:
        engine = make_engine(database_url(db))
    except TruceError as exc:
        fail(str(exc))
    before = current_revision(engine)
    if before is None:
        fail("this database has no truce schema (run `truce init` first)")
    upgrade_schema(engine)
    after = current_revision(engine)
    if before == after:
        console.print(f"Already at the newest schema ({after}).")
    else:
        console.print(f"Upgraded schema {before} -> {after}.")


@app.command()
def revision(db: DbOption = None) -> None:
    """Print the database's schema revision and this truce's newest one.

    Example: truce db revision
    """
    try:
        engine = make_engine(database_url(db))
    except TruceError as exc:
        fail(str(exc))
    console.print(f"database: {current_revision(engine) or 'none'}  newest: {head_revision()}")
