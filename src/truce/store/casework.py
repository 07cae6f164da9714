"""Reading the joint commission's casework tables: cases, rules, members,
published findings. Services write; this module holds the queries more than
one of them needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from ..domain.agreements import TermKind
from ..domain.cases import DEFAULT_RULES, CaseStatus, CommissionRules, Outcome, PublishedFinding
from ..domain.exceptions import NotFound
from . import tables as t

__all__ = ["CaseStore"]


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

    def rules(self, agreement_id: str) -> CommissionRules:
        """The agreement's casework rules, ``DEFAULT_RULES`` when none are stored."""
        r = self.connection.execute(select(t.commission_rules).where(
            t.commission_rules.c.agreement_id == agreement_id)).mappings().first()
        if r is None:
            return DEFAULT_RULES
        return CommissionRules(r["finding_hours"], r["reply_hours"], r["request_hours"], tuple(r["quorum"] or ()))

    def members(self, agreement_id: str) -> list[tuple[str, str, str]]:
        """(user id, user name, seat) of the agreement's commission."""
        m = t.commission_members.c
        query = (select(m.user_id, t.users.c.name, m.seat).join(t.users, t.users.c.id == m.user_id)
                 .where(m.agreement_id == agreement_id).order_by(m.seat, t.users.c.name))
        return [tuple(r) for r in self.connection.execute(query)]  # type: ignore[misc]

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
