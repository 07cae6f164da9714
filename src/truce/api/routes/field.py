"""What the field app reads besides reports: the rules it checks on the
device, and receipts to reconcile its outbox with."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...service.bounded import Offset
from ...service.field import MAX_RECEIPTS, field_rules, receipts
from ..deps import CurrentPrincipal, Role, SettingsDep, UowDep, require
from ..field_schemas import FieldRules, ReceiptPublic
from ..schemas import ListOf

router = APIRouter(prefix="/api/field", tags=["field"])


@router.get("/rules", response_model=FieldRules, response_model_by_alias=True)
def rules(uow: UowDep, settings: SettingsDep) -> dict:
    """The report schema and limits the server applies, for checking on the device."""
    return field_rules(future_tolerance_s=settings.future_tolerance_s,
                       max_upload_bytes=settings.max_upload_bytes,
                       parties=[p.id for p in uow.directory.parties()])


@router.get("/receipts", response_model=ListOf[ReceiptPublic], dependencies=[require(Role.OBSERVER)])
def get_receipts(uow: UowDep, principal: CurrentPrincipal,
                 ids: Annotated[str | None, Query(description=f"Comma-separated report ids (at most "
                                                               f"{MAX_RECEIPTS}).")] = None,
                 limit: Annotated[int, Query(ge=1, le=MAX_RECEIPTS)] = 100,
                 offset: Offset = 0) -> ListOf[ReceiptPublic]:
    """Your reports as the server holds them: received when, content hash,
    ledger entry, evidence received, task answered."""
    wanted = [i for i in ids.split(",") if i] if ids is not None else None
    found, total = receipts(uow, principal, wanted, limit=limit, offset=offset)
    return ListOf[ReceiptPublic](data=[ReceiptPublic(**{**r.__dict__, "evidence": list(r.evidence)})
                                       for r in found], count=total)
