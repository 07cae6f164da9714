"""`truce init` and `truce db upgrade`."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from ..domain.exceptions import TruceError
from ..service.tokens import load_token_key, token_key_path
from ..settings import get_settings
from ..store.engine import make_engine
from ..store.schema import current_revision, head_revision
from ..store.schema import upgrade as upgrade_schema
from .common import DbOption, console, database_url, fail, missing_sqlite_file, open_engine

app = typer.Typer(help="Database schema.", no_args_is_help=True)


def init(db: DbOption = None) -> None:
    """Create an empty truce database (SQLite in WAL mode, or PostgreSQL).

    Example: truce init --db new.db
    """
    created = missing_sqlite_file(database_url(db))
    try:
        engine = make_engine(database_url(db))
        revision = current_revision(engine)
        if revision is not None:
            fail(f"{engine.url.render_as_string(hide_password=True)} already holds a truce schema "
                 f"(revision {revision}); use `truce db upgrade`, or another database")
        upgrade_schema(engine)
        key_file = token_key_path(database_url(db), get_settings().token_key_file)
        load_token_key(key_file)
    except (TruceError, SQLAlchemyError) as exc:
        _remove(created)
        fail(str(exc).splitlines()[0])
    except BaseException:
        _remove(created)
        raise
    console.print(f"Created {engine.url.render_as_string(hide_password=True)} "
                  f"at schema revision {head_revision()}; API tokens are hashed with the key "
                  f"in {key_file} (mode 0600; back it up apart from the database).")


def _remove(created: Path | None) -> None:
    """Remove the SQLite file (and its WAL companions) a failed init created."""
    if created is None:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{created}{suffix}").unlink(missing_ok=True)


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Upgrade an older truce database to this version's schema, keeping all data.

    Example: truce db upgrade --db truce.db
    """
    engine = open_engine(db, require_schema=False)
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
    engine = open_engine(db, require_schema=False)
    console.print(f"database: {current_revision(engine) or 'none'}  newest: {head_revision()}")
