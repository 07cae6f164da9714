"""A party's formal statements, submitted by its liaison officer.

A statement is a claim (asserts, denies, confirms, disputes, attributes)
about a published incident, spoken by an actor of the liaison's own party,
stored with status 'submitted' until an analyst reviews it. A liaison reads
their party's statements and other parties' published ones; staff read all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from ..domain.actors import Source, SourceKind
from ..domain.claims import Claim, ClaimStatus, Proposition, Stance, check_claim_value
from ..domain.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from ..domain.incidents import Status
from ..store.uow import UnitOfWork, use_case
from ..store.visibility import Visibility
from .directory import list_actors, unknown_id
from .records import add_claim, add_party_actor_source
from .users import Principal, Role

__all__ = ["Statement", "list_statements", "publish_statement", "read_statement", "reject_statement",
           "submit_statement"]

SUBMITTED = "submitted"


@dataclass(frozen=True)
class Statement:
    id: str
    incident_id: str | None
    actor_id: str
    party: str | None
    stance: str
    proposition: str
    value: str | None
    text: str | None
    status: str
    created_at: datetime
    submitted_by: str | None
    status_reason: str | None = None

    @property
    def status_words(self) -> str:
        return ClaimStatus(self.status).describe(self.status_reason)


def _statement(r) -> Statement:
    return Statement(r["id"], r["incident_id"], r["actor_id"], r["party"], r["stance"],
                     r["proposition"], r["value"], r["text"], r["status"], r["created_at"],
                     r["submitted_by"], r["status_reason"])


def _reader(principal: Principal) -> Visibility:
    if not principal.is_staff and principal.role is not Role.LIAISON:
        raise PermissionDenied("statements are read by liaisons and mission staff")
    return Visibility.of(principal)


def list_statements(uow: UnitOfWork, principal: Principal) -> list[Statement]:
    return [_statement(r) for r in uow.claims.statements(_reader(principal))]


def read_statement(uow: UnitOfWork, principal: Principal, statement_id: str) -> Statement:
    rows = uow.claims.statements(_reader(principal), statement_id)
    if not rows:
        raise NotFound(f"no statement {statement_id!r} that you may read", field="statement_id")
    return _statement(rows[0])


def _submitted(uow: UnitOfWork, statement_id: str) -> dict:
    rows = uow.claims.statements(None, statement_id)
    if not rows:
        raise NotFound(f"no statement {statement_id!r}", field="statement_id")
    if rows[0]["status"] != SUBMITTED:
        raise Conflict(f"statement {statement_id} is already {rows[0]['status']}", field="statement_id")
    return rows[0]


@use_case
def submit_statement(uow: UnitOfWork, liaison: Principal, *, incident_id: str, actor_id: str,
                     stance: Stance, proposition: Proposition, text: str, now: datetime,
                     value: str | None = None, statement_id: str | None = None) -> tuple[Statement, bool]:
    """Store a liaison's statement as a submitted claim; returns it and whether it is new."""
    if liaison.role is not Role.LIAISON or not liaison.party:
        raise PermissionDenied("only a party's liaison submits its statements")
    claim_id = f"stmt-{statement_id or uuid.uuid4()}"
    incident = uow.incidents.get(incident_id) if uow.incidents.exists(incident_id) else None
    if incident is None or incident.status is not Status.PUBLISHED:
        raise NotFound(f"no published incident with id {incident_id!r}", field="incident_id")
    actor = uow.directory.actors().get(actor_id)
    if actor is None:
        raise unknown_id("actor", actor_id, [a.id for a in list_actors(uow, liaison.party)],
                         field="actor_id", command="truce actors list")
    if actor.party != liaison.party:
        raise PermissionDenied(f"you speak for {liaison.party}; {actor_id} is not of that party",
                               field="actor_id")
    check_claim_value(stance, proposition, value)
    if proposition is Proposition.PERPETRATOR and value and not uow.directory.party_exists(value):
        raise ValidationError(f"unknown party {value!r}", field="value")
    found = uow.claims.statements(None, claim_id)
    existing = found[0] if found else None
    if existing is not None:
        same = (existing["submitted_by"] == liaison.id and existing["incident_id"] == incident_id
                and existing["actor_id"] == actor_id and existing["stance"] == stance.value
                and existing["proposition"] == proposition.value and existing["value"] == value
                and existing["text"] == text)
        if same:
            return _statement(existing), False
        raise Conflict(f"statement {statement_id} was already received with different content",
                       field="id", remedy="a new statement needs a new id")
    if uow.claims.exists(claim_id):
        raise Conflict(f"id {statement_id} is already used", field="id")
    source_id = f"s-{claim_id}"
    add_party_actor_source(uow, Source(
        id=source_id, name=f"{actor.name}: statement via liaison, {now.date().isoformat()}",
        kind=SourceKind.PARTY_STATEMENT, published=now, actor=actor_id, affiliation=liaison.party))
    add_claim(uow, Claim(id=claim_id, actor=actor_id, stance=stance, proposition=proposition,
                         incident=incident_id, source=source_id, value=value, text=text),
              now, status=SUBMITTED, submitted_by=liaison.id)
    return read_statement(uow, liaison, claim_id), True


@use_case
def publish_statement(uow: UnitOfWork, analyst: Principal, statement_id: str) -> Statement:
    """An analyst accepts a submitted statement: it is published beside the
    incident's other claims and counts towards its grade from now on."""
    from .curation import rederive

    row = _submitted(uow, statement_id)
    uow.claims.set_status(statement_id, ClaimStatus.PUBLISHED)
    uow.record("statement.publish", statement_id, {"incident": row["incident_id"], "by": analyst.id})
    rederive(uow, [row["incident_id"]], datetime.now(UTC))  # its grade, violations and attribution
    return read_statement(uow, analyst, statement_id)


@use_case
def reject_statement(uow: UnitOfWork, analyst: Principal, statement_id: str, reason: str) -> Statement:
    """An analyst refuses a submitted statement, saying why: it stays on record,
    seen by staff and by its party as "rejected by an analyst (reason)", and
    never counts or appears in public."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("say why the statement is rejected", field="reason")
    row = _submitted(uow, statement_id)
    uow.claims.set_status(statement_id, ClaimStatus.REJECTED, reason)
    uow.record("statement.reject", statement_id, {"incident": row["incident_id"], "by": analyst.id,
                                                  "reason": reason})
    return read_statement(uow, analyst, statement_id)
