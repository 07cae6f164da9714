"""The user_changes table: proposed, approved, rejected and signed changes
to who a user is (a new key, a re-enrolled device, a new role)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ..domain.exceptions import NotFound
from . import tables as t

__all__ = ["ChangeRecord", "ChangeRepository"]


@dataclass(frozen=True)
class ChangeRecord:
    id: str
    user_id: str
    kind: str  # key | enrolment | role | admin | token
    public_key: str | None
    role: str | None
    party_id: str | None
    reason: str
    proposed_by: str
    proposed_at: datetime
    status: str  # pending | approved | rejected | superseded | signed
    decided_by: str | None
    decided_at: datetime | None
    request: dict[str, Any] | None


def _record(row: Any) -> ChangeRecord:
    return ChangeRecord(**{c.name: row[c.name] for c in t.user_changes.columns})


_c = t.user_changes.c


class ChangeRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def add(self, user_id: str, kind: str, *, reason: str, proposed_by: str, at: datetime, status: str,
            public_key: str | None = None, role: str | None = None, party_id: str | None = None,
            request: dict[str, Any] | None = None) -> ChangeRecord:
        change = ChangeRecord(
            id=f"chg-{uuid.uuid4().hex[:12]}", user_id=user_id, kind=kind, public_key=public_key, role=role,
            party_id=party_id, reason=reason, proposed_by=proposed_by, proposed_at=at, status=status,
            decided_by=proposed_by if status == "signed" else None,
            decided_at=at if status == "signed" else None, request=request)
        self.connection.execute(insert(t.user_changes).values(**change.__dict__))
        return change

    def get(self, change_id: str) -> ChangeRecord:
        row = self.connection.execute(select(t.user_changes).where(_c.id == change_id)).mappings().first()
        if row is None:
            raise NotFound(f"no change with id {change_id!r}", field="change",
                           remedy="`truce users changes` lists them")
        return _record(row)

    def pending(self, user_id: str, kind: str) -> list[ChangeRecord]:
        rows = self.connection.execute(select(t.user_changes).where(
            _c.user_id == user_id, _c.kind == kind, _c.status == "pending").order_by(_c.proposed_at)).mappings()
        return [_record(r) for r in rows]

    def list(self, *, status: str | None = None, user_id: str | None = None) -> list[ChangeRecord]:
        query = select(t.user_changes).order_by(_c.proposed_at, _c.id)
        if status is not None:
            query = query.where(_c.status == status)
        if user_id is not None:
            query = query.where(_c.user_id == user_id)
        return [_record(r) for r in self.connection.execute(query).mappings()]

    def decide(self, change_id: str, status: str, by: str, at: datetime) -> None:
        """Set a pending change's outcome (only a pending change changes)."""
        self.connection.execute(update(t.user_changes).where(_c.id == change_id, _c.status == "pending")
                                .values(status=status, decided_by=by, decided_at=at))
