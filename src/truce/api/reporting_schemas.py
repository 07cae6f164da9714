"""Request and response bodies of the field-reporting API: users, reports,
statements, the ledger. Request bodies refuse unknown fields."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..domain.claims import Proposition, Stance
from ..service.users import Role
from .schemas import UtcTime

__all__ = [
    "ConsistencyProof", "EvidencePublic", "Estimate", "InclusionProof", "LedgerHead", "LedgerVerification", "Me",
    "ObserverDetail",
    "ReportAccepted", "ReportOut", "StatementCreate", "StatementPublic", "UserCreate",
    "UserCreated", "UserKey", "UserKeyRegistered", "UserPublic", "UserToken", "UserTokenRequest",
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Estimate(BaseModel):
    observation: int
    latitude: float
    longitude: float
    uncertainty_m: float
    along_m: float
    across_m: float


class ReportAccepted(BaseModel):
    id: str
    kind: str
    received: UtcTime
    observed_at: UtcTime | None
    content_hash: str
    estimates: list[Estimate]


class EvidencePublic(BaseModel):
    sha256: str
    report_id: str
    filename: str
    content_type: str
    size: int
    received: UtcTime


class ObserverDetail(BaseModel):
    """Staff and the observer themself only."""

    observer_id: str | None
    report: dict[str, Any]
    estimates: list[Estimate]
    latitude: float | None
    longitude: float | None
    signature: str | None
    evidence: list[EvidencePublic]


class ReportOut(BaseModel):
    id: str
    kind: str
    source_id: str
    received: UtcTime
    observed_at: UtcTime | None
    summary: str
    corrects: str | None
    incidents: list[str]
    observer: ObserverDetail | None = Field(description="null unless you are staff or its observer")


class UserCreate(_Request):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Role
    party: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    public_key: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    expires_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    reason: Annotated[str, Field(min_length=1, max_length=2000,
                                 description="Why this user becomes an admin (a proposal, from the third admin on).")
                      ] | None = None


class UserKey(_Request):
    public_key: Annotated[str, Field(min_length=1, max_length=1000)]


class UserTokenRequest(_Request):
    expires_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    reason: Annotated[str, Field(min_length=1, max_length=2000)] | None = Field(
        None, description="Why another admin gets a new token (a proposal once the store has two admins).")


class UserPublic(BaseModel):
    id: str
    name: str
    role: str
    party: str | None
    public_key: str | None
    active: bool
    created_at: UtcTime
    token_expires_at: UtcTime | None


class UserKeyRegistered(UserPublic):
    change: str | None = Field(None, description="An admin's own first key, once another admin signs approvals: "
                                                 "the key takes effect once a second admin approves this change.")


class UserEnding(_Request):
    reason: Annotated[str, Field(min_length=1, max_length=2000)] | None = Field(
        None, description="Why: deactivating an admin who signs approvals, or revoking their key, is a proposal "
                          "a second admin approves with a signed approval.")


class UserChanged(UserPublic):
    change: str | None = Field(None, description="An admin who signs approvals: nothing changed yet; it takes "
                                                 "effect once a second admin approves this change, signed.")


class UserCreated(BaseModel):
    user: UserPublic
    token: str = Field(description="Shown once; only its hash is kept.")
    change: str | None = Field(None, description="A new admin's proposal, or a new token for another admin: "
                                                 "the token works once a second admin approves this change.")


UserToken = UserCreated


class Me(BaseModel):
    id: str
    name: str
    role: str
    party: str | None
    has_signing_key: bool
    public_key: str | None = Field(default=None, description="your signing key valid now (base64), if any")


class StatementCreate(_Request):
    id: uuid.UUID | None = Field(default=None, description="Client-made; a retry reuses it.")
    incident_id: Annotated[str, Field(min_length=1, max_length=64)]
    actor_id: Annotated[str, Field(min_length=1, max_length=64)]
    stance: Stance
    proposition: Proposition = Proposition.HAPPENED
    value: Annotated[str, Field(max_length=200)] | None = None
    text: Annotated[str, Field(min_length=1, max_length=10_000)]


class StatementPublic(BaseModel):
    id: str
    incident_id: str | None
    actor_id: str
    party: str | None
    stance: str
    proposition: str
    value: str | None
    text: str | None
    status: str
    status_words: str = Field(description='"submitted, awaiting review", "published" or '
                                          '"rejected by an analyst (reason)"')
    created_at: UtcTime


class StatementRejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="Why the statement is not published.")


class LedgerHead(BaseModel):
    seq: int
    head: str


class InclusionProof(BaseModel):
    seq: int
    size: int
    leaf_index: int
    leaf_hash: str
    entry: dict[str, Any] | None = None  # mission staff only
    content: dict[str, Any] | None = None  # mission staff only
    proof: list[str]


class ConsistencyProof(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first: int = Field(alias="from")
    second: int = Field(alias="to")
    proof: list[str]


class LedgerVerification(BaseModel):
    ok: bool
    entries: int
    head: str
    first_bad: int | None
    reason: str | None
