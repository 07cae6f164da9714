"""The case board: cases as a reader may see them, deadlines, tallies per party.

Everything here reads through the visibility policy (``store.visibility``):
a liaison sees the cases of their party, the draft finding and the requests,
their own party's replies (the other party's once the finding is published)
and never a task, an observer or what an observer reported; the public sees
cases whose finding is published.

Service API::

    list_cases(uow, reader, now, open_only=False) -> list[CaseSummary]  # oldest first
    show_case(uow, reader, case_id, now) -> CaseView
    party_tallies(uow, reader) -> list[PartyTally]
    overdue_alerts(uow, now, existing) -> list[Alert]   # called by alerts.raise_alerts
    cases_of_day(uow, day, seen_by) -> DayCases         # the daily report's section
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.alerts import Alert, AlertKind
from ..domain.cases import CaseStatus, Outcome
from ..domain.exceptions import NotFound
from ..settings import get_settings
from ..store.uow import UnitOfWork
from ..store.visibility import Visibility
from .records import plain
from .webhooks import enqueue_alert

__all__ = [
    "CaseSummary", "CaseView", "DayCases", "PartyTally", "cases_of_day", "list_cases", "overdue_alerts",
    "party_tallies", "show_case",
]


@dataclass(frozen=True)
class CaseSummary:
    id: str
    number: int
    agreement: str
    origin: str
    complainant: str | None
    accused: str | None
    term: str | None
    summary: str
    status: str
    filed_at: datetime
    due_at: datetime
    closed_at: datetime | None
    age_hours: float
    overdue: bool
    outcome: str | None  # of the finding the reader sees

    @property
    def parties(self) -> tuple[str | None, ...]:
        return (self.complainant, self.accused)


@dataclass(frozen=True)
class Step:
    at: datetime
    what: str
    by: str | None


@dataclass
class CaseView:
    case: CaseSummary
    incident_ids: list[str]
    allegation: dict[str, Any] | None
    evidence: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    replies: list[dict[str, Any]]
    finding: dict[str, Any] | None
    approvals: list[dict[str, Any]]
    missing_seats: list[str]
    tasks: list[dict[str, Any]] = field(default_factory=list)  # staff only
    answers: list[dict[str, Any]] = field(default_factory=list)  # staff only
    timeline: list[Step] = field(default_factory=list)


def _summary(row: Any, outcome: str | None, now: datetime) -> CaseSummary:
    end = row["closed_at"] or now
    return CaseSummary(
        id=row["id"], number=row["number"], agreement=row["agreement_id"], origin=row["origin"],
        complainant=row["complainant"], accused=row["accused"], term=row["term"], summary=row["summary"],
        status=row["status"], filed_at=row["filed_at"], due_at=row["due_at"], closed_at=row["closed_at"],
        age_hours=round((end - row["filed_at"]).total_seconds() / 3600, 1),
        overdue=row["closed_at"] is None and now > row["due_at"], outcome=outcome)


def list_cases(uow: UnitOfWork, seen_by: Visibility, now: datetime, *,
               open_only: bool = False) -> list[CaseSummary]:
    """The cases ``seen_by`` may see, oldest first, each with its age and
    whether it is overdue at ``now``."""
    return [_summary(r, r["finding_outcome"], now) for r in uow.cases.seen(seen_by, open_only=open_only)]


def show_case(uow: UnitOfWork, seen_by: Visibility, case_id: str, now: datetime) -> CaseView:
    """One case as ``seen_by`` may see it, with its timeline."""
    store = uow.cases
    found = store.seen(seen_by, case_id=case_id)
    if not found:
        raise NotFound(f"no case {case_id!r}", field="case_id", remedy="`truce cases list` shows the ids")
    row = found[0]
    summary = _summary(row, row["finding_outcome"], now)
    published = summary.status == CaseStatus.PUBLISHED.value
    evidence = store.evidence(case_id)
    requests = store.requests(case_id) if seen_by.case_requests(summary.parties) else []
    replies = [x for x in store.replies(case_id, seen_by) if seen_by.case_reply(x["party"], published)]
    finding_row = store.finding_row(case_id)
    finding, approvals, missing = None, [], []
    if finding_row is not None:
        finding = {k: finding_row[k] for k in ("id", "outcome", "party", "term", "reasons", "cites", "drafted_at",
                                               "drafted_by", "reply_due_at", "published_at", "published_by")}
        approvals = [dict(seat=a["seat"], by=a["name"], at=a["approved_at"])
                     for a in store.approvals(finding_row["id"])]
        agreement = uow.agreements.get(row["agreement_id"])
        seats = store.rules(agreement.id).seats(agreement.parties)
        missing = [s for s in seats if s not in {a["seat"] for a in approvals}]
    view = CaseView(summary, list(row["incident_ids"] or ()), row["allegation"], evidence, requests, replies,
                    finding, approvals, missing)
    if seen_by.case_internals():
        _internals(uow, view)
    view.timeline = _timeline(row, view)
    return view


def _internals(uow: UnitOfWork, view: CaseView) -> None:
    """Tasks and the observers' answers: mission staff only."""
    from .tasks import list_tasks
    from .users import Principal, Role

    staff = Principal(id="case-board", name="case-board", role=Role.ANALYST)
    for task in list_tasks(uow, staff, case_id=view.case.id):
        view.tasks.append(dict(id=task.id, title=task.title, observer=task.observer, status=task.status,
                               created_at=task.created_at, created_by=task.created_by, window_end=task.window_end,
                               reports=list(task.reports)))
    ids = [rid for task in view.tasks for rid in task["reports"]]
    if ids:
        view.answers = uow.cases.answers(ids)


