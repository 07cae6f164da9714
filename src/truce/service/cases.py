"""Casework, part one: complaints, cases, evidence, tasks, requests for information, replies.

Findings, approval and publication are in ``service.findings``; the case
board (lists, one case as a reader sees it, deadlines) in ``service.case_board``.
Every function writes through the casework repository (``uow.cases``),
ledgers its step (``case.file``, ``case.open``, ``case.evidence``,
``case.task``, ``case.request``, ``case.reply``) with the case id, and is a
``@use_case``: it commits when it returns.

Service API::

    file_complaint(uow, principal, agreement_id=..., accused=..., term=..., summary=..., now=...,
                   incident_ids=(), allegation=None, evidence=()) -> str   # case id
    open_case(uow, principal, now, case_id=None, agreement_id=None, incident_ids=(),
              alert_id=None, accused=None, term=None, summary=None) -> str
    add_evidence(uow, case_id, kind, ref, note, by, now) -> str           # its sha256
    task_observer(uow, case_id, now, by, **task) -> Task
    request_information(uow, case_id, question, now, by) -> str          # request id
    reply(uow, principal, case_id, text, now, request_id=None) -> str     # reply id
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..domain.agreements import Agreement, TermKind
from ..domain.bounds import parse_moment
from ..domain.canonical import canonical_bytes, sha256_hex
from ..domain.cases import CaseStatus
from ..domain.exceptions import Conflict, NotFound, PermissionDenied, ValidationError
from ..domain.incidents import Status
from ..store.uow import UnitOfWork, use_case
from . import tasks
from .records import plain
from .users import Principal, Role

__all__ = [
    "EVIDENCE_KINDS", "add_evidence", "file_complaint", "open_case", "reply", "request_information",
    "task_observer",
]

EVIDENCE_KINDS = ("report", "incident", "evidence", "text")
MAX_TEXT = 5000
MAX_INCIDENTS = 50


def text(value: str | None, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str | None:
    """Trimmed text within ``limit``; ValidationError naming ``field`` otherwise."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError("must not be empty", field=field)
        return None
    if len(value) > limit:
        raise ValidationError(f"at most {limit} characters", field=field)
    return value


def agreement_of(uow: UnitOfWork, agreement_id: str | None) -> Agreement:
    if not agreement_id:
        raise ValidationError("name the agreement", field="agreement_id")
    try:
        return uow.agreements.get(agreement_id)
    except NotFound:
        raise ValidationError(f"no agreement {agreement_id!r}", field="agreement_id") from None


def term_of(agreement: Agreement, term: str | None, *, required: bool) -> str | None:
    if not term:
        if required:
            raise ValidationError("name the term said to be broken", field="term")
        return None
    try:
        kind = TermKind(term)
    except ValueError:
        raise ValidationError(f"unknown term {term!r}; one of: {', '.join(k.value for k in TermKind)}",
                              field="term") from None
    if agreement.terms and kind not in {x.kind for x in agreement.terms}:
        raise ValidationError(f"agreement {agreement.id} has no term {term!r}", field="term")
    return kind.value


def party_of(agreement: Agreement, party: str | None, field: str) -> str:
    if not party or party not in agreement.parties:
        raise ValidationError(f"{party!r} is not a party to {agreement.id} ({', '.join(agreement.parties)})",
                              field=field)
    return party


def _incidents(uow: UnitOfWork, ids: Sequence[str], *, published_only: bool) -> list[str]:
    ids = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    if len(ids) > MAX_INCIDENTS:
        raise ValidationError(f"at most {MAX_INCIDENTS} incidents", field="incident_ids")
    for incident_id in ids:
        if not uow.incidents.exists(incident_id) or (
                published_only and uow.incidents.get(incident_id).status is not Status.PUBLISHED):
            raise ValidationError(f"no incident {incident_id!r}", field="incident_ids")
    return ids


def _allegation(allegation: dict[str, Any] | None) -> dict[str, str] | None:
    """A new allegation: when (ISO 8601 with offset), where, what happened."""
    if allegation is None:
        return None
    at = text(str(allegation.get("at") or ""), "allegation.at", limit=40)
    moment = parse_moment(at or "", "allegation.at")  # the API's form and bounds, for every caller
    return {"at": moment.isoformat(), "place": text(allegation.get("place"), "allegation.place", limit=200) or "",
            "what": text(allegation.get("what"), "allegation.what") or ""}


def _new_case(uow: UnitOfWork, agreement: Agreement, *, origin: str, status: CaseStatus, now: datetime,
              **values: Any) -> str:
    store = uow.cases
    number = store.next_number()
    case_id = f"case-{number:04d}"
    due = store.rules(agreement.id).finding_due(now)
    row = dict(id=case_id, number=number, agreement_id=agreement.id, origin=origin, status=status.value,
               filed_at=now, due_at=due, **values)
    store.add(**row)
    return case_id


