"""Casework, part two: the commission, findings, approval by quorum, publication.

Service API::

    set_rules(uow, agreement_id, now, finding_hours=None, reply_hours=None,
              request_hours=None, quorum=None) -> CommissionRules
    add_member(uow, agreement_id, user_name, seat, now)
    draft_finding(uow, case_id, outcome=..., reasons=..., cites=..., now=..., by=...,
                  party=None, term=None) -> str                       # finding id
    approve(uow, principal, case_id, now) -> list[str]                # seats still missing
    publish(uow, case_id, now, by) -> None

Each step is ledgered with the case id (``case.finding``, ``case.approve``,
``case.publish``) or the agreement id (``commission.rules``,
``commission.member``). Publishing re-evaluates the case's incidents, so the
agreement's violations and tallies follow the finding at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from ..domain.cases import MEDIATOR, CaseStatus, CommissionRules, Outcome, missing_seats
from ..domain.exceptions import Conflict, PermissionDenied, ValidationError
from ..store.uow import UnitOfWork, use_case
from .cases import agreement_of, open_row, party_of, term_of, text
from .users import Principal

__all__ = ["add_member", "approve", "draft_finding", "publish", "set_rules"]

MAX_HOURS = 24 * 365


def _hours(value: int | None, field: str, default: int) -> int:
    if value is None:
        return default
    if not 1 <= value <= MAX_HOURS:
        raise ValidationError(f"between 1 and {MAX_HOURS} hours", field=field)
    return value


@use_case
def set_rules(uow: UnitOfWork, agreement_id: str, now: datetime, *, finding_hours: int | None = None,
              reply_hours: int | None = None, request_hours: int | None = None,
              quorum: Sequence[str] | None = None) -> CommissionRules:
    """Store the agreement's casework rules (what is not given keeps its value)."""
    agreement = agreement_of(uow, agreement_id)
    current = uow.cases.rules(agreement.id)
    seats = tuple(dict.fromkeys(s.strip() for s in (quorum if quorum is not None else current.quorum)
                                if s.strip()))
    for seat in seats:
        if seat != MEDIATOR and seat not in agreement.parties:
            raise ValidationError(f"a seat is a party of {agreement.id} or {MEDIATOR!r}, not {seat!r}",
                                  field="quorum")
    rules = CommissionRules(_hours(finding_hours, "finding_hours", current.finding_hours),
                            _hours(reply_hours, "reply_hours", current.reply_hours),
                            _hours(request_hours, "request_hours", current.request_hours), seats)
    values = dict(finding_hours=rules.finding_hours, reply_hours=rules.reply_hours,
                  request_hours=rules.request_hours, quorum=list(seats))
    uow.cases.set_rules(agreement.id, **values)
    uow.record("commission.rules", agreement.id, values, at=now)
    return rules


@use_case
def add_member(uow: UnitOfWork, agreement_id: str, user_name: str, seat: str, now: datetime) -> None:
    """Seat a user on the agreement's commission: for a party (its id) or as the mediator."""
    agreement = agreement_of(uow, agreement_id)
    user = uow.users.find(user_name or "")
    if user is None or not user.active:
        raise ValidationError(f"no active user {user_name!r}", field="user")
    if seat != MEDIATOR:
        party_of(agreement, seat, "seat")
        if user.party != seat:
            raise ValidationError(f"{user_name} does not speak for {seat}", field="seat",
                                  remedy="a party's seat is held by a liaison of that party")
    if uow.cases.seat_of(agreement.id, user.id) is not None:
        raise Conflict(f"{user_name} is already on the commission of {agreement.id}", field="user")
    uow.cases.add_member(agreement.id, user.id, seat)
    uow.record("commission.member", agreement.id, {"user": user_name, "seat": seat}, at=now)


def _cites(uow: UnitOfWork, case_id: str, refs: Sequence[str]) -> list[dict[str, str | None]]:
    """Each cited ref resolved against the case's evidence and the reports answering its tasks."""
    known: dict[str, dict[str, str | None]] = {}
    for e in uow.cases.evidence(case_id):
        known[e["ref"] or e["sha256"]] = {"kind": e["kind"], "ref": e["ref"], "sha256": e["sha256"], "grade": None}
    for report_id, sha in uow.cases.answer_hashes(case_id):
        known[report_id] = {"kind": "report", "ref": report_id, "sha256": sha, "grade": None}
    out = []
    for ref in dict.fromkeys(r.strip() for r in refs if r and r.strip()):
        if ref not in known:
            raise ValidationError(f"{ref!r} is not in the case's evidence", field="cites",
                                  remedy="add it first (`truce cases evidence`), or cite a task's answer")
        cite = dict(known[ref])
        if cite["kind"] == "incident" and cite["ref"]:
            grade = uow.incidents.get(cite["ref"]).effective_grade
            cite["grade"] = grade.value if grade else "ungraded"
        out.append(cite)
    return out


