"""`truce sources list` and `truce actors list`: the ids other commands take."""

from __future__ import annotations

from typing import Annotated

import typer

from ..service.directory import check_party, list_actors, list_sources
from ..service.labels import counted
from .common import DbOption, FormatOption, OutputFormat, emit_rows, unit_of_work

sources_app = typer.Typer(help="Sources: where information came from.", no_args_is_help=True)
actors_app = typer.Typer(help="Actors: who acts or speaks.", no_args_is_help=True)


@sources_app.command("list")
def sources_list(fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """List sources (the ids `incidents add --source` takes), newest first.

    Example: truce sources list --format csv
    """
    with unit_of_work(db) as uow:
        found = list_sources(uow)
    rows = [{"id": s.id, "name": s.name, "kind": s.kind, "published": s.published,
             "affiliation": s.affiliation, "actor": s.actor, "repeats": s.repeats, "url": s.url}
            for s in found]
    emit_rows(rows, fmt, title=counted(len(rows), "source"),
              columns=("id", "name", "kind", "published", "affiliation", "repeats"))


@actors_app.command("list")
def actors_list(
    party: Annotated[str | None, typer.Option("--party", help="Only actors of this party (ARM, AZE, NKR).")] = None,
    fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None,
) -> None:
    """List actors (ministries, spokespeople, mediators, media) with their party.

    Example: truce actors list --party ARM
    """
    with unit_of_work(db) as uow:
        if party:
            check_party(uow, party)
        found = list_actors(uow, party)
    rows = [{"id": a.id, "name": a.name, "kind": a.kind, "party": a.party, "aliases": list(a.aliases)}
            for a in found]
    emit_rows(rows, fmt, title=counted(len(rows), "actor"))
