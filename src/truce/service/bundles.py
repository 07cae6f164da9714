"""A day's published record, packed for checking offline (``truce export bundle``).

The bundle holds, for each published incident of the day (in the theatre's
time zone) and the claims the public sees of it (the visibility policy), casualty figures and violations, the
newest ledger entry for its row with the row image and an RFC 9162
inclusion proof; the checkpoint those proofs lead to, with the witnesses'
cosignatures and keys; the day's manifest (``day_manifest``: the set of
records the day published, committed to the ledger) with its proof, so a
reader can tell that none was removed or added and that the date is the
manifest's; and, given a checkpoint the reader saw earlier, a consistency
proof from it. ``truce.verifier.verify_bundle`` checks it with
no database. Observer reports are not included: who observed is for
mission staff only.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from ..domain.exceptions import LedgerTampered, ValidationError
from ..store.row_ledger import RECORD_TABLES, record_id
from ..store.uow import UnitOfWork, use_case
from ..store.visibility import PUBLIC
from ..verifier import (
    BUNDLE_FORMAT,
    Checkpoint,
    VerificationFailed,
    check_signature,
    entry_bytes,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from . import checkpoints, day_manifest
from .incidents import make_filter

__all__ = ["export_bundle"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _day_rows(uow: UnitOfWork, day: date, tz) -> list[tuple[str, tuple]]:
    """(table, primary key) of the day's published records."""
    filters = make_filter(start=day, end=day, published_only=True, tz=tz)
    return uow.days.published_records([i.id for i in uow.incidents.list(filters)], PUBLIC)


@use_case
def export_bundle(uow: UnitOfWork, day: date, tz, signer: checkpoints.Signer,
                  since: Checkpoint | None = None) -> dict[str, Any]:
    """The bundle of ``day`` as JSON-ready data; commits the day's manifest
    (``day_manifest``) to the ledger first when the day's set changed."""
    log = uow.ledger
    wanted = _day_rows(uow, day, tz)
    ids = [record_id(RECORD_TABLES[table], key) for table, key in wanted]
    newest = log.newest_row_entries(ids)
    entries = {rid: log.hashed_entry(seq) for rid, seq in newest.items()}  # never ledgered: verify names it
    manifest_seq = day_manifest.commit_manifest(uow, day, [
        {"table": table, "record_id": rid, "content_hash": entries[rid][0]["content_hash"]}
        for (table, _key), rid in zip(wanted, ids, strict=True) if rid in entries])
    current, _root = log.tree_size()
    size = log.newest_cosigned_size()
    if size is None or size < max([manifest_seq, *newest.values()]):
        size = current  # not yet cosigned: the bundle will say so when verified
    note = checkpoints.checkpoint_of(log, signer, size)
    if since is not None and not since.size <= size:
        raise ValidationError(f"the earlier checkpoint ({since.size} entries) is larger than this one ({size})",
                              field="since")
    consistency = _consistency(log, signer, since, note) if since is not None else None

    def proven(seq: int, entry: dict[str, Any], content: Any) -> dict[str, Any]:
        proof = log.inclusion_proof(seq - 1, size)
        try:  # the proof is read from the stored nodes: one altered there fails every reader's check
            verify_inclusion(seq - 1, size, leaf_hash(entry_bytes(entry)), proof, note.root)
        except VerificationFailed as error:
            raise LedgerTampered(f"refusing to write the bundle: the inclusion proof of ledger entry {seq} does "
                                 f"not verify against the checkpoint of {size} entries ({error})",
                                 remedy="the stored Merkle tree differs from the entries: run `truce ledger "
                                        "verify` to see what differs, and restore the database from a backup "
                                        "taken before it") from None
        return {"entry": entry, "content": content, "proof": [_b64(p) for p in proof]}

    records = [{"table": table, **proven(newest[rid], *entries[rid])}
               for (table, _key), rid in zip(wanted, ids, strict=True) if rid in entries]
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT, "date": day.isoformat(), "log_key": signer.verifier.vkey,
        "witness_keys": log.witness_keys(size), "checkpoint": note.text,
        "manifest": proven(manifest_seq, *log.hashed_entry(manifest_seq)), "records": records,
    }
    if consistency is not None:
        bundle["consistency"] = {"from": since.size, "to": size, "proof": [_b64(p) for p in consistency]}
    return bundle


def _consistency(log, signer: checkpoints.Signer, since: Checkpoint, note: Checkpoint) -> list[bytes]:
    """The consistency proof from ``since`` to ``note``, once it verifies as
    every reader will check it; refuses a ``since`` this log did not sign,
    and one the ledger does not extend (another history, or stored nodes
    that differ from the entries)."""
    try:
        check_signature(since, signer.verifier)
    except VerificationFailed as error:
        raise ValidationError(f"refusing to write the bundle: the --since checkpoint is not this log's ({error})",
                              field="since", remedy="give a checkpoint this log signed (`truce ledger "
                              "checkpoint`, or /api/ledger/checkpoint)") from None
    proof = log.consistency_proof(since.size, note.size)
    try:
        verify_consistency(since.size, note.size, since.root, note.root, proof)
    except VerificationFailed as error:
        raise LedgerTampered(f"refusing to write the bundle: the consistency proof from the --since checkpoint "
                             f"({since.size} entries) to the checkpoint of {note.size} entries does not verify "
                             f"({error}): the ledger does not extend the checkpoint you gave",
                             remedy="run `truce ledger verify --checkpoint` with that file and `--log-key` to see "
                                    "what differs, and restore the database from a backup taken before it; write "
                                    "no bundle until it verifies") from None
    return proof
