"""Writing the basic records, each with its ledger entry.

Every function here writes through the unit of work and appends to the
ledger in the same transaction; the use case that calls them commits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import Any

from ..domain.actors import Actor, Party, Source
from ..domain.agreements import Agreement
from ..domain.canonical import canonical_bytes, sha256_hex
from ..domain.claims import Claim, ClaimStatus
from ..domain.exceptions import Conflict, ValidationError
from ..domain.incidents import CasualtyFigure, Incident, Report
from ..domain.places import Control
from ..store.uow import UnitOfWork

__all__ = [
    "add_agreement", "add_claim", "add_control", "add_incident", "add_party_actor_source",
    "add_report", "plain", "report_content",
]


def plain(value: Any, *, moment: Callable[[datetime], Any] = datetime.isoformat) -> Any:
    """A record as JSON-ready values (enums by value, moments in ISO 8601 as
    ``moment`` writes them: as given for ledger content and content hashes,
    whose bytes must not change; ``utc_iso`` for what a machine receives)."""
    if hasattr(value, "__dataclass_fields__"):  # as asdict() would, without its deep copies
        value = {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, dict):
        return {k: plain(v, moment=moment) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, moment=moment) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return moment(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def report_content(report: Report) -> dict[str, Any]:
    """What a report's content hash covers: everything but the time received."""
    content = plain(report)
    content.pop("received", None)
    content.pop("incident", None)
    return content


def add_party_actor_source(uow: UnitOfWork, record: Party | Actor | Source) -> None:
    if isinstance(record, Party):
        uow.directory.add_party(record)
        uow.record("party.add", record.id, plain(record))
    elif isinstance(record, Actor):
        if record.party and not uow.directory.party_exists(record.party):
            raise ValidationError(f"unknown party {record.party!r}", field="party")
        uow.directory.add_actor(record)
        uow.record("actor.add", record.id, plain(record))
    else:
        if record.repeats and not uow.directory.source_exists(record.repeats):
            raise ValidationError(f"source {record.id} repeats unknown source {record.repeats!r}",
                                  field="repeats")
        for relayed in record.relays:
            if relayed == record.id or not uow.directory.source_exists(relayed):
                raise ValidationError(f"source {record.id} relays unknown source {relayed!r}",
                                      field="relays")
        uow.directory.add_source(record)
        uow.record("source.add", record.id, plain(record))


def add_report(uow: UnitOfWork, report: Report, *, signature: str | None = None,
               known_new: bool = False, now: datetime | None = None,
               content_hash: str | None = None) -> str:
    """Store a report once; returns its content hash.

    The same id with the same content is accepted as a retry (no second
    row); the same id with other content is a Conflict. ``known_new``: the
    caller holds the write lock and has looked the id up already; ``now``
    stamps the ledger entry (the use case's time); ``content_hash``, the
    report's, when the caller has computed it already.
    """
    content_hash = content_hash or sha256_hex(canonical_bytes(report_content(report)))
    stored = None if known_new else uow.reports.content_hash(report.id)
    if stored is not None:
        if stored == content_hash:
            return content_hash
        raise Conflict(
            f"report {report.id} was already received with different content",
            field="id", remedy="a correction is a new report with its own id that names this one in 'corrects'",
        )
    if report.corrects and uow.reports.content_hash(report.corrects) is None:
        raise ValidationError(f"report corrects unknown report {report.corrects!r}", field="corrects")
    uow.reports.add(report, content_hash, signature)
    uow.record("report.add", report.id, {"content_hash": content_hash, "source": report.source},
               at=now)
    return content_hash


def add_incident(uow: UnitOfWork, incident: Incident, now: datetime,
                 casualties: list[CasualtyFigure] | None = None) -> None:
    if uow.incidents.exists(incident.id):
        raise Conflict(f"incident {incident.id} already exists", field="id")
    uow.incidents.add(incident, now)
    uow.incidents.add_casualties(incident.id, casualties or [])
    uow.record("incident.add", incident.id, {
        "incident": plain(incident), "casualties": plain(casualties or []),
    })


def add_claim(uow: UnitOfWork, claim: Claim, now: datetime, *, status: str | None = None,
              submitted_by: str | None = None) -> None:
    """Store a claim (``status`` overrides the claim's own, published by default)."""
    if status is not None:
        claim = dataclasses.replace(claim, status=ClaimStatus(status))
    uow.claims.add(claim, now, submitted_by=submitted_by)
    uow.record("claim.add", claim.id, plain(claim))


def add_control(uow: UnitOfWork, control: Control, place_name: str) -> None:
    if not uow.directory.party_exists(control.party):
        raise ValidationError(f"unknown party {control.party!r}", field="party")
    uow.controls.add(control, place_name)
    uow.record("control.add", control.id, dict(plain(control), place_name=place_name))


def add_agreement(uow: UnitOfWork, agreement: Agreement) -> None:
    for party in agreement.parties:
        if not uow.directory.party_exists(party):
            raise ValidationError(f"unknown party {party!r}", field="parties")
    uow.agreements.add(agreement)
    uow.record("agreement.add", agreement.id, plain(agreement))
