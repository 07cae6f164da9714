"""`truce review list|accept|reject|incident|attach|dismiss`: the analyst's queue of
extracted proposals and of observer reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from ..domain.exceptions import ValidationError
from ..service.labels import counted, local_time, uncertainty
from ..service.report_review import (
    QueuedReport,
    attach_reports,
    dismiss_reports,
    incident_from_reports,
    queued_reports,
)
from ..service.review import (
    accept_proposal,
    edit_and_accept,
    get_proposal,
    list_proposals,
    reject_proposal,
)
from ..service.users import Role
from .common import (
    DbOption,
    FormatOption,
    OutputFormat,
    TokenOption,
    acting_principal,
    console,
    emit_rows,
    heading,
    indented,
    unit_of_work,
)
from .ingest import print_proposals

app = typer.Typer(help="Review proposals extracted from texts and observers' reports: nothing "
                  "counts until accepted.", no_args_is_help=True)
KINDS = ("proposal", "report", "all")



def _analyst(db: str | None, token: str) -> str:
    """The name of the analyst behind ``token``: who decides (the review routes admit analysts)."""
    return acting_principal(db, token, roles=(Role.ANALYST,)).name


@app.command("list")
def list_(
    status: Annotated[str, typer.Option(help="pending, accepted, rejected or all.")] = "pending",
    kind: Annotated[str, typer.Option(help="proposal (from texts), report (observers' reports "
                                      "in no incident, not yet decided) or all.")] = "all",
    fmt: FormatOption = OutputFormat.TABLE,
    db: DbOption = None,
) -> None:
    """List proposals and observer reports waiting for review (or decided proposals).

    Example: truce review list --kind report
    """
    if kind not in KINDS:
        raise ValidationError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}", field="kind")
    with unit_of_work(db) as uow:
        proposals = list_proposals(uow, status=None if status == "all" else status) \
            if kind != "report" else []
        reports = queued_reports(uow) if kind != "proposal" else []
    if fmt is not OutputFormat.TABLE:
        emit_rows([*({"queue": "proposal", "id": p.id, "kind": p.kind, "status": p.status,
                      "summary": p.sentence, "payload": p.payload} for p in proposals),
                   *({"queue": "report", "id": q.report.id, "kind": q.report.kind, "status": q.status,
                      "answers": q.answers,
                      "summary": q.report.summary, "observed_at": q.report.observed_at,
                      "observer": q.report.observer, "observer_name": q.observer_name,
                      "estimate": None if q.estimate is None else
                      {"latitude": q.estimate.latitude, "longitude": q.estimate.longitude,
                       "uncertainty_m": q.estimate.uncertainty_m},
                      "restriction": q.restriction,
                      "suggestions": [s.incident_id for s in q.suggestions]} for q in reports)],
                  fmt, columns=("queue", "id", "kind", "status", "summary", "observed_at", "observer_name"))
        return
    if kind != "report":
        print_proposals(proposals, f"{counted(len(proposals), 'proposal')} ({status})")
    if kind != "proposal":
        print_reports(reports)


def print_reports(queued: list[QueuedReport]) -> None:
    """Observer reports in the queue: position, estimated target, what was seen, matches."""
    answered = sum(1 for q in queued if q.answers)
    answers = f" ({answered} answered a task)" if answered else ""
    heading(f"{counted(len(queued), 'observer report')} waiting{answers}")
    for q in queued:
        r, e = q.report, q.estimate
        console.print(f"[bold]{r.id}[/]  {r.kind}", highlight=False)
        indented(f"observed {local_time(r.observed_at)} by {q.observer_label}")
        indented(r.summary)
        indented(f"status: {q.status}")
        if q.observer_position:
            p = q.observer_position
            indented(f"observer at {p['latitude']:.5f}, {p['longitude']:.5f}"
                          + (f" ({uncertainty(p['accuracy_m'])})" if p.get("accuracy_m") else ""))
        if e is not None and e.from_bearing:
            indented(f"estimated target {e.latitude:.5f}, {e.longitude:.5f} "
                          f"{uncertainty(e.uncertainty_m)}")
        for o in q.observations:
            bearing = (f", bearing {o['bearing_deg']:g}°, {o['distance_m']:g} m"
                       if o.get("bearing_deg") is not None else "")
            indented(f"saw: {o.get('count', 1)} × {o['what']} ({o['how']}"
                          f"{bearing})")
        if q.restriction:
            x = q.restriction
            indented(f"{x['kind']} at {x['place_name'] or 'place not given'}, imposed by "
                          f"{x['imposed_by'] or 'unknown'}"
                          + (f", {x['duration_min']} min" if x['duration_min'] is not None else ""))
        for ev in q.evidence:
            indented(f"evidence: {ev['filename']} ({ev['content_type']}, {ev['size']} B, "
                          f"sha256 {ev['sha256'][:12]}…)")
        for s in q.suggestions:
            indented(f"may be {s.incident_id}: {s.title} ({s.reason})")


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
    new: Annotated[bool, typer.Option("--new", help="An event proposal becomes a new incident "
                                      "even where it matches one on record.")] = False,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Accept a proposal: it becomes an incident (or joins the one it matches), a claim or a report.

    The analyst whose --token it is decides (as for every step of review).

    Example: P=$(truce review list --kind proposal --format json | jq -r 'select(.kind == "event") | .id' | head -1)

    Example: truce review accept "$P" --set start=2020-10-14 --token $TA
    """
    now = datetime.now(UTC)
    if new:
        set_ = [*(set_ or []), "link=null"]
    by = _analyst(db, token)
    with unit_of_work(db, actor=by) as uow:
        if set_:
            result = edit_and_accept(uow, proposal_id, _edits(set_), by, now)
        else:
            result = accept_proposal(uow, proposal_id, by, now)
        kind = get_proposal(uow, proposal_id).kind
    console.print(f"Accepted {proposal_id} ({kind}): {result}")


