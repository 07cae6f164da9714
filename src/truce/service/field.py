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

from typing import Any

from ..domain.exceptions import ValidationError
from ..domain.taxonomy import WeaponClass
from ..store.receipts import Receipt
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


def receipts(uow: UnitOfWork, observer: Principal, ids: list[str] | None = None, *,
             limit: int = 100, offset: int = 0) -> tuple[list[Receipt], int]:
    """The observer's own reports (those of ``ids`` if given), newest first,
    and how many there are in all."""
    if observer.role is not Role.OBSERVER:
        raise ValidationError("receipts are an observer's own reports", field="role")
    if ids is not None and len(ids) > MAX_RECEIPTS:
        raise ValidationError(f"at most {MAX_RECEIPTS} ids at once", field="ids")
    if ids is not None:
        return uow.receipts.of_observer(observer.id, ids, limit=MAX_RECEIPTS, offset=0)
    return uow.receipts.of_observer(observer.id, None, limit=limit, offset=offset)
