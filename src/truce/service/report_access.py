"""Who may read which report, and how much of it.

Mission staff (analysts, admins) read every report in full. An observer
reads their own in full. Everyone else (liaisons, the public) reads only
reports that back a published incident, and never the observer's identity,
position, or the signed body that holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from ..domain.exceptions import NotFound
from ..domain.incidents import Report, Status
from ..store import tables as t
from ..store.uow import UnitOfWork
from .observer_reports import EvidenceFile, evidence_for_report
from .users import Principal, Role

__all__ = ["ReportView", "list_reports", "read_report"]


@dataclass(frozen=True)
class ReportView:
    report: Report
    incidents: list[str]  # published ones only, unless the reader sees it all
    full: bool  # the reader may see the observer's identity and positions
    evidence: list[EvidenceFile]
    signature: str | None = None


def _published_linked():
    return (select(t.incident_reports.c.report_id)
            .join(t.incidents, t.incidents.c.id == t.incident_reports.c.incident_id)
            .where(t.incidents.c.status == Status.PUBLISHED.value))


def _scope(principal: Principal | None) -> tuple[Any, bool]:
    if principal is not None and principal.is_staff:
        return None, True
    if principal is not None and principal.role is Role.OBSERVER:
        return t.reports.c.observer_id == principal.id, True
    return t.reports.c.id.in_(_published_linked()), False


def _incidents(uow: UnitOfWork, report_id: str, full: bool) -> list[str]:
    query = (select(t.incident_reports.c.incident_id)
             .join(t.incidents, t.incidents.c.id == t.incident_reports.c.incident_id)
             .where(t.incident_reports.c.report_id == report_id))
    if not full:
        query = query.where(t.incidents.c.status == Status.PUBLISHED.value)
    return [i for (i,) in uow.connection.execute(query.order_by(t.incident_reports.c.incident_id))]


def _view(uow: UnitOfWork, row: Any, full: bool) -> ReportView:
    from ..store.repositories import _report  # the one row -> Report mapping

    report = _report(row)
    return ReportView(report=report, incidents=_incidents(uow, report.id, full), full=full,
                      evidence=evidence_for_report(uow, report.id) if full else [],
                      signature=row["signature"] if full else None)


def list_reports(uow: UnitOfWork, principal: Principal | None, *, kind: str | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[list[ReportView], int]:
    """The reports ``principal`` may read, newest first, and how many in all."""
    where, full = _scope(principal)
    clauses = [c for c in (where, t.reports.c.kind == kind if kind else None) if c is not None]
    condition = and_(True, *clauses)
    total = uow.connection.execute(select(func.count()).select_from(t.reports).where(condition)).scalar_one()
    query = (select(t.reports).where(condition)
             .order_by(t.reports.c.received.desc(), t.reports.c.id).limit(limit).offset(offset))
    rows = uow.connection.execute(query).mappings().all()
    return [_view(uow, row, full) for row in rows], total


def read_report(uow: UnitOfWork, principal: Principal | None, report_id: str) -> ReportView:
    """One report, if ``principal`` may read it (else NotFound: its existence is not told)."""
    where, full = _scope(principal)
    query = select(t.reports).where(t.reports.c.id == report_id)
    if where is not None:
        query = query.where(where)
    row = uow.connection.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"no report {report_id!r} that you may read", field="report_id")
    return _view(uow, row, full)
