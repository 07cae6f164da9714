"""The tamper-evident ledger: its head (public, to be published daily) and
a full verification (mission staff)."""

from __future__ import annotations

from fastapi import APIRouter

from ...store import ledger
from ..deps import UowDep, require_staff
from ..reporting_schemas import LedgerHead, LedgerVerification

router = APIRouter(prefix="/api/ledger", tags=["ledger"])


@router.get("/head", response_model=LedgerHead)
def head(uow: UowDep) -> LedgerHead:
    """The newest entry's sequence number and hash. Publishing it lets anyone
    later check that no earlier entry was rewritten."""
    seq, entry_hash = ledger.head(uow.connection)
    return LedgerHead(seq=seq, head=entry_hash)


@router.get("/verify", response_model=LedgerVerification, dependencies=[require_staff])
def verify(uow: UowDep) -> LedgerVerification:
    """Walk the whole chain; names the first entry that does not match."""
    check = ledger.verify(uow.connection)
    return LedgerVerification(ok=check.ok, entries=check.entries, head=check.head,
                              first_bad=check.first_bad, reason=check.reason)
