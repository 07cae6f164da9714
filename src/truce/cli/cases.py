"""`truce cases ...`: the joint commission's casework from the command line.

The CLI is the mission's operator on its own database: it reads every case
in full. Every step is taken by the user whose ``--token`` (or
``TRUCE_TOKEN``) it is, with the role its HTTP route admits: a party's
liaison files and replies, the mission's staff open and investigate, an
analyst drafts the finding, a commission member approves, an admin sets the
rules and seats the members.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape

from ..domain.bounds import check_moment
from ..service import case_board, cases, findings
from ..service.labels import counted, local_time
from ..service.users import Role
from ..store.visibility import MISSION
from .common import (
    DbOption,
    FormatOption,
    TokenOption,
    acting_principal,
    console,
    emit_record,
    emit_rows,
    heading,
    unit_of_work,
)
from .tasks import _moment

app = typer.Typer(help="The joint commission's casework: complaints, findings, replies, approval.",
                  no_args_is_help=True)
CaseArg = Annotated[str, typer.Argument(help="Case id, e.g. case-0001.")]
# the roles of the matching routes of api/routes/cases.py
STAFF = (Role.ANALYST, Role.ADMIN)
LIAISON = (Role.LIAISON,)
ADMIN = (Role.ADMIN,)


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
    incident: Annotated[list[str] | None, typer.Option("--incident", help="An incident it concerns (repeat).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="A new allegation: when (ISO 8601 with offset).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="A new allegation: where.")] = None,
    what: Annotated[str | None, typer.Option("--what", help="A new allegation: what happened.")] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="Evidence, as text (repeat).")] = None,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """File a party's complaint (as its liaison); prints the case number and the finding's deadline.

    Example: truce cases file truce-2020-10-10 --accused AZE --term no_fire --incident inc-20201014-arm-launchers
        --summary "Strike near Vardenis" --token $TARM
    """
    liaison = acting_principal(db, token, roles=LIAISON)
    when = check_moment(_moment(at, "at"), "at").isoformat() if at else None  # the API's bounds
    allegation = {"at": when, "place": place, "what": what} if at or place or what else None
    with unit_of_work(db, actor=liaison.name) as uow:
        case_id = cases.file_complaint(uow, liaison, agreement_id=agreement, accused=accused, term=term,
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
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Open a filed complaint for investigation, or a new case from an alert or incidents.

    Example: truce cases open case-0001 --token $TA
    """
    staff = acting_principal(db, token, roles=STAFF)
    with unit_of_work(db, actor=staff.name) as uow:
        opened = cases.open_case(uow, staff, _now(), case_id=case_id,
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
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Add evidence to a case, pinned by its sha256.

    Example: truce cases evidence case-0001 --kind incident --ref inc-20201014-arm-launchers --token $TA
    """
    by = acting_principal(db, token, roles=STAFF).name
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
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Task observers for a case; the reports that answer it become the case's.

    Example: truce cases task case-0001 --title Site --look-for craters --from 2020-10-15T06:00Z --to 2020-10-15T18:00Z
        --token $TA
    """
    by = acting_principal(db, token, roles=STAFF).name
    with unit_of_work(db, actor=by) as uow:
        made = cases.task_observer(uow, case_id, _now(), by, title=title, look_for=look_for,
                                   window_start=_moment(start, "from"), window_end=_moment(end, "to"),
                                   observer=observer, place_name=place, latitude=lat, longitude=lon,
                                   radius_m=radius_m)
    console.print(f"task {made.id} for {made.observer or 'every observer'} in {case_id}", highlight=False)


@app.command()
def request(case_id: CaseArg, question: Annotated[str, typer.Argument(help="What the parties are asked.")],
            token: TokenOption = "", db: DbOption = None) -> None:
    """Send a request for information to each party of the case, with a deadline.

    Example: truce cases request case-0001 "Which units fired near Tartar that morning?" --token $TA
    """
    by = acting_principal(db, token, roles=STAFF).name
    with unit_of_work(db, actor=by) as uow:
        request_id = cases.request_information(uow, case_id, question, _now(), by)
    console.print(f"request {request_id} sent to the parties of {case_id}", highlight=False)


@app.command()
def reply(case_id: CaseArg, text: Annotated[str, typer.Argument(help="The party's statement.")],
          request_id: Annotated[str | None, typer.Option("--request", help="The request answered "
                                                          "(default: the draft finding).")] = None,
          token: TokenOption = "", db: DbOption = None) -> None:
    """A party's reply (as its liaison) to a request for information or to the draft finding.

    Example: Q=$(truce cases show case-0001 --format json | jq -r '.requests[-1].id')

    Example: truce cases reply case-0001 "Our units did not fire that day." --request "$Q" --token $TAZE

    Example: truce cases reply case-0001 "We contest the direction of fire." --token $TAZE

    Example: truce cases reply case-0001 "We accept the finding." --token $TARM
    """
    liaison = acting_principal(db, token, roles=LIAISON)
    with unit_of_work(db, actor=liaison.name) as uow:
        reply_id = cases.reply(uow, liaison, case_id, text, _now(), request_id=request_id)
    console.print(f"reply {reply_id} kept in {case_id}", highlight=False)


@app.command()
def finding(
    case_id: CaseArg,
    outcome: Annotated[str, typer.Option("--outcome", help="confirmed, not_confirmed or inconclusive.")],
    reasons: Annotated[str, typer.Option("--reasons", help="Why, citing the evidence and its grades.")],
    cite: Annotated[list[str] | None, typer.Option("--cite", help="Evidence cited: a ref of the case.")] = None,
    party: Annotated[str | None, typer.Option("--party", help="The party found responsible.")] = None,
    term: Annotated[str | None, typer.Option("--term", help="The term broken.")] = None,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Draft the finding (an analyst's); both parties may reply before the commission approves.

    Example: truce cases finding case-0001 --outcome confirmed --party AZE --reasons "Fragments" --cite
        inc-20201014-arm-launchers --token $TA
    """
    by = acting_principal(db, token, roles=(Role.ANALYST,)).name
    with unit_of_work(db, actor=by) as uow:
        findings.draft_finding(uow, case_id, outcome=outcome, reasons=reasons, cites=cite or [], now=_now(),
                               by=by, party=party, term=term)
    console.print(f"finding drafted in {case_id}; the parties may reply", highlight=False)


@app.command()
def approve(case_id: CaseArg, token: TokenOption = "", db: DbOption = None) -> None:
    """Approve a draft finding as the member of the commission whose --token it is (only members may).

    Example: truce cases approve case-0001 --token $TARM

    Example: truce cases approve case-0001 --token $TAZE

    Example: truce cases approve case-0001 --token $TMED
    """
    member_ = acting_principal(db, token)
    with unit_of_work(db, actor=member_.name) as uow:
        missing = findings.approve(uow, member_, case_id, _now())
    console.print(f"approved; {'quorum met' if not missing else 'still missing: ' + ', '.join(missing)}",
                  highlight=False)


@app.command()
def publish(case_id: CaseArg, token: TokenOption = "", db: DbOption = None) -> None:
    """Publish the finding the quorum approved and close the case; tallies follow it.

    Example: truce cases publish case-0001 --token $TA
    """
    by = acting_principal(db, token, roles=STAFF).name
    with unit_of_work(db, actor=by) as uow:
        findings.publish(uow, case_id, _now(), by)
    console.print(f"finding of {case_id} published", highlight=False)


@app.command()
def rules(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    finding_hours: Annotated[int | None, typer.Option("--finding-hours", help="Hours to a finding.")] = None,
    reply_hours: Annotated[int | None, typer.Option("--reply-hours", help="Hours the parties have to reply.")] = None,
    request_hours: Annotated[int | None, typer.Option("--request-hours", help="Hours to answer a request.")] = None,
    quorum: Annotated[str | None, typer.Option("--quorum", help="Seats, comma separated: ARM,AZE,mediator.")] = None,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Set an agreement's casework rules: deadlines and the quorum (default 72 h, 48 h, 24 h; parties + mediator).

    Example: truce cases rules truce-2020-10-10 --finding-hours 72 --quorum ARM,AZE,mediator --token $T
    """
    by = acting_principal(db, token, roles=ADMIN).name
    with unit_of_work(db, actor=by) as uow:
        made = findings.set_rules(uow, agreement, _now(), finding_hours=finding_hours, reply_hours=reply_hours,
                                  request_hours=request_hours, quorum=quorum.split(",") if quorum is not None else None)
    console.print(f"{agreement}: finding in {made.finding_hours} h, replies in {made.reply_hours} h, requests in "
                  f"{made.request_hours} h, quorum {', '.join(made.quorum) or 'each party and the mediator'}",
                  highlight=False)


@app.command()
def member(agreement: Annotated[str, typer.Argument(help="Agreement id.")],
           user: Annotated[str, typer.Argument(help="User name.")],
           seat: Annotated[str, typer.Argument(help="A party's id (its liaison), or mediator.")],
           token: TokenOption = "", db: DbOption = None) -> None:
    """Seat a user on an agreement's commission (an admin's step).

    Example: truce cases member truce-2020-10-10 liaison-arm ARM --token $T

    Example: truce cases member truce-2020-10-10 liaison-aze AZE --token $T

    Example: truce cases member truce-2020-10-10 mediator1 mediator --token $T
    """
    by = acting_principal(db, token, roles=ADMIN).name
    with unit_of_work(db, actor=by) as uow:
        findings.add_member(uow, agreement, user, seat, _now())
    console.print(f"{user} holds the seat {seat} on the commission of {agreement}", highlight=False)
