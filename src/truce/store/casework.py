"""The joint commission's casework tables: cases, their evidence, requests
for information and replies, the commission's rules and members, findings
and their approvals. The services in ``service.cases``, ``service.findings``
and ``service.case_board`` decide; this module holds every query on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, insert, select, update

from ..domain.agreements import TermKind
from ..domain.cases import DEFAULT_RULES, CaseStatus, CommissionRules, Outcome, PublishedFinding
from ..domain.exceptions import NotFound
from . import tables as t
from .visibility import Visibility

__all__ = ["CaseStore"]

_c = t.cases.c
_e = t.case_evidence.c
_q = t.case_requests.c
_r = t.case_replies.c
_f = t.findings.c


class CaseStore:
    def __init__(self, connection: Connection):
        self.connection = connection

    def case_row(self, case_id: str) -> Any:
        row = self.connection.execute(select(t.cases).where(t.cases.c.id == case_id)).mappings().first()
        if row is None:
            raise NotFound(f"no case {case_id!r}", field="case_id", remedy="`truce cases list` shows the ids")
        return row

    def next_number(self) -> int:
        return (self.connection.execute(select(func.max(t.cases.c.number))).scalar() or 0) + 1

    # -- cases --------------------------------------------------------------

    def add(self, **row: Any) -> None:
        """Insert a case (the columns of ``cases``)."""
        self.connection.execute(insert(t.cases).values(**row))

    def set_status(self, case_id: str, status: CaseStatus, **values: Any) -> None:
        """Move the case to ``status``, setting the other columns given too."""
        self.connection.execute(update(t.cases).where(_c.id == case_id).values(status=status.value, **values))

    def seen(self, seen_by: Visibility, *, case_id: str | None = None, open_only: bool = False,
             complaints_only: bool = False, opened_in: tuple[datetime, datetime] | None = None,
             closed_in: tuple[datetime, datetime] | None = None) -> list[Any]:
        """The rows of the cases ``seen_by`` may see, oldest first, each with its
        finding's outcome (``finding_outcome``, None without one); ``open_only``:
        not closed; ``complaints_only``: filed by a party; ``opened_in`` and
        ``closed_in``: [from, to) of the time opened or closed."""
        where: list[ColumnElement[bool]] = [seen_by.cases_sql()]
        if case_id is not None:
            where.append(_c.id == case_id)
        if open_only:
            where.append(_c.closed_at.is_(None))
        if complaints_only:
            where.append(_c.complainant.is_not(None))
        if opened_in is not None:
            where += [_c.opened_at.is_not(None), _c.opened_at >= opened_in[0], _c.opened_at < opened_in[1]]
        if closed_in is not None:
            where += [_c.closed_at >= closed_in[0], _c.closed_at < closed_in[1]]
        query = (select(t.cases, _f.outcome.label("finding_outcome"))
                 .select_from(t.cases.outerjoin(t.findings, _f.case_id == _c.id))
                 .where(*where).order_by(_c.filed_at, _c.number))
        return list(self.connection.execute(query).mappings())

    def overdue(self, now: datetime) -> list[Any]:
        """(id, number, agreement_id, incident_ids, due_at, status) of each open
        case whose finding was due before ``now``, the longest overdue first."""
        query = (select(_c.id, _c.number, _c.agreement_id, _c.incident_ids, _c.due_at, _c.status)
                 .where(_c.closed_at.is_(None), _c.due_at < now).order_by(_c.due_at, _c.id))
        return list(self.connection.execute(query))

    # -- evidence, requests, replies -----------------------------------------

    def stored_evidence(self, sha256: str) -> str | None:
        """The sha256 of a stored evidence file (of any report), or None if none has it."""
        hit = self.connection.execute(select(t.evidence.c.sha256).where(t.evidence.c.sha256 == sha256)).first()
        return None if hit is None else hit[0]

    def add_evidence(self, case_id: str, *, kind: str, ref: str | None, sha256: str, note: str | None,
                     by: str | None, at: datetime) -> None:
        self.connection.execute(insert(t.case_evidence).values(case_id=case_id, kind=kind, ref=ref, sha256=sha256,
                                                               note=note, added_by=by, added_at=at))

    def evidence(self, case_id: str) -> list[dict[str, Any]]:
        """The case's evidence (kind, ref, sha256, note, added_at, added_by), in the order added."""
        query = select(t.case_evidence).where(_e.case_id == case_id).order_by(_e.added_at, _e.id)
        return [dict(kind=x.kind, ref=x.ref, sha256=x.sha256, note=x.note, added_at=x.added_at,
                     added_by=x.added_by) for x in self.connection.execute(query)]

    def answer_hashes(self, case_id: str) -> list[tuple[str, str]]:
        """(report id, content hash) of the reports that answered the case's tasks."""
        query = (select(t.reports.c.id, t.reports.c.content_hash)
                 .join(t.task_reports, t.task_reports.c.report_id == t.reports.c.id)
                 .join(t.tasks, t.tasks.c.id == t.task_reports.c.task_id).where(t.tasks.c.case_id == case_id))
        return [tuple(r) for r in self.connection.execute(query)]  # type: ignore[misc]

    def answers(self, report_ids: Sequence[str]) -> list[dict[str, Any]]:
        """(id, received, summary, content_hash, observer name) of these reports, oldest first."""
        rep = t.reports.c
        query = (select(rep.id, rep.received, rep.summary, rep.content_hash, t.users.c.name.label("observer"))
                 .select_from(t.reports.outerjoin(t.users, t.users.c.id == rep.observer_id))
                 .where(rep.id.in_(list(report_ids))).order_by(rep.received, rep.id))
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def add_request(self, request_id: str, case_id: str, *, question: str, by: str | None, at: datetime,
                    due: datetime) -> None:
        self.connection.execute(insert(t.case_requests).values(id=request_id, case_id=case_id, question=question,
                                                               sent_by=by, sent_at=at, due_at=due))

    def request_exists(self, case_id: str, request_id: str) -> bool:
        query = select(_q.id).where(_q.id == request_id, _q.case_id == case_id)
        return self.connection.execute(query).first() is not None

    def requests(self, case_id: str) -> list[dict[str, Any]]:
        """The case's requests for information (id, question, sent_at, due_at, sent_by), oldest first."""
        query = select(t.case_requests).where(_q.case_id == case_id).order_by(_q.sent_at, _q.id)
        return [dict(id=x.id, question=x.question, sent_at=x.sent_at, due_at=x.due_at, sent_by=x.sent_by)
                for x in self.connection.execute(query)]

    def has_replied(self, party: str, *, request_id: str | None = None, finding_id: str | None = None) -> bool:
        """Whether ``party`` replied to the request ``request_id`` (given) or else to the finding."""
        same = _r.request_id == request_id if request_id is not None else _r.finding_id == finding_id
        return self.connection.execute(select(_r.id).where(same, _r.party == party)).first() is not None

    def add_reply(self, reply_id: str, case_id: str, *, party: str, request_id: str | None,
                  finding_id: str | None, text: str, by: str | None, at: datetime) -> None:
        self.connection.execute(insert(t.case_replies).values(id=reply_id, case_id=case_id, party=party,
                                                              request_id=request_id, finding_id=finding_id,
                                                              text=text, by=by, at=at))

    def replies(self, case_id: str, seen_by: Visibility) -> list[dict[str, Any]]:
        """The case's replies ``seen_by`` may see by the SQL rule (id, party, request_id,
        finding_id, text, at, by), oldest first."""
        query = select(t.case_replies).where(_r.case_id == case_id, seen_by.case_replies_sql()).order_by(_r.at, _r.id)
        return [dict(id=x.id, party=x.party, request_id=x.request_id, finding_id=x.finding_id, text=x.text,
                     at=x.at, by=x.by) for x in self.connection.execute(query)]

    def replied_parties(self, finding_id: str) -> set[str]:
        """The parties that replied to the finding."""
        return {p for (p,) in self.connection.execute(select(_r.party).where(_r.finding_id == finding_id))}

    # -- the commission -------------------------------------------------------

    def rules(self, agreement_id: str) -> CommissionRules:
        """The agreement's casework rules, ``DEFAULT_RULES`` when none are stored."""
        r = self.connection.execute(select(t.commission_rules).where(
            t.commission_rules.c.agreement_id == agreement_id)).mappings().first()
        if r is None:
            return DEFAULT_RULES
        return CommissionRules(r["finding_hours"], r["reply_hours"], r["request_hours"], tuple(r["quorum"] or ()))

    def set_rules(self, agreement_id: str, **values: Any) -> None:
        """Replace the agreement's rules (finding_hours, reply_hours, request_hours, quorum)."""
        rules = t.commission_rules
        self.connection.execute(delete(rules).where(rules.c.agreement_id == agreement_id))
        self.connection.execute(insert(rules).values(agreement_id=agreement_id, **values))

    def seat_of(self, agreement_id: str, user_id: str) -> str | None:
        """The user's seat on the agreement's commission, None if they have none."""
        m = t.commission_members.c
        query = select(m.seat).where(m.agreement_id == agreement_id, m.user_id == user_id)
        return self.connection.execute(query).scalar_one_or_none()

    def add_member(self, agreement_id: str, user_id: str, seat: str) -> None:
        self.connection.execute(insert(t.commission_members).values(agreement_id=agreement_id, user_id=user_id,
                                                                    seat=seat))

    def members(self, agreement_id: str) -> list[tuple[str, str, str]]:
        """(user id, user name, seat) of the agreement's commission."""
        m = t.commission_members.c
        query = (select(m.user_id, t.users.c.name, m.seat).join(t.users, t.users.c.id == m.user_id)
                 .where(m.agreement_id == agreement_id).order_by(m.seat, t.users.c.name))
        return [tuple(r) for r in self.connection.execute(query)]  # type: ignore[misc]

    # -- findings -------------------------------------------------------------

    def add_finding(self, **row: Any) -> None:
        """Insert a draft finding (the columns of ``findings``)."""
        self.connection.execute(insert(t.findings).values(**row))

    def publish_finding(self, case_id: str, by: str | None, at: datetime) -> None:
        """Mark the case's finding published and close the case."""
        self.connection.execute(update(t.findings).where(_f.case_id == case_id)
                                .values(published_by=by, published_at=at))
        self.set_status(case_id, CaseStatus.PUBLISHED, closed_at=at)

    def add_approval(self, finding_id: str, user_id: str, seat: str, at: datetime) -> None:
        self.connection.execute(insert(t.finding_approvals).values(finding_id=finding_id, user_id=user_id,
                                                                   seat=seat, approved_at=at))

    def finding_row(self, case_id: str) -> Any:
        return self.connection.execute(select(t.findings).where(t.findings.c.case_id == case_id)
                                       ).mappings().first()

    def approvals(self, finding_id: str) -> list[Any]:
        a = t.finding_approvals.c
        query = (select(a.user_id, t.users.c.name, a.seat, a.approved_at)
                 .join(t.users, t.users.c.id == a.user_id)
                 .where(a.finding_id == finding_id).order_by(a.approved_at, a.seat))
        return list(self.connection.execute(query).mappings())

    def published_findings(self, agreement_id: str | None = None) -> list[PublishedFinding]:
        """The published findings (of one agreement), as the violations engine applies them."""
        c, f = t.cases.c, t.findings.c
        query = (select(c.agreement_id, c.incident_ids, f.outcome, f.party, f.term)
                 .join(t.findings, f.case_id == c.id).where(c.status == CaseStatus.PUBLISHED.value)
                 .order_by(f.published_at, f.id))
        if agreement_id is not None:
            query = query.where(c.agreement_id == agreement_id)
        return [PublishedFinding(r.agreement_id, tuple(r.incident_ids or ()), Outcome(r.outcome), r.party,
                                 TermKind(r.term) if r.term else None)
                for r in self.connection.execute(query)]
