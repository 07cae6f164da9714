"""Request and response bodies of the joint commission's casework
(``/api/cases``). Request bodies refuse unknown fields."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..service.bounded import Moment
from .schemas import UtcTime

__all__ = [
    "Allegation", "ApprovalPublic", "CaseBoard", "CaseCreate", "CaseDetail", "CaseFiled", "CaseSummaryPublic",
    "CaseTaskCreate", "CommissionPublic", "ComplaintCreate", "EvidenceCreate", "FindingCreate", "FindingPublic",
    "MemberCreate", "PartyTallyPublic", "ReplyCreate", "RequestCreate", "RulesUpdate",
]

Id = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Allegation(_Request):
    at: Moment = Field(description="When it happened, with its UTC offset.")
    place: Annotated[str, Field(min_length=1, max_length=200)]
    what: Text


class ComplaintCreate(_Request):
    agreement_id: Id
    accused: Annotated[str, Field(min_length=1, max_length=32, description="The party said to have broken it.")]
    term: Annotated[str, Field(min_length=1, max_length=64, description="e.g. no_fire")]
    summary: Text
    incident_ids: Annotated[list[Id], Field(max_length=50)] = []
    allegation: Allegation | None = None
    evidence: Annotated[list[Text], Field(max_length=20, description="What the party offers, as text.")] = []


class CaseFiled(BaseModel):
    id: str
    number: int
    status: str
    due_at: UtcTime = Field(description="When the commission's finding is due.")
    acknowledgement: str


class CaseCreate(_Request):
    """Open a filed complaint (``case_id``), or a new case from an alert or incidents."""

    case_id: Id | None = None
    agreement_id: Id | None = None
    incident_ids: Annotated[list[Id], Field(max_length=50)] = []
    alert_id: Id | None = None
    accused: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    term: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    summary: Text | None = None


class EvidenceCreate(_Request):
    kind: Annotated[str, Field(description="report, incident, evidence (a stored file by sha256) or text")]
    ref: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    note: Text | None = None


class CaseTaskCreate(_Request):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    look_for: Annotated[str, Field(min_length=1, max_length=2000)]
    window_start: AwareDatetime
    window_end: AwareDatetime
    place_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    radius_m: Annotated[float, Field(gt=0, le=100_000)] | None = None
    observer: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class RequestCreate(_Request):
    question: Text


class ReplyCreate(_Request):
    text: Text
    request_id: Id | None = Field(None, description="The request answered; omit to reply to the draft finding.")


class FindingCreate(_Request):
    outcome: Annotated[str, Field(description="confirmed, not_confirmed or inconclusive")]
    reasons: Annotated[str, Field(min_length=1, max_length=20_000)]
    cites: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=100)] = []
    party: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    term: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class RulesUpdate(_Request):
    finding_hours: Annotated[int, Field(ge=1, le=8760)] | None = None
    reply_hours: Annotated[int, Field(ge=1, le=8760)] | None = None
    request_hours: Annotated[int, Field(ge=1, le=8760)] | None = None
    quorum: Annotated[list[Annotated[str, Field(min_length=1, max_length=32)]], Field(max_length=10)] | None = None


class MemberCreate(_Request):
    user: Annotated[str, Field(min_length=1, max_length=200)]
    seat: Annotated[str, Field(min_length=1, max_length=32, description="A party's id, or mediator.")]


class CommissionPublic(BaseModel):
    agreement_id: str
    finding_hours: int
    reply_hours: int
    request_hours: int
    quorum: list[str]
    members: list[dict[str, str]]


class CaseSummaryPublic(BaseModel):
    id: str
    number: int
    agreement: str
    origin: str
    complainant: str | None
    accused: str | None
    term: str | None
    summary: str
    status: str
    filed_at: UtcTime
    due_at: UtcTime
    closed_at: UtcTime | None
    age_hours: float
    overdue: bool
    outcome: str | None


class PartyTallyPublic(BaseModel):
    party: str
    filed: int
    substantiated: int
    not_substantiated: int
    pending: int


class CaseBoard(BaseModel):
    data: list[CaseSummaryPublic]
    count: int
    parties: list[PartyTallyPublic] = Field(description="Per complaining party: filed, substantiated ...")


class FindingPublic(BaseModel):
    id: str
    outcome: str
    party: str | None
    term: str | None
    reasons: str
    cites: list[dict[str, Any]]
    drafted_at: UtcTime
    drafted_by: str | None
    reply_due_at: UtcTime
    published_at: UtcTime | None
    published_by: str | None = None


class ApprovalPublic(BaseModel):
    seat: str
    by: str
    at: UtcTime


class CaseDetail(BaseModel):
    case: CaseSummaryPublic
    incident_ids: list[str]
    allegation: dict[str, Any] | None
    evidence: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    replies: list[dict[str, Any]] = Field(description="Each party's replies, shown beside the finding.")
    finding: FindingPublic | None
    approvals: list[ApprovalPublic]
    missing_seats: list[str]
    tasks: list[dict[str, Any]] = Field(description="Mission staff only.")
    answers: list[dict[str, Any]] = Field(description="Reports answering the tasks: mission staff only.")
    timeline: list[dict[str, Any]]
