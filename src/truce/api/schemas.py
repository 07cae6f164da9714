"""Request and response bodies, separate from domain and table classes."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ListOf(BaseModel, Generic[T]):
    data: list[T]
    count: int


class IncidentPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    event_type: str
    sub_type: str | None
    start: datetime
    end: datetime
    time_precision: str
    place_id: str | None
    place_name: str | None
    place_label: str | None = None  # the theatre's neutral name (truce.geo.naming)
    latitude: float | None
    longitude: float | None
    geo_precision: str
    country: str | None
    weapon_class: str
    target_type: str
    status: str
    grade: str | None
    grade_computed: str | None
    grade_reasons: list[str]
    grade_override_reason: str | None
    location_uncertainty_m: float | None = None


class ClaimPublic(BaseModel):
    id: str
    actor_id: str
    actor_name: str
    actor_party: str | None
    stance: str
    proposition: str
    value: str | None
    text: str | None
    source_id: str | None
    source_name: str | None
    status: str = Field(description="submitted, published, rejected or discounted")
    status_words: str = Field(description='e.g. "submitted, awaiting review", "shown false by SOURCE (reason)"')


class ReportPublic(BaseModel):
    id: str
    kind: str
    source_id: str
    source_name: str
    source_kind: str
    affiliation: str | None
    received: datetime
    summary: str


class CasualtyFigurePublic(BaseModel):
    category: str
    kind: str
    value: int
    qualifier: str
    scope: str
    source_id: str | None


class IncidentDetailPublic(BaseModel):
    incident: IncidentPublic
    reports: list[ReportPublic]
    claims: list[ClaimPublic]
    casualties: list[CasualtyFigurePublic]


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    schema_revision: str | None