@use_case
def file_complaint(uow: UnitOfWork, principal: Principal, *, agreement_id: str, accused: str,
                   term: str, summary: str, now: datetime, incident_ids: Sequence[str] = (),
                   allegation: dict[str, Any] | None = None, evidence: Sequence[str] = ()) -> str:
    """A liaison's complaint that the other party broke a term: the incidents it
    concerns, or a new allegation, and the evidence (text). Returns the case id;
    the finding is due after the agreement's ``finding_hours``."""
    if principal.role is not Role.LIAISON or not principal.party:
        raise PermissionDenied("complaints are filed by a party's liaison")
    agreement = agreement_of(uow, agreement_id)
    party_of(agreement, principal.party, "agreement_id")
    if party_of(agreement, accused, "accused") == principal.party:
        raise ValidationError("a complaint is about another party", field="accused")
    term_ = term_of(agreement, term, required=True)
    summary_ = text(summary, "summary")
    ids = _incidents(uow, incident_ids, published_only=True)
    told = _allegation(allegation)
    if not ids and told is None:
        raise ValidationError("name the incidents it concerns, or describe a new allegation",
                              field="incident_ids")
    notes = [text(e, "evidence") for e in evidence]
    case_id = _new_case(uow, agreement, origin="complaint", status=CaseStatus.FILED, now=now,
                        complainant=principal.party, accused=accused, term=term_, incident_ids=ids,
                        allegation=told, summary=summary_, filed_by=principal.name)
    uow.record("case.file", case_id, {"agreement": agreement.id, "complainant": principal.party,
                                      "accused": accused, "term": term_, "incidents": ids,
                                      "allegation": told, "summary": summary_}, at=now)
    for note in notes:
        add_evidence(uow, case_id, "text", None, note, principal.name, now)
    return case_id


@use_case
def open_case(uow: UnitOfWork, principal: Principal, now: datetime, *, case_id: str | None = None,
              agreement_id: str | None = None, incident_ids: Sequence[str] = (),
              alert_id: str | None = None, accused: str | None = None, term: str | None = None,
              summary: str | None = None) -> str:
    """An analyst opens a case: from a filed complaint (``case_id``), or anew from
    an alert or incidents of an agreement. Returns the case id."""
    if not principal.is_staff:
        raise PermissionDenied("cases are opened by mission staff")
    if case_id is not None:
        row = uow.cases.case_row(case_id)
        if row["status"] != CaseStatus.FILED.value:
            raise Conflict(f"case {case_id} is already {row['status']}", field="case_id")
        uow.cases.set_status(case_id, CaseStatus.OPEN, opened_by=principal.name, opened_at=now)
        uow.record("case.open", case_id, {"from": "complaint", "by": principal.name}, at=now)
        return case_id
    agreement = agreement_of(uow, agreement_id)
    ids = _incidents(uow, incident_ids, published_only=False)
    origin = "incident"
    if alert_id:
        alert = uow.monitoring.alert(alert_id).alert
        ids = list(dict.fromkeys([*ids, *alert.incident_ids]))
        origin = "alert"
    if not ids:
        raise ValidationError("a case opened by the mission starts from an alert or incidents",
                              field="incident_ids")
    accused_ = party_of(agreement, accused, "accused") if accused else None
    term_ = term_of(agreement, term, required=False)
    summary_ = text(summary, "summary")
    new_id = _new_case(uow, agreement, origin=origin, status=CaseStatus.OPEN, now=now, alert_id=alert_id or None,
                       accused=accused_, term=term_, incident_ids=ids, summary=summary_,
                       filed_by=principal.name, opened_by=principal.name, opened_at=now)
    uow.record("case.open", new_id, {"from": origin, "agreement": agreement.id, "alert": alert_id,
                                     "incidents": ids, "accused": accused_, "term": term_,
                                     "summary": summary_, "by": principal.name}, at=now)
    return new_id


def open_row(uow: UnitOfWork, case_id: str) -> Any:
    """The case's row; Conflict once it is closed (its finding published)."""
    row = uow.cases.case_row(case_id)
    if row["status"] == CaseStatus.PUBLISHED.value:
        raise Conflict(f"case {case_id} is closed: its finding is published", field="case_id")
    return row


