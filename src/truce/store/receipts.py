"""Receipts: an observer's own reports as the server holds them (id, time
received, content hash, ledger entry, evidence received, task answered),
for the field app to reconcile its outbox against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from . import tables as t
from .tasks import TaskRepository

__all__ = ["Receipt", "ReceiptRepository"]

_r = t.reports.c


@dataclass(frozen=True)
class Receipt:
    id: str
    kind: str
    received: datetime
    content_hash: str
    ledger_seq: int | None
    ledger_hash: str | None
    evidence: tuple[str, ...]
    task: str | None


class ReceiptRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def of_observer(self, observer_id: str, ids: list[str] | None, *, limit: int,
                    offset: int) -> tuple[list[Receipt], int]:
        """The observer's reports (those of ``ids`` if given), newest first, a
        page of ``limit`` from ``offset``, and how many there are in all."""
        where = [_r.observer_id == observer_id]
        if ids is not None:
            where.append(_r.id.in_(ids))
        total = self.connection.execute(select(func.count()).select_from(t.reports).where(*where)).scalar_one()
        rows = self.connection.execute(select(_r.id, _r.kind, _r.received, _r.content_hash).where(*where)
                                       .order_by(_r.received.desc(), _r.id).limit(limit).offset(offset)).all()
        found = [row.id for row in rows]
        ledger: dict[str, tuple[int, str]] = {}
        evidence: dict[str, list[str]] = {}
        tasks: dict[str, str] = {}
        if found:
            lg = t.ledger.c
            for seq, record_id, entry_hash in self.connection.execute(
                    select(lg.seq, lg.record_id, lg.entry_hash)
                    .where(lg.action == "report.add", lg.record_id.in_(found))):
                ledger[record_id] = (seq, entry_hash)
            e = t.evidence.c
            for report_id, sha in self.connection.execute(
                    select(e.report_id, e.sha256).where(e.report_id.in_(found)).order_by(e.received)):
                evidence.setdefault(report_id, []).append(sha)
            tasks = TaskRepository(self.connection).answered(found)
        out = [Receipt(id=row.id, kind=row.kind, received=row.received, content_hash=row.content_hash,
                       ledger_seq=ledger.get(row.id, (None, None))[0], ledger_hash=ledger.get(row.id, (None, None))[1],
                       evidence=tuple(evidence.get(row.id, ())), task=tasks.get(row.id)) for row in rows]
        return out, total
