"""Request and response bodies of the field app's API: enrolment, tasks,
resumable uploads, receipts. Request bodies refuse unknown fields."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..service.bounded import Moment
from .schemas import UtcTime

__all__ = [
    "EnrolRequest", "Enrolled", "EnrolmentCode", "EnrolmentCreate", "FieldRules", "ReceiptPublic",
    "TaskCreate", "TaskPublic", "UploadCreate", "UploadPublic",
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class EnrolmentCreate(_Request):
    valid_minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] = 30


class EnrolmentCode(BaseModel):
    name: str
    code: str = Field(description="One-time; shown once.")
    expires_at: UtcTime
    url: str = Field(description="Opens the field app with the code filled in.")
    approval: str | None = Field(default=None, description=(
        "A re-enrolment (the observer had a key): the change a second admin approves before the code works."))


class EnrolRequest(_Request):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    public_key: Annotated[str, Field(min_length=1, max_length=1000,
                                     description="Base64 of the 32 raw bytes of the device's Ed25519 key.")]


class Enrolled(BaseModel):
    name: str
    role: str
    token: str = Field(description="The device's API token, shown once.")


class TaskCreate(_Request):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    look_for: Annotated[str, Field(min_length=1, max_length=2000, description="What to check.")]
    window_start: Moment
    window_end: Moment
    place_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    radius_m: Annotated[float, Field(gt=0, le=100_000)] | None = None
    observer: Annotated[str, Field(min_length=1, max_length=200,
                                   description="One observer's user name; omit for all.")] | None = None
    case_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class TaskPublic(BaseModel):
    id: str
    title: str
    look_for: str
    place_name: str | None
    latitude: float | None
    longitude: float | None
    radius_m: float | None
    window_start: UtcTime
    window_end: UtcTime
    observer: str | None
    case_id: str | None
    status: str
    created_by: str | None
    created_at: UtcTime
    reports: list[str] = Field(description="Reports received in answer to it.")


class UploadCreate(_Request):
    report_id: Annotated[str, Field(min_length=1, max_length=64)]
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=1)]
    content_type: Annotated[str, Field(min_length=1, max_length=100)]
    filename: Annotated[str, Field(min_length=1, max_length=200)] = "file"


class UploadPublic(BaseModel):
    id: str
    report_id: str
    sha256: str
    size: int
    content_type: str
    offset: int = Field(description="Bytes received so far: send the next chunk from here.")
    complete: bool


class ReceiptPublic(BaseModel):
    id: str
    kind: str
    received: UtcTime
    content_hash: str
    ledger_seq: int | None
    ledger_hash: str | None
    evidence: list[str]
    task: str | None


class FieldRules(BaseModel):
    schema_: dict[str, Any] = Field(alias="schema", serialization_alias="schema")
    theatre: dict[str, float]
    future_tolerance_s: int
    max_upload_bytes: int
    chunk_bytes: int
    evidence_types: list[str]
    weapon_classes: list[str]
    parties: list[str]
