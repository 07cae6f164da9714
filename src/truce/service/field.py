"""What the field app needs beyond the report API: the rules to check on
the device, and receipts to reconcile its outbox against.

``field_rules`` hands the device the server's own rules, so that one place
owns each: the report document's JSON Schema (from ``ObserverReport``:
kinds, enumerations, ranges, lengths, patterns), the theatre's bounding
box, the clock tolerance and the evidence size limit. The device checks a
report against them before it is signed and queued; only the rules a
schema cannot say (bearing with distance, a kind's details) are repeated
in the app's ``validate.js``, each naming the server rule it mirrors.

``receipts`` lists the observer's own reports as the server holds them:
id, time received, content hash, ledger entry, evidence received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..domain.exceptions import ValidationError
from ..domain.taxonomy import WeaponClass
from ..store import tables as t
from ..store.uow import UnitOfWork
from .observer_reports import ALLOWED_EVIDENCE, theatre_bbox
from .report_format import ObserverReport
from .uploads import MAX_CHUNK_BYTES
from .users import Principal, Role

__all__ = ["MAX_RECEIPTS", "Receipt", "field_rules", "receipts"]

MAX_RECEIPTS = 500


def field_rules(*, future_tolerance_s: int, max_upload_bytes: int, parties: list[str]) -> dict[str, Any]:
    west, south, east, north = theatre_bbox()
    return {
        "schema": ObserverReport.model_json_schema(),
        "theatre": {"west": west, "south": south, "east": east, "north": north},
        "future_tolerance_s": future_tolerance_s,
        "max_upload_bytes": max_upload_bytes,
        "chunk_bytes": min(1024 * 1024, MAX_CHUNK_BYTES),
        "evidence_types": [prefix.rstrip("/") for prefix in ALLOWED_EVIDENCE],
        "weapon_classes": [w.value for w in WeaponClass],
        "parties": parties,
    }


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


def receipts(uow: UnitOfWork, observer: Principal, ids: list[str] | None = None, *,
             limit: int = 100, offset: int = 0) -> tuple[list[Receipt], int]:
    """The observer's own reports (those of ``ids`` if given), newest first,
    and how many there are in all."""
    if observer.role is not Role.OBSERVER:
        raise ValidationError("receipts are an observer's own reports", field="role")
    if ids is not None and len(ids) > MAX_RECEIPTS:
        raise ValidationError(f"at most {MAX_RECEIPTS} ids at once", field="ids")
    r = t.reports.c
    where = [r.observer_id == observer.id]
    if ids is not None:
        where.append(r.id.in_(ids))
    total = uow.connection.execute(select(func.count()).select_from(t.reports).where(*where)).scalar_one()
    rows = uow.connection.execute(select(r.id, r.kind, r.received, r.content_hash)
                                  .where(*where).order_by(r.received.desc(), r.id)
                                  .limit(limit if ids is None else MAX_RECEIPTS).offset(offset if ids is None else 0)
                                  ).all()
    found = [row.id for row in rows]
    ledger: dict[str, tuple[int, str]] = {}
    evidence: dict[str, list[str]] = {}
    tasks: dict[str, str] = {}
    if found:
        lg = t.ledger.c
        for seq, record_id, entry_hash in uow.connection.execute(
                select(lg.seq, lg.record_id, lg.entry_hash)
                .where(lg.action == "report.add", lg.record_id.in_(found))):
            ledger[record_id] = (seq, entry_hash)
        e = t.evidence.c
        for report_id, sha in uow.connection.execute(
                select(e.report_id, e.sha256).where(e.report_id.in_(found)).order_by(e.received)):
            evidence.setdefault(report_id, []).append(sha)
        tr = t.task_reports.c
        for task_id, report_id in uow.connection.execute(
                select(tr.task_id, tr.report_id).where(tr.report_id.in_(found))):
            tasks[report_id] = task_id
    out = [Receipt(id=row.id, kind=row.kind, received=row.received, content_hash=row.content_hash,
                   ledger_seq=ledger.get(row.id, (None, None))[0],
                   ledger_hash=ledger.get(row.id, (None, None))[1],
                   evidence=tuple(evidence.get(row.id, ())), task=tasks.get(row.id)) for row in rows]
    return out, total
