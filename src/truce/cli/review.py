"""`truce review list|accept|reject`: the analyst's queue of extracted proposals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from ..domain.exceptions import ValidationError
from ..service.review import (
    accept_proposal,
    edit_and_accept,
    get_proposal,
    list_proposals,
    reject_proposal,
)
from .common import DbOption, FormatOption, OutputFormat, console, unit_of_work
from .ingest import print_proposals

app = typer.Typer(help="Review proposals extracted from texts: nothing counts until accepted.",
                  no_args_is_help=True)

ByOption = Annotated[str, typer.Option("--by", help="Who decides (recorded in the ledger).")]


@app.command("list")
def list_(
    status: Annotated[str, typer.Option(help="pending, accepted, rejected or all.")] = "pending",
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List proposals waiting for review (or decided ones).

    Example: truce review list --status pending
    """
    with unit_of_work(db) as uow:
        proposals = list_proposals(uow, status=None if status == "all" else status)
    print_proposals(proposals, f"{len(proposals)} proposals ({status})", fmt)


def _edits(pairs: list[str]) -> dict[str, Any]:
    edits: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValidationError(f"{pair!r} is not KEY=VALUE", field="set")
        try:
            edits[key] = json.loads(value)
        except json.JSONDecodeError:
            edits[key] = value
    return edits


@app.command()
def accept(
    proposal_id: Annotated[str, typer.Argument(help="The proposal's id.")],
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Correct a field first: KEY=VALUE (JSON values allowed), repeatable.")] = None,
    by: ByOption = "analyst",
    db: DbOption = None,
) -> None:
    """Accept a proposal: it becomes an incident (or joins the one it matches), a claim or a report.

    Example: truce review accept prop-1a2b3c4d5e6f --set start=2020-10-14
    """
    now = datetime.now(UTC)
    with unit_of_work(db, actor=by) as uow:
        if set_:
            result = edit_and_accept(uow, proposal_id, _edits(set_), by, now)
        else:
            result = accept_proposal(uow, proposal_id, by, now)
        kind = get_proposal(uow, proposal_id).kind
        uow.commit()
    console.print(f"Accepted {proposal_id} ({kind}): {result}")


@app.command()
def reject(
    proposal_id: Annotated[str, typer.Argument(help="The proposal's id.")],
    reason: Annotated[str, typer.Option(help="Why: noise, wrong reading, duplicate...")] = "",
    by: ByOption = "analyst",
    db: DbOption = None,
) -> None:
    """Reject a proposal; it stays on record as rejected.

    Example: truce review reject prop-1a2b3c4d5e6f --reason "caption, not news"
    """
    with unit_of_work(db, actor=by) as uow:
        reject_proposal(uow, proposal_id, by, datetime.now(UTC), reason)
        uow.commit()
    console.print(f"Rejected {proposal_id}")
