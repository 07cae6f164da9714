"""`truce cases ...`: the joint commission's casework from the command line.

The CLI is the mission's operator on its own database: it reads every case
in full. Steps a party or a commission member takes (``file``, ``reply``,
``approve``) name who takes them with ``--as USER``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape

from ..domain.exceptions import ValidationError
from ..service import case_board, cases, findings
from ..service.labels import counted, local_time
from ..service.users import Principal, Role
from ..store.visibility import MISSION
from .common import DbOption, FormatOption, console, emit_record, emit_rows, heading, unit_of_work
from .tasks import _moment

app = typer.Typer(help="The joint commission's casework: complaints, findings, replies, approval.",
                  no_args_is_help=True)
AsOption = Annotated[str, typer.Option("--as", help="The user taking this step (user name).")]
CaseArg = Annotated[str, typer.Argument(help="Case id, e.g. case-0001.")]
ByOption = Annotated[str, typer.Option("--by", help="Who takes this step (recorded in the ledger and the "
                                                    "case's timeline).")]


def _user(uow, name: str) -> Principal:
    user = uow.users.find(name)
    if user is None or not user.active:
        raise ValidationError(f"no active user {name!r}", field="as")
    return Principal(id=user.id, name=user.name, role=Role(user.role), party=user.party)


def _now() -> datetime:
    return datetime.now(UTC)


@app.command("list")
def list_(open_only: Annotated[bool, typer.Option("--open", help="Open cases only.")] = False,
          fmt: FormatOption = "table", db: DbOption = None) -> None:
    """The case board: cases oldest first, with age, deadline and overdue ones marked; per party tallies.

    Example: truce cases list --open
    """
    with unit_of_work(db) as uow:
        found = case_board.list_cases(uow, MISSION, _now(), open_only=open_only)
        tallies = case_board.party_tallies(uow, MISSION)
    rows = [asdict(c) for c in found]
    if fmt == "table":  # a person sees the overdue ones marked; a script gets true or false
        rows = [{**r, "overdue": "OVERDUE" if r["overdue"] else ""} for r in rows]
    note = "; ".join(f"{p.party}: {p.filed} filed, {p.substantiated} substantiated, "
                     f"{p.not_substantiated} not substantiated, {p.pending} pending" for p in tallies)
    emit_rows(rows, fmt, title=counted(len(rows), "case"), note=note or None,
              columns=["id", "status", "complainant", "accused", "term", "age_hours", "due_at", "overdue", "outcome"])


@app.command()
def show(case_id: CaseArg, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """One case in full: evidence, tasks and answers, requests, replies, finding, approvals, timeline.

    Example: truce cases show case-0001
    """
    with unit_of_work(db) as uow:
        view = case_board.show_case(uow, MISSION, case_id, _now())
    record = {**view.__dict__, "case": asdict(view.case), "timeline": [asdict(s) for s in view.timeline]}

    def table() -> None:
        c = view.case
        heading(f"{c.id}: {c.summary}")
        console.print(f"{c.status}{' OVERDUE' if c.overdue else ''}; {c.complainant or 'the mission'} against "
                      f"{c.accused or 'no party named'}, term {c.term or '-'}; due {local_time(c.due_at)}",
                      highlight=False)
        if view.finding:
            f = view.finding
            console.print(f"finding: {f['outcome']} {f['party'] or ''} {f['term'] or ''}: {escape(f['reasons'])}",
                          highlight=False)
            console.print(f"approved by: {', '.join(a['seat'] for a in view.approvals) or 'nobody yet'}; "
                          f"missing: {', '.join(view.missing_seats) or 'none'}", highlight=False)
        for step in view.timeline:
            console.print(f"  {local_time(step.at)}  {escape(step.what)}  {escape(step.by or '')}", highlight=False)

    emit_record(record, fmt, table)


@app.command("file")
def file_(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    accused: Annotated[str, typer.Option("--accused", help="The party said to have broken it.")],
    term: Annotated[str, typer.Option("--term", help="The term, e.g. no_fire.")],
    summary: Annotated[str, typer.Option("--summary", help="What the complaint says.")],
    as_: AsOption,
    incident: Annotated[list[str] | None, typer.Option("--incident", help="An incident it concerns (repeat).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="A new allegation: when (ISO 8601 with offset).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="A new allegation: where.")] = None,
    what: Annotated[str | None, typer.Option("--what", help="A new allegation: what happened.")] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="Evidence, as text (repeat).")] = None,
    db: DbOption = None,
) -> None:
    """File a party's complaint (as its liaison); prints the case number and the finding's deadline.

    Example: truce cases file truce-2020-10-10 --accused AZE --term no_fire --incident inc-20201014-arm-launchers
        --summary "Strike near Vardenis" --as liaison-arm
    """
    allegation = {"at": at, "place": place, "what": what} if at or place or what else None
    with unit_of_work(db, actor=as_) as uow:
        case_id = cases.file_complaint(uow, _user(uow, as_), agreement_id=agreement, accused=accused, term=term,
                                       summary=summary, now=_now(), incident_ids=incident or [],
                                       allegation=allegation, evidence=evidence or [])
        due = case_board.show_case(uow, MISSION, case_id, _now()).case.due_at
    console.print(f"complaint received as case {case_id}; the finding is due {local_time(due)}", highlight=False)


@app.command("open")
def open_(
    case_id: Annotated[str | None, typer.Argument(help="A filed complaint's case id.")] = None,
    agreement: Annotated[str | None, typer.Option("--agreement", help="For a new case: the agreement.")] = None,
    incident: Annotated[list[str] | None, typer.Option("--incident", help="For a new case: an incident.")] = None,
    alert: Annotated[str | None, typer.Option("--alert", help="For a new case: the alert it starts from.")] = None,
    accused: Annotated[str | None, typer.Option("--accused", help="The party said to be responsible.")] = None,
    term: Annotated[str | None, typer.Option("--term", help="The term at issue.")] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="For a new case: what it is about.")] = None,
    by: ByOption = "cli",
    db: DbOption = None,
) -> None:
    """Open a filed complaint for investigation, or a new case from an alert or incidents.

    Example: truce cases open case-0001 --by demo-analyst
    """
    with unit_of_work(db, actor=by) as uow:
        opened = cases.open_case(uow, Principal(id=by, name=by, role=Role.ADMIN), _now(), case_id=case_id,
                                 agreement_id=agreement,
                                 incident_ids=incident or [], alert_id=alert, accused=accused, term=term,
                                 summary=summary)
    console.print(f"case {opened} open", highlight=False)


@app.command()
def evidence(
    case_id: CaseArg,
    kind: Annotated[str, typer.Option("--kind", help="report, incident, evidence (sha256) or text.")],
    ref: Annotated[str | None, typer.Option("--ref", help="The report, incident or evidence sha256.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note (the text itself for a text).")] = None,
    by: ByOption = "cli",
    db: DbOption = None,
) -> None:
    """Add evidence to a case, pinned by its sha256.

    Example: truce cases evidence case-0001 --kind incident --ref inc-20201014-arm-launchers --by demo-analyst
    """
    with unit_of_work(db, actor=by) as uow:
        digest = cases.add_evidence(uow, case_id, kind, ref, note, by, _now())
    console.print(f"evidence added to {case_id}: sha256 {digest}", highlight=False)


@app.command()
def task(
    case_id: CaseArg,
    title: Annotated[str, typer.Option("--title", help="Short title.")],
    look_for: Annotated[str, typer.Option("--look-for", help="What the observer should check.")],
    start: Annotated[str, typer.Option("--from", help="Window start, ISO 8601 with offset.")],
    end: Annotated[str, typer.Option("--to", help="Window end, ISO 8601 with offset.")],
    observer: Annotated[str | None, typer.Option("--observer", help="One observer (default: all).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Place name.")] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Latitude (WGS84).")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Longitude (WGS84).")] = None,
    radius_m: Annotated[float | None, typer.Option("--radius-m", help="Radius around the point.")] = None,
    db: DbOption = None,
) -> None:
    """Task observers for a case; the reports that answer it become the case's.

    Example: truce cases task case-0001 --title Site --look-for craters --from 2020-10-15T06:00Z --to 2020-10-15T18:00Z
    """
    with unit_of_work(db, actor="cli") as uow:
        made = cases.task_observer(uow, case_id, _now(), "cli", title=title, look_for=look_for,
                                   window_start=_moment(start, "from"), window_end=_moment(end, "to"),
                                   observer=observer, place_name=place, latitude=lat, longitude=lon,
                                   radius_m=radius_m)
    console.print(f"task {made.id} for {made.observer or 'every observer'} in {case_id}", highlight=False)


@app.command()
def request(case_id: CaseArg, question: Annotated[str, typer.Argument(help="What the parties are asked.")],
            db: DbOption = None) -> None:
    """Send a request for information to each party of the case, with a deadline.

    Example: truce cases request case-0001 "Which units fired near Tartar that morning?"
    """
    with unit_of_work(db, actor="cli") as uow:
        request_id = cases.request_information(uow, case_id, question, _now(), "cli")
    console.print(f"request {request_id} sent to the parties of {case_id}", highlight=False)


@app.command()
def reply(case_id: CaseArg, text: Annotated[str, typer.Argument(help="The party's statement.")], as_: AsOption,
          request_id: Annotated[str | None, typer.Option("--request", help="The request answered "
                                                          "(default: the draft finding).")] = None,
          db: DbOption = None) -> None:
    """A party's reply (as its liaison) to a request for information or to the draft finding.

    Example: Q=$(truce cases show case-0001 --format json | jq -r '.requests[-1].id')

    Example: truce cases reply case-0001 "Our units did not fire that day." --request "$Q" --as liaison-aze

    Example: truce cases reply case-0001 "We contest the direction of fire." --as liaison-aze

    Example: truce cases reply case-0001 "We accept the finding." --as liaison-arm
    """
    with unit_of_work(db, actor=as_) as uow:
        reply_id = cases.reply(uow, _user(uow, as_), case_id, text, _now(), request_id=request_id)
    console.print(f"reply {reply_id} kept in {case_id}", highlight=False)


@app.command()
def finding(
    case_id: CaseArg,
    outcome: Annotated[str, typer.Option("--outcome", help="confirmed, not_confirmed or inconclusive.")],
    reasons: Annotated[str, typer.Option("--reasons", help="Why, citing the evidence and its grades.")],
    cite: Annotated[list[str] | None, typer.Option("--cite", help="Evidence cited: a ref of the case.")] = None,
    party: Annotated[str | None, typer.Option("--party", help="The party found responsible.")] = None,
    term: Annotated[str | None, typer.Option("--term", help="The term broken.")] = None,
    db: DbOption = None,
) -> None:
    """Draft the finding; both parties may reply before the commission approves.

    Example: truce cases finding case-0001 --outcome confirmed --party AZE --reasons "Fragments" --cite
        inc-20201014-arm-launchers
    """
    with unit_of_work(db, actor="cli") as uow:
        findings.draft_finding(uow, case_id, outcome=outcome, reasons=reasons, cites=cite or [], now=_now(),
                               by="cli", party=party, term=term)
    console.print(f"finding drafted in {case_id}; the parties may reply", highlight=False)


@app.command()
def approve(case_id: CaseArg, as_: AsOption, db: DbOption = None) -> None:
    """Approve a draft finding as a member of the commission (only members may).

    Example: truce cases approve case-0001 --as liaison-arm

    Example: truce cases approve case-0001 --as liaison-aze

    Example: truce cases approve case-0001 --as mediator1
    """
    with unit_of_work(db, actor=as_) as uow:
        missing = findings.approve(uow, _user(uow, as_), case_id, _now())
    console.print(f"approved; {'quorum met' if not missing else 'still missing: ' + ', '.join(missing)}",
                  highlight=False)


@app.command()
def publish(case_id: CaseArg, db: DbOption = None) -> None:
    """Publish the finding the quorum approved and close the case; tallies follow it.

    Example: truce cases publish case-0001
    """
    with unit_of_work(db, actor="cli") as uow:
        findings.publish(uow, case_id, _now(), "cli")
    console.print(f"finding of {case_id} published", highlight=False)


@app.command()
def rules(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    finding_hours: Annotated[int | None, typer.Option("--finding-hours", help="Hours to a finding.")] = None,
    reply_hours: Annotated[int | None, typer.Option("--reply-hours", help="Hours the parties have to reply.")] = None,
    request_hours: Annotated[int | None, typer.Option("--request-hours", help="Hours to answer a request.")] = None,
    quorum: Annotated[str | None, typer.Option("--quorum", help="Seats, comma separated: ARM,AZE,mediator.")] = None,
    db: DbOption = None,
) -> None:
    """Set an agreement's casework rules: deadlines and the quorum (default 72 h, 48 h, 24 h; parties + mediator).

    Example: truce cases rules truce-2020-10-10 --finding-hours 72 --quorum ARM,AZE,mediator
    """
    with unit_of_work(db, actor="cli") as uow:
        made = findings.set_rules(uow, agreement, _now(), finding_hours=finding_hours, reply_hours=reply_hours,
                                  request_hours=request_hours, quorum=quorum.split(",") if quorum is not None else None)
    console.print(f"{agreement}: finding in {made.finding_hours} h, replies in {made.reply_hours} h, requests in "
                  f"{made.request_hours} h, quorum {', '.join(made.quorum) or 'each party and the mediator'}",
                  highlight=False)


@app.command()
def member(agreement: Annotated[str, typer.Argument(help="Agreement id.")],
           user: Annotated[str, typer.Argument(help="User name.")],
           seat: Annotated[str, typer.Argument(help="A party's id (its liaison), or mediator.")],
           db: DbOption = None) -> None:
    """Seat a user on an agreement's commission.

    Example: truce cases member truce-2020-10-10 liaison-arm ARM

    Example: truce cases member truce-2020-10-10 liaison-aze AZE

    Example: truce cases member truce-2020-10-10 mediator1 mediator
    """
    with unit_of_work(db, actor="cli") as uow:
        findings.add_member(uow, agreement, user, seat, _now())
    console.print(f"{user} holds the seat {seat} on the commission of {agreement}", highlight=False)