@app.command()
def reject(
    proposal_id: Annotated[str, typer.Argument(help="The proposal's id.")],
    reason: Annotated[str, typer.Option(help="Why: noise, wrong reading, duplicate...")] = "",
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Reject a proposal; it stays on record as rejected.

    Example: P=$(truce review list --kind proposal --format json | head -1 | jq -r .id)

    Example: truce review reject "$P" --reason "caption, not news" --token $TA
    """
    by = _analyst(db, token)
    with unit_of_work(db, actor=by) as uow:
        reject_proposal(uow, proposal_id, by, datetime.now(UTC), reason)
    console.print(f"Rejected {proposal_id}")


ReportIds = Annotated[list[str], typer.Argument(help="Observer report ids.")]


@app.command()
def incident(
    report_ids: ReportIds,
    event_type: Annotated[str | None, typer.Option("--type", help="ACLED event type (not needed "
                                                   "for restriction or jamming reports).")] = None,
    sub_type: Annotated[str | None, typer.Option("--sub-type", help="ACLED sub-type.")] = None,
    title: Annotated[str | None, typer.Option(help="Title (default: the report's summary).")] = None,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Make a draft incident of observer reports, placed at the estimated target.

    Example: R=$(truce review list --kind report --format json | head -1 | jq -r .id)

    Example: truce review incident "$R" --type "Explosions/Remote violence" --token $TA
    """
    by = _analyst(db, token)
    with unit_of_work(db, actor=by) as uow:
        made = incident_from_reports(uow, report_ids, datetime.now(UTC), by=by, title=title,
                                     event_type=event_type, sub_type=sub_type)
        where = (f"{made.latitude:.5f}, {made.longitude:.5f} {uncertainty(made.uncertainty_m)}"
                 if made.located else f"no position ({made.geo_precision.value} precision)")
    console.print(f"Created {made.id} ({made.grade.value if made.grade else 'ungraded'}) at {where}",
                  highlight=False)


@app.command()
def attach(
    incident_id: Annotated[str, typer.Argument(help="The incident the reports belong to.")],
    report_ids: ReportIds,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Attach observer reports to an incident on record.

    Example: R=$(truce review list --kind report --format json | head -1 | jq -r .id)

    Example: truce review attach inc-20201014-arm-launchers "$R" --token $TA
    """
    by = _analyst(db, token)
    with unit_of_work(db, actor=by) as uow:
        done = attach_reports(uow, incident_id, report_ids, datetime.now(UTC), by=by)
        console.print(f"Attached {len(report_ids)} report(s) to {done.id} "
                  f"({done.grade.value if done.grade else 'ungraded'})", highlight=False)


@app.command()
def dismiss(
    report_ids: ReportIds,
    reason: Annotated[str, typer.Option(help="Why these reports make no incident.")],
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Mark observer reports "no incident", with the reason (they stay on record).

    Example: R=$(truce review list --kind report --format json | head -1 | jq -r .id)

    Example: truce review dismiss "$R" --reason "training fire announced in advance" --token $TA
    """
    by = _analyst(db, token)
    with unit_of_work(db, actor=by) as uow:
        dismiss_reports(uow, report_ids, reason, datetime.now(UTC), by=by)
        console.print(f"Marked {len(report_ids)} report(s) no incident")
