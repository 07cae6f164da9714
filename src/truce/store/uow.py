"""The unit of work: one transaction, its repositories, and the ledger.

Nothing is written unless ``commit()`` is called; leaving the block without
it rolls everything back, ledger entries included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from . import ledger, row_ledger, tables
from .daily import DayRepository
from .monitoring import MonitoringStore
from .repositories import (
    AgreementRepository,
    ClaimRepository,
    ControlRepository,
    DirectoryRepository,
    IncidentRepository,
    PlaceRepository,
    ReportRepository,
)
from .users import UserRepository

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
        self.monitoring = MonitoringStore(conn)
        self.users = UserRepository(conn)
        self.days = DayRepository(conn)
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

    def ledger_head(self) -> tuple[int, str]:
        """(sequence number, entry hash) of the newest ledger entry."""
        return ledger.head(self.connection)

    def verify_ledger(self) -> ledger.LedgerCheck:
        return ledger.verify(self.connection)

    def ledger_entries(self, record_ids: list[str], limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` ledger entries about these records (seq, action, at, entry hash)."""
        c = tables.ledger.c
        query = (select(c.seq, c.action, c.at, c.entry_hash).where(c.record_id.in_(record_ids))
                 .order_by(c.seq.desc()).limit(limit))
        return [dict(r._mapping) for r in self.connection.execute(query)]

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name
