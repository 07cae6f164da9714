"""Who may read which report, and how much of it: the rule is
``truce.store.visibility.Visibility`` (``reports_sql``, ``report_in_full``);
this module only gathers a report's view for the API.

Mission staff (analysts, admins) read every report in full. An observer
reads their own in full. Anyone reads, without the observer's identity,
position, or the signed body that holds them, the reports behind a
published incident.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.incidents import Report
from ..store.uow import UnitOfWork
from ..store.visibility import Visibility
from .observer_reports import EvidenceFile, evidence_for_report
from .users import Principal

__all__ = ["ReportView", "list_reports", "read_report"]


@dataclass(frozen=True)
class ReportView:
    report: Report
    incidents: list[str]  # those the reader may see
    full: bool  # the reader may see the observer's identity and positions
    evidence: list[EvidenceFile]
    signature: str | None = None


def _view(uow: UnitOfWork, seen_by: Visibility, report: Report, signature: str | None) -> ReportView:
    full = seen_by.report_in_full(report)
    return ReportView(report=report, incidents=uow.reports.incident_ids(report.id, seen_by), full=full,
                      evidence=evidence_for_report(uow, report.id) if full else [], signature=signature)


def list_reports(uow: UnitOfWork, principal: Principal | None, *, kind: str | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[list[ReportView], int]:
    """The reports ``principal`` may read, newest first, and how many in all."""
    seen_by = Visibility.of(principal)
    rows, total = uow.reports.page(seen_by, kind=kind, limit=limit, offset=offset)
    return [_view(uow, seen_by, report, signature) for report, signature in rows], total


def read_report(uow: UnitOfWork, principal: Principal | None, report_id: str) -> ReportView:
    """One report, if ``principal`` may read it (else NotFound: its existence is not told)."""
    seen_by = Visibility.of(principal)
    report, signature = uow.reports.read(report_id, seen_by)
    return _view(uow, seen_by, report, signature)
