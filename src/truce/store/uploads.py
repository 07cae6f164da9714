"""The uploads table: evidence files announced for a report and sent in
chunks; the bytes themselves are in files (service.uploads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from . import tables as t

__all__ = ["UploadRecord", "UploadRepository"]

_u = t.uploads.c


@dataclass(frozen=True)
class UploadRecord:
    id: str
    report_id: str
    user_id: str
    sha256: str
    size: int
    content_type: str
    filename: str
    created_at: datetime
    completed_at: datetime | None


def _record(row: Any) -> UploadRecord:
    return UploadRecord(**{c.name: row[c.name] for c in t.uploads.columns})


class UploadRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def get(self, upload_id: str) -> UploadRecord | None:
        row = self.connection.execute(select(t.uploads).where(_u.id == upload_id)).mappings().first()
        return None if row is None else _record(row)

    def find(self, report_id: str, sha256: str) -> UploadRecord | None:
        """The upload of this file for this report, if it was announced."""
        row = self.connection.execute(select(t.uploads).where(_u.report_id == report_id, _u.sha256 == sha256)
                                      ).mappings().first()
        return None if row is None else _record(row)

    def add(self, upload: UploadRecord) -> None:
        self.connection.execute(insert(t.uploads).values(**upload.__dict__))

    def complete(self, upload_id: str, at: datetime) -> None:
        self.connection.execute(update(t.uploads).where(_u.id == upload_id).values(completed_at=at))
