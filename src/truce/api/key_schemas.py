"""Request and response bodies of key history and of key and role changes.
Request bodies refuse unknown fields."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..service.users import Role
from .schemas import UtcTime

__all__ = ["ChangeCreate", "ChangeKind", "ChangePublic", "KeyPublic", "KeyReplacement"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class KeyPublic(BaseModel):
    id: str
    user: str
    public_key: str
    valid_from: UtcTime
    valid_until: UtcTime | None = Field(description="null while the key is valid")
    added_by: str
    reason: str
    change_id: str | None = Field(description="the change that authorised it; null for a first key")
    ended_by: str | None
    end_reason: str | None


class ChangeKind(str, Enum):
    KEY = "key"
    ROLE = "role"


class ApprovalSigned(_Request):
    signature: Annotated[str | None, Field(min_length=1, max_length=200, description=(
        "base64 Ed25519 signature, by the approver's key, of the change's truce.approval/v1 payload in "
        "the canonical form; an approver with a signing key sends it (without, truce says why it is "
        "needed)"))] = None


class ChangeCreate(_Request):
    kind: ChangeKind
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    public_key: Annotated[str, Field(min_length=1, max_length=1000)] | None = Field(
        default=None, description="kind key: the new Ed25519 public key")
    role: Role | None = Field(default=None, description="kind role: the new role")
    party: Annotated[str, Field(min_length=1, max_length=32)] | None = Field(
        default=None, description="kind role: the party of a liaison")


class ChangePublic(BaseModel):
    id: str
    user: str
    kind: str
    public_key: str | None
    role: str | None
    party: str | None
    reason: str
    proposed_by: str
    proposed_at: UtcTime
    status: str = Field(description="pending, approved, rejected, superseded, or signed (by the user's key)")
    decided_by: str | None
    decided_at: UtcTime | None


class KeyReplacement(_Request):
    """Signed with the current key: the canonical form of these fields without
    ``signature`` (docs/canonical-form.md), as for a report."""

    type: Annotated[str, Field(max_length=100, description="truce.key-replacement/v1")]
    user: Annotated[str, Field(min_length=1, max_length=200, description="your own user name")]
    replaces: Annotated[str, Field(min_length=1, max_length=1000, description="your current public key")]
    public_key: Annotated[str, Field(min_length=1, max_length=1000, description="the new public key")]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    signature: Annotated[str, Field(min_length=1, max_length=200)]

    def body(self) -> dict[str, Any]:
        return self.model_dump()