def _hash_of(uow: UnitOfWork, kind: str, ref: str | None, note: str | None) -> tuple[str | None, str]:
    if kind == "text":
        return None, sha256_hex((note or "").encode())
    ref = text(ref, "ref", limit=200)
    if kind == "report":
        found = uow.reports.content_hash(ref or "")
        if found is None:
            raise ValidationError(f"no report {ref!r}", field="ref")
        return ref, found
    if kind == "incident":
        if not uow.incidents.exists(ref or ""):
            raise ValidationError(f"no incident {ref!r}", field="ref")
        return ref, sha256_hex(canonical_bytes(plain(uow.incidents.get(ref or ""))))
    stored = uow.cases.stored_evidence(ref or "")
    if stored is None:
        raise ValidationError(f"no stored evidence with sha256 {ref!r}", field="ref")
    return ref, stored


@use_case
def add_evidence(uow: UnitOfWork, case_id: str, kind: str, ref: str | None, note: str | None,
                 by: str | None, now: datetime) -> str:
    """Add to a case's evidence a report, an incident, a stored evidence file (by
    its sha256) or a text; returns the sha256 that pins what was added."""
    if kind not in EVIDENCE_KINDS:
        raise ValidationError(f"one of {', '.join(EVIDENCE_KINDS)}", field="kind")
    open_row(uow, case_id)
    note_ = text(note, "note", required=kind == "text")
    ref_, digest = _hash_of(uow, kind, ref, note_)
    uow.cases.add_evidence(case_id, kind=kind, ref=ref_, sha256=digest, note=note_, by=by, at=now)
    uow.record("case.evidence", case_id, {"kind": kind, "ref": ref_, "sha256": digest, "by": by}, at=now)
    return digest


@use_case
def task_observer(uow: UnitOfWork, case_id: str, now: datetime, by: str | None, **task: Any) -> tasks.Task:
    """Task observers for the case (``service.tasks.create_task`` arguments); the
    reports that answer the task are the case's."""
    open_row(uow, case_id)
    made = tasks.create_task(uow, now=now, case_id=case_id, created_by=by, **task)
    uow.record("case.task", case_id, {"task": made.id, "by": by}, at=now)
    return made


@use_case
def request_information(uow: UnitOfWork, case_id: str, question: str, now: datetime,
                        by: str | None) -> str:
    """Ask each party of the case for information, with a deadline
    (``request_hours``); both parties' liaisons see it. Returns its id."""
    row = open_row(uow, case_id)
    if row["status"] == CaseStatus.FILED.value:
        raise Conflict(f"open case {case_id} first", field="case_id")
    question_ = text(question, "question")
    due = uow.cases.rules(row["agreement_id"]).request_due(now)
    request_id = f"rfi-{uuid.uuid4().hex[:12]}"
    uow.cases.add_request(request_id, case_id, question=question_ or "", by=by, at=now, due=due)
    uow.record("case.request", case_id, {"request": request_id, "question": question_,
                                         "due_at": due.isoformat(), "by": by}, at=now)
    return request_id


@use_case
def reply(uow: UnitOfWork, principal: Principal, case_id: str, reply_text: str, now: datetime, *,
          request_id: str | None = None) -> str:
    """A party's reply: to a request for information (``request_id``), or to the
    draft finding within the time to reply. One reply per party to each.
    Returns the reply id."""
    if principal.role is not Role.LIAISON or not principal.party:
        raise PermissionDenied("replies are made by a party's liaison")
    row = open_row(uow, case_id)
    if principal.party not in (row["complainant"], row["accused"]):
        raise NotFound(f"no case {case_id!r} for you", field="case_id")
    body = text(reply_text, "text")
    finding_id = None
    if request_id is not None:
        if not uow.cases.request_exists(case_id, request_id):
            raise ValidationError(f"no request {request_id!r} in case {case_id}", field="request_id")
    else:
        finding = uow.cases.finding_row(case_id)
        if finding is None:
            raise Conflict(f"case {case_id} has no draft finding to reply to", field="case_id")
        if now > finding["reply_due_at"]:
            raise Conflict(f"the time to reply to the finding ended at {finding['reply_due_at'].isoformat()}",
                           field="text")
        finding_id = finding["id"]
    if uow.cases.has_replied(principal.party, request_id=request_id, finding_id=finding_id):
        raise Conflict(f"{principal.party} has already replied", field="text",
                       remedy="a reply is kept as given; say more in the next request's reply")
    reply_id = f"reply-{uuid.uuid4().hex[:12]}"
    uow.cases.add_reply(reply_id, case_id, party=principal.party, request_id=request_id, finding_id=finding_id,
                        text=body or "", by=principal.name, at=now)
    uow.record("case.reply", case_id, {"reply": reply_id, "party": principal.party, "request": request_id,
                                       "finding": finding_id, "text": body, "by": principal.name}, at=now)
    return reply_id