@use_case
def draft_finding(uow: UnitOfWork, case_id: str, *, outcome: str, reasons: str, cites: Sequence[str],
                  now: datetime, by: str | None, party: str | None = None, term: str | None = None) -> str:
    """The mission's draft: confirmed (by ``party``, of ``term``), not confirmed or
    inconclusive, with reasons citing the case's evidence. It goes to both
    parties, who may reply for ``reply_hours``. Returns the finding id."""
    row = open_row(uow, case_id)
    if row["status"] != CaseStatus.OPEN.value:
        raise Conflict(f"case {case_id} is {row['status']}: a finding is drafted for an open case",
                       field="case_id")
    try:
        outcome_ = Outcome(outcome)
    except ValueError:
        raise ValidationError(f"one of {', '.join(o.value for o in Outcome)}", field="outcome") from None
    agreement = agreement_of(uow, row["agreement_id"])
    term_ = term_of(agreement, term or row["term"], required=outcome_ is Outcome.CONFIRMED)
    party_ = None
    if outcome_ is Outcome.CONFIRMED:
        party_ = party_of(agreement, party or row["accused"], "party")
    elif party:
        party_ = party_of(agreement, party, "party")
    reasons_ = text(reasons, "reasons", limit=20_000)
    cited = _cites(uow, case_id, cites)
    if outcome_ is not Outcome.INCONCLUSIVE and not cited:
        raise ValidationError("a finding cites the evidence it rests on", field="cites")
    due = uow.cases.rules(agreement.id).reply_due(now)
    finding_id = f"finding-{uuid.uuid4().hex[:12]}"
    uow.cases.add_finding(id=finding_id, case_id=case_id, outcome=outcome_.value, party=party_, term=term_,
                          reasons=reasons_, cites=cited, drafted_by=by, drafted_at=now, reply_due_at=due)
    uow.cases.set_status(case_id, CaseStatus.DRAFTED)
    uow.record("case.finding", case_id, {"finding": finding_id, "outcome": outcome_.value, "party": party_,
                                         "term": term_, "reasons": reasons_, "cites": cited,
                                         "reply_due_at": due.isoformat(), "by": by}, at=now)
    return finding_id


@use_case
def approve(uow: UnitOfWork, principal: Principal, case_id: str, now: datetime) -> list[str]:
    """A commission member approves the draft. Only members holding a seat of the
    quorum may, once each party has replied or the time to reply has passed.
    Returns the seats whose approval is still missing (none: it is approved)."""
    row = open_row(uow, case_id)
    store = uow.cases
    seats = {uid: seat for uid, _name, seat in store.members(row["agreement_id"])}
    if principal.id not in seats:
        raise PermissionDenied(f"{principal.name} is not a member of the commission of {row['agreement_id']}")
    agreement = agreement_of(uow, row["agreement_id"])
    quorum = store.rules(agreement.id).seats(agreement.parties)
    if seats[principal.id] not in quorum:
        raise PermissionDenied(f"{principal.name}'s seat {seats[principal.id]} is not in the quorum "
                               f"({', '.join(quorum)})")
    finding = store.finding_row(case_id)
    if finding is None or row["status"] not in (CaseStatus.DRAFTED.value, CaseStatus.APPROVED.value):
        raise Conflict(f"case {case_id} has no draft finding to approve", field="case_id")
    parties = [p for p in (row["complainant"], row["accused"]) if p]
    replied = store.replied_parties(finding["id"])
    waiting = [p for p in parties if p not in replied]
    if waiting and now <= finding["reply_due_at"]:
        raise Conflict(f"{', '.join(waiting)} may still reply until {finding['reply_due_at'].isoformat()}",
                       field="case_id", remedy="approve once each party has replied or the time has passed")
    approvals = store.approvals(finding["id"])
    if any(a["user_id"] == principal.id for a in approvals):
        raise Conflict(f"{principal.name} has already approved this finding", field="case_id")
    store.add_approval(finding["id"], principal.id, seats[principal.id], now)
    missing = missing_seats(quorum, [*(a["seat"] for a in approvals), seats[principal.id]])
    if not missing:
        store.set_status(case_id, CaseStatus.APPROVED)
    uow.record("case.approve", case_id, {"finding": finding["id"], "by": principal.name,
                                         "seat": seats[principal.id], "missing": missing}, at=now)
    return missing


@use_case
def publish(uow: UnitOfWork, case_id: str, now: datetime, by: str | None) -> None:
    """Publish the approved finding and close the case; the agreement's
    violations of the case's incidents are evaluated again with it."""
    from .violations import evaluate_incidents  # violations reads published findings

    row = open_row(uow, case_id)
    if row["status"] != CaseStatus.APPROVED.value:
        raise Conflict(f"case {case_id} is {row['status']}: only a finding the quorum approved is published",
                       field="case_id")
    uow.cases.publish_finding(case_id, by, now)
    uow.record("case.publish", case_id, {"by": by}, at=now)
    if row["incident_ids"]:
        evaluate_incidents(uow, list(row["incident_ids"]), now)
