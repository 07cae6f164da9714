"""`truce alerts list|ack|evaluate|deliver` and `truce webhooks add`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from ..geo.naming import sector_label
from ..service.alerts import acknowledge_alert, alert_fields, alert_views, list_alerts
from ..service.labels import local_time
from ..service.users import Role
from ..service.violations import evaluate_all
from ..service.webhooks import add_webhook, deliver_pending
from .common import (
    DbOption,
    FormatOption,
    OutputFormat,
    TokenOption,
    acting_principal,
    console,
    emit_rows,
    heading,
    unit_of_work,
)

app = typer.Typer(help="Escalation alerts: list, acknowledge, evaluate.",
                  invoke_without_command=True)
webhooks_app = typer.Typer(help="Receivers of alerts by signed HTTP POST.", no_args_is_help=True)


@app.callback()
def alerts(ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """Escalation alerts; with no sub-command, list the unacknowledged ones.

    Example: truce alerts
    """
    if ctx.invoked_subcommand is None:
        _print(db, unacknowledged=True, kind=None, fmt=fmt)


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include acknowledged alerts.")] = False,
    kind: Annotated[str | None, typer.Option(help="spike, new_weapon, new_geography, "
                                             "civilian_harm or observer_danger.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List alerts, oldest first, with the incidents that raised them.

    Example: truce alerts list --all --kind new_geography
    """
    _print(db, unacknowledged=not all_, kind=kind, fmt=fmt)


def _print(db: str | None, *, unacknowledged: bool, kind: str | None, fmt: OutputFormat) -> None:
    with unit_of_work(db) as uow:
        found = alert_views(uow, list_alerts(uow, unacknowledged=unacknowledged, kind=kind))
    if fmt is not OutputFormat.TABLE:
        emit_rows([alert_fields(v.stored) for v in found], fmt)
        return
    title = "Alerts" + (" (unacknowledged)" if unacknowledged else "")
    heading(f"{title}: {len(found)}")
    for view in found:
        s, a = view.stored, view.alert
        console.print(f"[bold]{a.id}[/]  [yellow]{a.kind.value}[/]  {local_time(a.when)}  "
                      f"{a.agreement or '-'}  sector: {sector_label(a.sector) or '-'}  "
                      f"(raised {local_time(a.raised_at)})", highlight=False)
        console.print(f"    {a.message}", highlight=False)
        for i in view.incidents:
            console.print(f"    {i.id}: {i.title} ({local_time(i.start)}, "
                          f"{i.place or 'place not given'}, grade {i.grade or 'ungraded'})",
                          highlight=False)
        if s.acknowledged_at:
            console.print(f"    acknowledged by {s.acknowledged_by or '?'} at "
                          f"{local_time(s.acknowledged_at)}: {s.note}", highlight=False)


@app.command()
def ack(
    alert_id: Annotated[str, typer.Argument(help="The alert id (al-...).")],
    note: Annotated[str, typer.Option("--note", help="What was done about it.")],
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Acknowledge an alert with a note (ledgered), as the analyst whose --token it is.

    Example: truce alerts ack al-124cff075a32d44b --note "Raised with both liaison officers" --token $TA
    """
    by = acting_principal(db, token, roles=(Role.ANALYST,)).name
    with unit_of_work(db, actor=by) as uow:
        acknowledge_alert(uow, alert_id, note, by, datetime.now(UTC))
    console.print(f"Acknowledged {alert_id}.")


@app.command()
def evaluate(db: DbOption = None) -> None:
    """Recompute geometry facts and violations of every agreement; raise new alerts.

    Example: truce alerts evaluate
    """
    with unit_of_work(db) as uow:
        summary = evaluate_all(uow, datetime.now(UTC))
    total = sum(summary.violations.values())
    console.print(f"Located {summary.located} incidents; {total} violations across "
                  f"{len(summary.violations)} agreements; {len(summary.alerts)} new alerts.")


@app.command()
def deliver(db: DbOption = None) -> None:
    """Post the alert deliveries that are due to their webhooks, once.

    Example: truce alerts deliver
    """
    with unit_of_work(db, actor="webhook-delivery") as uow:
        result = deliver_pending(uow, datetime.now(UTC))
    console.print(f"Delivered {result.delivered}; {result.retrying} to retry; "
                  f"{result.failed} failed for good.")


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="http(s) URL that receives POSTs.")],
    secret: Annotated[str, typer.Option("--secret", help="Shared HMAC secret, 16+ characters.")],
    db: DbOption = None,
) -> None:
    """Register a webhook; every new alert is POSTed to it, signed with HMAC-SHA256.

    Example: truce webhooks add https://hq.example/alerts --secret "a-long-random-shared-secret"
    """
    with unit_of_work(db) as uow:
        webhook_id = add_webhook(uow, url, secret, datetime.now(UTC))
    console.print(f"Registered webhook {webhook_id} -> {url}")
