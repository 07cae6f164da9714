"""Request and response bodies, separate from domain and table classes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from ..domain.moments import utc_iso

T = TypeVar("T")

UtcTime = Annotated[datetime, PlainSerializer(utc_iso, return_type=str, when_used="json"),
                    WithJsonSchema({"type": "string", "format": "date-time"})]
"""A moment in a response: ISO 8601 in UTC with ``Z`` (``labels.utc_iso``), as
every machine-readable output writes it."""


class ListOf(BaseModel, Generic[T]):
    data: list[T]
    count: int


class IncidentPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    event_type: str
    sub_type: str | None
    start: UtcTime
    end: UtcTime
    time_precision: str
    place_id: str | None
    place_name: str | None
    place_label: str | None = None  # the theatre's neutral name (geo.incident_place.where_fields)
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
    location_uncertainty_m: float | None = Field(
        default=None, description="Radius of doubt of the position in metres: the estimate's, else the "
                                  "typical one of geo_precision; null when not located")
    actor1: str | None = Field(default=None, description="Who acted, as the ACLED export names it "
                                                         "(the party found or alleged responsible)")
    actor2: str | None = Field(default=None, description="On whom, as the ACLED export names it")


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
    received: UtcTime
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
