"""Agreements: list, create (analysts), and violation tallies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from ...domain.agreements import Agreement
from ...service.agreements import create_agreement, make_agreement
from ...service.violations import tallies
from ..deps import Role, UowDep, require
from ..schemas import UtcTime

router = APIRouter(prefix="/api/agreements", tags=["agreements"])


class TermPublic(BaseModel):
    kind: str
    params: dict[str, Any]
    description: str


class AgreementPublic(BaseModel):
    id: str
    name: str
    parties: list[str]
    start: UtcTime
    end: UtcTime | None
    scope: str
    source_id: str | None
    terms: list[TermPublic]


class AgreementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=500)
    parties: list[str] = Field(min_length=1)
    start: str = Field(description="ISO 8601 with a time zone offset")
    end: str | None = None
    terms: list[dict[str, Any]] = Field(
        description='e.g. [{"kind": "no_fire"}, {"kind": "no_heavy_weapons_near_line", "km": 15}]')
    source_id: str | None = None


class AgreementList(BaseModel):
    data: list[AgreementPublic]
    count: int


class TallyPublic(BaseModel):
    agreement: AgreementPublic
    by: list[str]
    rows: list[dict[str, Any]]
    note: str


def agreement_public(a: Agreement) -> AgreementPublic:
    return AgreementPublic(
        id=a.id, name=a.name, parties=list(a.parties), start=a.start, end=a.end, scope=a.scope,
        source_id=a.source,
        terms=[TermPublic(kind=t.kind.value, params=dict(t.params), description=t.describe())
               for t in a.terms])


@router.get("", response_model=AgreementList)
def get_agreements(uow: UowDep) -> AgreementList:
    found = uow.agreements.list()
    return AgreementList(data=[agreement_public(a) for a in found], count=len(found))


@router.post("", response_model=AgreementPublic, status_code=status.HTTP_201_CREATED,
             dependencies=[require(Role.ANALYST)])
def post_agreement(body: AgreementCreate, uow: UowDep) -> AgreementPublic:
    agreement = make_agreement(body.name, body.parties, body.start, body.end, body.terms,
                               body.source_id)
    create_agreement(uow, agreement)
    return agreement_public(agreement)


@router.get("/{agreement_id}", response_model=AgreementPublic)
def get_agreement(agreement_id: str, uow: UowDep) -> AgreementPublic:
    return agreement_public(uow.agreements.get(agreement_id))


@router.get("/{agreement_id}/violations", response_model=TallyPublic)
def get_violations(
    agreement_id: str, uow: UowDep,
    by: Annotated[list[str], Query(description="party, day, sector, term or basis")] = ["party"],  # noqa: B006
) -> TallyPublic:
    """Violating incidents grouped by ``by``; ``confirmed`` counts verified or
    corroborated incidents, ``unconfirmed`` single-source, contested or ungraded."""
    tally = tallies(uow, agreement_id, by)
    rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in tally.rows]
    return TallyPublic(
        agreement=agreement_public(tally.agreement), by=list(tally.by), rows=rows,
        note="counts are distinct incidents per row; discounted incidents are never violations")
