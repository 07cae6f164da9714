"""The tamper-evident ledger: its signed checkpoint with witnesses'
cosignatures, inclusion and consistency proofs (all public: anyone may check
the record), and a full verification (mission staff)."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import PlainTextResponse

from ...domain.exceptions import ValidationError
from ...service import checkpoints
from ...service.users import STAFF
from ...store import ledger
from ..deps import OptionalPrincipal, SettingsDep, UowDep, require_staff
from ..reporting_schemas import ConsistencyProof, InclusionProof, LedgerHead, LedgerVerification

MAX_TREE_SIZE = 2**53  # any ledger; larger numbers are refused as input (JSON's exact integers)

router = APIRouter(prefix="/api/ledger", tags=["ledger"])

_NOTE = {200: {"content": {"text/plain": {}}, "description": "A C2SP tlog-checkpoint signed note."}}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@router.get("/head", response_model=LedgerHead)
def head(uow: UowDep) -> LedgerHead:
    """The newest entry's sequence number and hash. Publishing it lets anyone
    later check that no earlier entry was rewritten."""
    seq, entry_hash = uow.ledger_head()
    return LedgerHead(seq=seq, head=entry_hash)


@router.get("/checkpoint", response_class=PlainTextResponse, responses=_NOTE)
def checkpoint(uow: UowDep, settings: SettingsDep,
               size: Annotated[int | None, Query(ge=0, le=MAX_TREE_SIZE,
                                                 description="A past tree size; default: now.")] = None,
               ) -> PlainTextResponse:
    """The signed checkpoint (origin, tree size, base64 root hash) of the
    ledger's Merkle tree, with every witness cosignature stored for it."""
    if settings.log_key is None:
        raise HTTPException(503, "this server has no log key: set TRUCE_LOG_KEY (`truce ledger keygen`)")
    signer = checkpoints.load_key(settings.log_key)
    note = checkpoints.checkpoint_of(uow.ledger, signer, size)
    return PlainTextResponse(note.text, media_type="text/plain; charset=utf-8")


def _check_size(uow: UowDep, size: int, field: str) -> None:
    current, _root = uow.ledger.tree_size()
    if size > current:
        raise ValidationError(f"tree size {size} is larger than the ledger ({current} entries)", field=field)


@router.get("/proof/inclusion", response_model=InclusionProof, response_model_exclude_none=True)
def inclusion(uow: UowDep, principal: OptionalPrincipal,
              seq: Annotated[int, Query(ge=1, le=MAX_TREE_SIZE, description="The ledger entry.")],
              size: Annotated[int, Query(ge=1, le=MAX_TREE_SIZE, description="The tree size of a checkpoint.")],
              ) -> InclusionProof:
    """RFC 9162 inclusion proof of entry ``seq`` in the tree of ``size``
    entries, with its leaf hash; mission staff also get the entry and its
    content (which may name observers: the public checks published records
    through `truce export bundle`)."""
    _check_size(uow, size, "query.size")
    if seq > size:
        raise ValidationError(f"entry {seq} is not in a tree of {size} entries", field="query.seq")
    row = uow.ledger.entry(seq)
    proof = uow.ledger.inclusion_proof(seq - 1, size)
    entry = ledger.entry_of(row["seq"], row["at"], row["actor"], row["action"], row["record_id"],
                            row["content_hash"], row["prev_hash"])
    staff = principal is not None and principal.role in STAFF
    return InclusionProof(seq=seq, size=size, leaf_index=seq - 1, leaf_hash=_b64(bytes(row["leaf_hash"])),
                          entry=entry if staff else None, content=row["content"] if staff else None,
                          proof=[_b64(p) for p in proof])


@router.get("/proof/consistency", response_model=ConsistencyProof)
def consistency(uow: UowDep,
                first: Annotated[int, Query(alias="from", ge=0, le=MAX_TREE_SIZE,
                                            description="The earlier tree size.")],
                second: Annotated[int, Query(alias="to", ge=0, le=MAX_TREE_SIZE, description="The later tree size.")],
                ) -> ConsistencyProof:
    """RFC 9162 consistency proof that the tree of ``to`` entries extends the tree of ``from``."""
    _check_size(uow, second, "query.to")
    if first > second:
        raise ValidationError(f"from ({first}) must not exceed to ({second})", field="query.from")
    proof = uow.ledger.consistency_proof(first, second)
    return ConsistencyProof(**{"from": first, "to": second, "proof": [_b64(p) for p in proof]})


@router.get("/verify", response_model=LedgerVerification, dependencies=[require_staff])
def verify(uow: UowDep) -> LedgerVerification:
    """Walk the whole chain; names the first entry that does not match."""
    check = uow.verify_ledger()
    return LedgerVerification(ok=check.ok, entries=check.entries, head=check.head,
                              first_bad=check.first_bad, reason=check.reason)
