"""`truce ledger ...`: check the hash-chained record of every write."""

from __future__ import annotations

import typer

from ..store import ledger
from .common import DbOption, console, err_console, open_engine

app = typer.Typer(help="The tamper-evident ledger.", no_args_is_help=True)


@app.command()
def verify(db: DbOption = None) -> None:
    """Walk the chain; name the first entry that does not match (exit 1).

    Example: truce ledger verify --db truce.db
    """
    with open_engine(db).connect() as connection:
        check = ledger.verify(connection)
    if not check.ok:
        err_console.print(f"[bold red]ledger tampered:[/] entry {check.first_bad}: {check.reason}",
                          highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"ok: {check.entries} entries, head {check.head}", highlight=False)


@app.command()
def head(db: DbOption = None) -> None:
    """Print the newest entry's number and hash (publish it daily).

    Example: truce ledger head
    """
    with open_engine(db).connect() as connection:
        seq, entry_hash = ledger.head(connection)
    console.print(f"{seq} {entry_hash}", highlight=False)
