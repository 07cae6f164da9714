"""The joint commission's casework: complaints, cases, findings, replies, approval."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from fastapi import APIRouter

from ...service import case_board, cases, findings
from ...store.visibility import Visibility
from ..case_schemas import (
    CaseBoard,
    CaseCreate,
    CaseDetail,
    CaseFiled,
    CaseSummaryPublic,
    CaseTaskCreate,
    CommissionPublic,
    ComplaintCreate,
    EvidenceCreate,
    FindingCreate,
    MemberCreate,
    PartyTallyPublic,
    ReplyCreate,
    RequestCreate,
    RulesUpdate,
)
from ..deps import CurrentPrincipal, OptionalPrincipal, Role, UowDep, require
from ..field_schemas import TaskPublic
from .tasks import task_public

router = APIRouter(prefix="/api/cases", tags=["cases"])
staff = [require(Role.ANALYST, Role.ADMIN)]
liaisons = [require(Role.LIAISON)]
admins = [require(Role.ADMIN)]


def _now() -> datetime:
    return datetime.now(UTC)


def _detail(uow: UowDep, seen_by: Visibility, case_id: str) -> CaseDetail:
    view = case_board.show_case(uow, seen_by, case_id, _now())
    return CaseDetail(**{**view.__dict__, "case": CaseSummaryPublic(**asdict(view.case)),
                         "timeline": [asdict(s) for s in view.timeline]})


def _filed(uow: UowDep, case_id: str, words: str) -> CaseFiled:
    row = uow.cases.case_row(case_id)
    return CaseFiled(id=case_id, number=row["number"], status=row["status"], due_at=row["due_at"],
                     acknowledgement=f"{words} as case {case_id}; the commission's finding is due "
                                     f"{row['due_at'].isoformat()}")


@router.post("/complaints", status_code=201, response_model=CaseFiled, dependencies=liaisons)
def file_complaint(body: ComplaintCreate, uow: UowDep, principal: CurrentPrincipal) -> CaseFiled:
    """A party's complaint that the other party broke a term of an agreement."""
    data = body.model_dump()
    if body.allegation is not None:
        data["allegation"] = {**data["allegation"], "at": body.allegation.at.isoformat()}
    case_id = cases.file_complaint(uow, principal, now=_now(), **data)
    return _filed(uow, case_id, "Complaint received")


@router.post("", status_code=201, response_model=CaseFiled, dependencies=staff)
def open_case(body: CaseCreate, uow: UowDep, principal: CurrentPrincipal) -> CaseFiled:
    """Open a filed complaint, or a new case from an alert or incidents."""
    case_id = cases.open_case(uow, principal, _now(), **body.model_dump())
    return _filed(uow, case_id, "Opened")


@router.get("", response_model=CaseBoard)
def list_cases(uow: UowDep, principal: OptionalPrincipal, open_only: bool = False) -> CaseBoard:
    """The case board: cases you may see, oldest first, overdue ones marked; per party tallies."""
    seen_by = Visibility.of(principal)
    found = case_board.list_cases(uow, seen_by, _now(), open_only=open_only)
    return CaseBoard(data=[CaseSummaryPublic(**asdict(c)) for c in found], count=len(found),
                     parties=[PartyTallyPublic(**asdict(p)) for p in case_board.party_tallies(uow, seen_by)])


@router.get("/commission/{agreement_id}", response_model=CommissionPublic)
def commission(agreement_id: str, uow: UowDep, _principal: CurrentPrincipal) -> CommissionPublic:
    """An agreement's casework rules (deadlines, quorum) and its commission's members."""
    agreement = uow.agreements.get(agreement_id)
    store = uow.cases
    rules = store.rules(agreement.id)
    return CommissionPublic(agreement_id=agreement.id, finding_hours=rules.finding_hours,
                            reply_hours=rules.reply_hours, request_hours=rules.request_hours,
                            quorum=list(rules.seats(agreement.parties)),
                            members=[{"user": name, "seat": seat} for _id, name, seat in store.members(agreement.id)])


