"""The enrolments table: one-time codes for field devices, kept only as
their SHA-256, each used once and until it expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from . import tables as t

__all__ = ["EnrolmentRecord", "EnrolmentRepository"]

_e = t.enrolments.c


@dataclass(frozen=True)
class EnrolmentRecord:
    code_hash: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    change_id: str | None


def _record(row: Any) -> EnrolmentRecord:
    return EnrolmentRecord(**{c.name: row[c.name] for c in t.enrolments.columns})


class EnrolmentRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def add(self, code_hash: str, user_id: str, created_at: datetime, expires_at: datetime,
            change_id: str | None) -> None:
        self.connection.execute(insert(t.enrolments).values(code_hash=code_hash, user_id=user_id,
                                                            created_at=created_at, expires_at=expires_at,
                                                            change_id=change_id))

    def find(self, code_hash: str) -> EnrolmentRecord | None:
        row = self.connection.execute(select(t.enrolments).where(_e.code_hash == code_hash)).mappings().first()
        return None if row is None else _record(row)

    def use(self, code_hash: str, at: datetime) -> None:
        self.connection.execute(update(t.enrolments).where(_e.code_hash == code_hash).values(used_at=at))

    def expire_unused(self, user_id: str, at: datetime) -> None:
        """Codes of ``user_id`` not yet used stop working at ``at``."""
        self.connection.execute(update(t.enrolments).where(_e.user_id == user_id, _e.used_at.is_(None),
                                                           _e.expires_at > at).values(expires_at=at))