def _timeline(row: Any, view: CaseView) -> list[Step]:
    steps = [Step(row["filed_at"], f"{'complaint filed' if row['origin'] == 'complaint' else 'case opened'}"
                  f" ({row['origin']})", row["filed_by"])]
    if row["origin"] == "complaint" and row["opened_at"]:
        steps.append(Step(row["opened_at"], "case opened by the mission", row["opened_by"]))
    steps += [Step(x["added_at"], f"evidence added: {x['kind']} {x['ref'] or ''} sha256 {x['sha256'][:12]}…",
                   x["added_by"]) for x in view.evidence]
    steps += [Step(x["created_at"], f"observer tasked: {x['title']}", x["created_by"]) for x in view.tasks]
    steps += [Step(x["received"], f"observer report {x['id']} answered a task", x["observer"])
              for x in view.answers]
    steps += [Step(x["sent_at"], f"request for information {x['id']}", x["sent_by"]) for x in view.requests]
    steps += [Step(x["at"], f"{x['party']} replied {'to ' + x['request_id'] if x['request_id'] else 'to the finding'}",
                   x["by"]) for x in view.replies]
    if view.finding:
        steps.append(Step(view.finding["drafted_at"], f"finding drafted: {view.finding['outcome']}",
                          view.finding["drafted_by"]))
        steps += [Step(a["at"], f"approved for the seat {a['seat']}", a["by"]) for a in view.approvals]
        if view.finding["published_at"]:
            steps.append(Step(view.finding["published_at"], "finding published, case closed",
                              view.finding["published_by"]))
    return sorted(steps, key=lambda s: s.at)


@dataclass(frozen=True)
class PartyTally:
    party: str
    filed: int
    substantiated: int
    not_substantiated: int
    pending: int


def party_tallies(uow: UnitOfWork, seen_by: Visibility) -> list[PartyTally]:
    """Per complaining party, of the cases ``seen_by`` may see: complaints filed,
    substantiated (a published confirmed finding), not substantiated (a
    published finding not confirming it) and still pending."""
    counts: dict[str, list[int]] = {}
    for r in uow.cases.seen(seen_by, complaints_only=True):
        tally = counts.setdefault(r["complainant"], [0, 0, 0, 0])
        tally[0] += 1
        if r["status"] != CaseStatus.PUBLISHED.value:
            tally[3] += 1
        elif r["finding_outcome"] == Outcome.CONFIRMED.value:
            tally[1] += 1
        else:
            tally[2] += 1
    return [PartyTally(p, *n) for p, n in sorted(counts.items())]


def overdue_alerts(uow: UnitOfWork, now: datetime, existing: set[str]) -> list[Alert]:
    """Raise (store, ledger, queue) one ``case_overdue`` alert per open case past
    its finding's deadline at ``now``; ``existing`` alert ids are not raised again."""
    raised = []
    for r in uow.cases.overdue(now):
        alert = Alert(id=f"alert-case-overdue-{r.id}", kind=AlertKind.CASE_OVERDUE, raised_at=now,
                      message=f"case {r.id} is overdue: its finding was due {r.due_at.isoformat()} ({r.status})",
                      incident_ids=tuple(r.incident_ids or ()), agreement=r.agreement_id, event_at=r.due_at)
        if alert.id in existing:
            continue
        existing.add(alert.id)
        uow.monitoring.add_alert(alert)
        uow.record("alert.raise", alert.id, plain(alert), at=now)
        enqueue_alert(uow, alert.id, now)
        raised.append(alert)
    return raised


@dataclass(frozen=True)
class DayCases:
    published: list[CaseView]  # findings published that day
    opened: list[CaseSummary]
    closed: list[CaseSummary]


def cases_of_day(uow: UnitOfWork, day: date, seen_by: Visibility) -> DayCases:
    """What the commission did on ``day`` (theatre time zone), as ``seen_by`` may see it."""
    lo = datetime.combine(day, time(), tzinfo=get_settings().tz)
    hi = lo + timedelta(days=1)
    opened = [_summary(r, r["finding_outcome"], hi) for r in uow.cases.seen(seen_by, opened_in=(lo, hi))]
    closed = [_summary(r, r["finding_outcome"], hi) for r in uow.cases.seen(seen_by, closed_in=(lo, hi))]
    published = [show_case(uow, seen_by, s.id, hi) for s in closed if s.status == CaseStatus.PUBLISHED.value]
    return DayCases(published, opened, closed)
