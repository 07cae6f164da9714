"""The unit of work: one transaction, its repositories, and the ledger.

Nothing is written unless ``commit()`` is called; leaving the block without
it rolls everything back, ledger entries included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from . import ledger, row_ledger
from .repositories import (
    AgreementRepository,
    ClaimRepository,
    ControlRepository,
    DirectoryRepository,
    IncidentRepository,
    PlaceRepository,
    ReportRepository,
)

__all__ = ["UnitOfWork"]


class UnitOfWork:
    connection: Connection

    def __init__(self, engine: Engine, *, actor: str | None = None):
        self.engine = engine
        self.actor = actor

    def __enter__(self) -> UnitOfWork:
        self.connection = self.engine.connect()
        self._transaction = self.connection.begin()
        row_ledger.enable(self.connection, self.actor)
        conn = self.connection
        self.places = PlaceRepository(conn)
        self.directory = DirectoryRepository(conn)
        self.incidents = IncidentRepository(conn)
        self.reports = ReportRepository(conn)
        self.claims = ClaimRepository(conn)
        self.controls = ControlRepository(conn)
        self.agreements = AgreementRepository(conn)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()
        row_ledger.disable(self.connection)
        self.connection.close()

    def commit(self) -> None:
        row_ledger.flush(self.connection)  # the rows written, into the ledger, in this transaction
        self._transaction.commit()

    def rollback(self) -> None:
        self._transaction.rollback()
        row_ledger.forget(self.connection)

    def record(self, action: str, record_id: str, content: dict[str, Any], *,
               at: datetime | None = None) -> str:
        """Append a ledger entry for a write made in this unit of work, stamped
        ``at`` (the use case's ``now``; the clock when not given)."""
        return ledger.append(self.connection, action, record_id, content, actor=self.actor, at=at)

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name
