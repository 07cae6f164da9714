"""Resumable evidence uploads, in chunks, for weak connections.

A device announces the file it will send (``start_upload``: the report, the
file's SHA-256, size and type, all checked before a byte is sent), then
sends it in chunks at increasing offsets (``append_chunk``). The bytes
received so far are kept in a partial file whose length *is* the offset: a
connection lost mid-chunk leaves a shorter file, and the device asks for
the offset (``upload_status``) and carries on from there. When the last
byte arrives the SHA-256 is checked and the file becomes the report's
evidence through ``observer_reports.add_evidence``, which owns the rules of
evidence (the observer's own report, a declared hash, stored once).

Announcing the same file again for the same report returns the same upload.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..domain.exceptions import Conflict, NotFound, ValidationError
from ..store.uow import UnitOfWork, use_case
from ..store.uploads import UploadRecord
from .observer_reports import ALLOWED_EVIDENCE, EvidenceFile, add_evidence, evidence_for_report, own_report
from .users import Principal

__all__ = ["MAX_CHUNK_BYTES", "Upload", "append_chunk", "partial_dir", "start_upload", "upload_status"]

MAX_CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    id: str
    report_id: str
    sha256: str
    size: int
    content_type: str
    filename: str
    offset: int
    complete: bool


def partial_dir(evidence_dir: Path) -> Path:
    return evidence_dir / ".partial"


def _partial(evidence_dir: Path, upload_id: str) -> Path:
    return partial_dir(evidence_dir) / upload_id


def _upload(row: UploadRecord, offset: int) -> Upload:
    return Upload(id=row.id, report_id=row.report_id, sha256=row.sha256, size=row.size,
                  content_type=row.content_type, filename=row.filename, offset=offset,
                  complete=row.completed_at is not None)


def _offset(row: UploadRecord, evidence_dir: Path) -> int:
    if row.completed_at is not None:
        return row.size
    path = _partial(evidence_dir, row.id)
    return path.stat().st_size if path.exists() else 0


@use_case
def start_upload(uow: UnitOfWork, observer: Principal, report_id: str, sha256: str, size: int,
                 content_type: str, filename: str, evidence_dir: Path, now: datetime, *,
                 max_bytes: int) -> Upload:
    """Announce one file for the observer's own report; returns the upload
    (a new one, or the one already under way or done for the same file)."""
    report = own_report(uow, observer, report_id)
    problems = []
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        problems.append(ValidationError("64 lower-case hex digits", field="sha256"))
    if size < 1 or size > max_bytes:
        problems.append(ValidationError(f"the file is {size} bytes; the limit is {max_bytes}", field="size"))
    if not content_type.startswith(ALLOWED_EVIDENCE):
        problems.append(ValidationError(f"evidence must be a photo, video or audio file, "
                                        f"not {content_type!r}", field="content_type"))
    declared = report.payload.get("report", {}).get("evidence") or []
    if declared and sha256 not in declared:
        problems.append(ValidationError(f"SHA-256 {sha256} is not among the evidence the signed "
                                        "report declared", field="sha256"))
    if problems:
        raise problems[0]
    row = uow.uploads.find(report_id, sha256)
    if row is not None:
        if row.size != size:
            raise Conflict(f"this file was announced with {row.size} bytes", field="size")
        return _upload(row, _offset(row, evidence_dir))
    upload_id = f"upl-{uuid.uuid4().hex}"
    name = Path(filename or "file").name[:200] or "file"
    done = any(e.sha256 == sha256 for e in evidence_for_report(uow, report_id))
    record = UploadRecord(id=upload_id, report_id=report_id, user_id=observer.id, sha256=sha256, size=size,
                          content_type=content_type, filename=name, created_at=now,
                          completed_at=now if done else None)
    uow.uploads.add(record)
    return _upload(record, size if done else 0)


def _row(uow: UnitOfWork, observer: Principal, upload_id: str) -> UploadRecord:
    row = uow.uploads.get(upload_id)
    if row is None or row.user_id != observer.id:
        raise NotFound(f"no upload {upload_id!r} of yours", field="upload_id")
    return row


def upload_status(uow: UnitOfWork, observer: Principal, upload_id: str, evidence_dir: Path) -> Upload:
    row = _row(uow, observer, upload_id)
    return _upload(row, _offset(row, evidence_dir))


@use_case
def append_chunk(uow: UnitOfWork, observer: Principal, upload_id: str, offset: int,
                 chunk: Iterable[bytes], evidence_dir: Path, now: datetime, *,
                 max_bytes: int) -> tuple[Upload, EvidenceFile | None]:
    """Write ``chunk`` at ``offset`` (which must be the bytes received so
    far: Conflict otherwise, naming them); on the last byte, check the hash
    and store the evidence. Returns the upload and the evidence when done."""
    row = _row(uow, observer, upload_id)
    have = _offset(row, evidence_dir)
    if row.completed_at is not None:
        return _upload(row, have), None
    if offset != have:
        raise Conflict(f"the upload has {have} bytes; send from offset {have}", field="offset",
                       remedy=f"GET /api/uploads/{upload_id} gives the offset to resume from")
    path = _partial(evidence_dir, upload_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = have
    with open(path, "ab") as out:
        for piece in chunk:
            written += len(piece)
            if written > row.size:
                out.truncate(have)
                raise ValidationError(f"more bytes than the {row.size} announced", field="body")
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
    if written < row.size:
        return _upload(row, written), None
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != row.sha256:
        path.unlink()
        raise ValidationError(f"the bytes received have SHA-256 {digest.hexdigest()}, not the "
                              f"{row.sha256} announced", field="body",
                              remedy="send the file again from offset 0")
    with open(path, "rb") as f:
        record, _new = add_evidence(uow, observer, row.report_id, row.filename, row.content_type,
                                    f, evidence_dir, now, max_bytes=max_bytes)
    uow.uploads.complete(upload_id, now)
    path.unlink()
    return _upload(replace(row, completed_at=now), row.size), record
