"""Resumable evidence uploads: announce a file, send it in chunks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ...domain.exceptions import ValidationError
from ...service import uploads as service
from ...service.uploads import MAX_CHUNK_BYTES, Upload
from ..deps import CurrentPrincipal, Role, SettingsDep, UowDep, require
from ..field_schemas import UploadCreate, UploadPublic

router = APIRouter(prefix="/api/uploads", tags=["uploads"], dependencies=[require(Role.OBSERVER)])


def upload_public(u: Upload) -> UploadPublic:
    return UploadPublic(id=u.id, report_id=u.report_id, sha256=u.sha256, size=u.size,
                        content_type=u.content_type, offset=u.offset, complete=u.complete)


@router.post("", status_code=201, response_model=UploadPublic)
def start_upload(body: UploadCreate, uow: UowDep, principal: CurrentPrincipal, settings: SettingsDep,
                 response: Response) -> UploadPublic:
    """Announce a photo, video or audio file for your own report (hash, size
    and type are checked now); the same file announced again gets the same
    upload, with the offset to resume from."""
    upload = service.start_upload(uow, principal, body.report_id, body.sha256, body.size,
                                  body.content_type, body.filename, settings.evidence_dir,
                                  datetime.now(UTC), max_bytes=settings.max_upload_bytes)
    if upload.offset or upload.complete:
        response.status_code = 200
    return upload_public(upload)


@router.get("/{upload_id}", response_model=UploadPublic)
def upload_status(upload_id: str, uow: UowDep, principal: CurrentPrincipal,
                  settings: SettingsDep) -> UploadPublic:
    """How many bytes have arrived: resume from ``offset``."""
    return upload_public(service.upload_status(uow, principal, upload_id, settings.evidence_dir))


@router.patch("/{upload_id}", response_model=UploadPublic,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def append_chunk(upload_id: str, request: Request, uow: UowDep, principal: CurrentPrincipal,
                       settings: SettingsDep,
                       offset: Annotated[int, Query(ge=0, description="Where this chunk starts.")]
                       ) -> UploadPublic:
    """Send the next chunk (application/octet-stream, at most 8 MiB) from
    ``offset``; 409 names the offset to resume from if it is not that. The
    last chunk checks the SHA-256 and stores the evidence."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_CHUNK_BYTES:
        raise ValidationError(f"a chunk is at most {MAX_CHUNK_BYTES} bytes, not {length}", field="body")
    body = bytearray()
    async for piece in request.stream():
        body.extend(piece)
        if len(body) > MAX_CHUNK_BYTES:
            raise ValidationError(f"a chunk is at most {MAX_CHUNK_BYTES} bytes", field="body")

    def write() -> Upload:
        chunks: Iterator[bytes] = iter((bytes(body),))
        upload, _evidence = service.append_chunk(uow, principal, upload_id, offset, chunks,
                                                 settings.evidence_dir, datetime.now(UTC),
                                                 max_bytes=settings.max_upload_bytes)
        return upload

    return upload_public(await run_in_threadpool(write))
