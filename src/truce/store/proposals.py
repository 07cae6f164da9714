"""Proposals: what text extraction proposed, awaiting an analyst's decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..domain.exceptions import NotFound
from . import tables as t

__all__ = ["ProposalRepository"]


class ProposalRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def add(self, proposal_id: str, *, kind: str, payload: dict[str, Any], sentence: str,
            confidence: float, source_id: str, created_at: datetime) -> None:
        self.connection.execute(insert(t.proposals).values(
            id=proposal_id, kind=kind, payload=payload, sentence=sentence, confidence=confidence,
            source_id=source_id, status="pending", created_at=created_at))

    def list(self, status: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Rows, oldest first; ``status`` None lists all; ``limit`` and ``offset`` page."""
        query = select(t.proposals).order_by(t.proposals.c.created_at, t.proposals.c.id)
        if status:
            query = query.where(t.proposals.c.status == status)
        if limit:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def count(self, status: str | None = None) -> int:
        query = select(func.count()).select_from(t.proposals)
        if status:
            query = query.where(t.proposals.c.status == status)
        return self.connection.execute(query).scalar_one()

    def get(self, proposal_id: str) -> dict[str, Any]:
        row = self.connection.execute(
            select(t.proposals).where(t.proposals.c.id == proposal_id)).mappings().first()
        if row is None:
            raise NotFound(f"no proposal with id {proposal_id!r}", field="proposal_id")
        return dict(row)

    def decide(self, proposal_id: str, status: str, by: str, at: datetime, result_id: str | None) -> None:
        self.connection.execute(update(t.proposals).where(t.proposals.c.id == proposal_id).values(
            status=status, decided_by=by, decided_at=at, result_id=result_id))