@router.put("/commission/{agreement_id}/rules", response_model=CommissionPublic, dependencies=admins)
def set_rules(agreement_id: str, body: RulesUpdate, uow: UowDep, principal: CurrentPrincipal) -> CommissionPublic:
    findings.set_rules(uow, agreement_id, _now(), **body.model_dump())
    return commission(agreement_id, uow, principal)


@router.post("/commission/{agreement_id}/members", status_code=201, response_model=CommissionPublic,
             dependencies=admins)
def add_member(agreement_id: str, body: MemberCreate, uow: UowDep, principal: CurrentPrincipal) -> CommissionPublic:
    findings.add_member(uow, agreement_id, body.user, body.seat, _now())
    return commission(agreement_id, uow, principal)


@router.get("/{case_id}", response_model=CaseDetail)
def get_case(case_id: str, uow: UowDep, principal: OptionalPrincipal) -> CaseDetail:
    """One case as you may see it, with its timeline."""
    return _detail(uow, Visibility.of(principal), case_id)


@router.post("/{case_id}/evidence", status_code=201, response_model=CaseDetail, dependencies=staff)
def add_evidence(case_id: str, body: EvidenceCreate, uow: UowDep, principal: CurrentPrincipal) -> CaseDetail:
    """Add a report, an incident, a stored evidence file or a text, pinned by its sha256."""
    cases.add_evidence(uow, case_id, body.kind, body.ref, body.note, principal.name, _now())
    return _detail(uow, Visibility.of(principal), case_id)


@router.post("/{case_id}/tasks", status_code=201, response_model=TaskPublic, dependencies=staff)
def task_observer(case_id: str, body: CaseTaskCreate, uow: UowDep, principal: CurrentPrincipal) -> TaskPublic:
    """Task observers for the case; their answers become the case's."""
    task = cases.task_observer(uow, case_id, _now(), principal.name, **body.model_dump())
    return task_public(task)


@router.post("/{case_id}/requests", status_code=201, response_model=CaseDetail, dependencies=staff)
def request_information(case_id: str, body: RequestCreate, uow: UowDep, principal: CurrentPrincipal) -> CaseDetail:
    """Ask each party of the case for information, with a deadline."""
    cases.request_information(uow, case_id, body.question, _now(), principal.name)
    return _detail(uow, Visibility.of(principal), case_id)


@router.post("/{case_id}/replies", status_code=201, response_model=CaseDetail, dependencies=liaisons)
def reply(case_id: str, body: ReplyCreate, uow: UowDep, principal: CurrentPrincipal) -> CaseDetail:
    """Your party's reply to a request for information, or to the draft finding."""
    cases.reply(uow, principal, case_id, body.text, _now(), request_id=body.request_id)
    return _detail(uow, Visibility.of(principal), case_id)


@router.post("/{case_id}/finding", status_code=201, response_model=CaseDetail,
             dependencies=[require(Role.ANALYST)])
def draft_finding(case_id: str, body: FindingCreate, uow: UowDep, principal: CurrentPrincipal) -> CaseDetail:
    """Draft the finding; it goes to both parties for their reply."""
    findings.draft_finding(uow, case_id, now=_now(), by=principal.name, **body.model_dump())
    return _detail(uow, Visibility.of(principal), case_id)


@router.post("/{case_id}/approve", response_model=CaseDetail)
def approve(case_id: str, uow: UowDep, principal: CurrentPrincipal) -> CaseDetail:
    """A commission member's approval (403 for anyone outside the commission)."""
    findings.approve(uow, principal, case_id, _now())
    return _detail(uow, Visibility.of(principal), case_id)


@router.post("/{case_id}/publish", response_model=CaseDetail, dependencies=staff)
def publish(case_id: str, uow: UowDep, principal: CurrentPrincipal) -> CaseDetail:
    """Publish the finding the quorum approved; tallies follow it."""
    findings.publish(uow, case_id, _now(), principal.name)
    return _detail(uow, Visibility.of(principal), case_id)
