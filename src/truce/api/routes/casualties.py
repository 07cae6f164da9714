"""Casualty ranges in aggregate: low / best / high without double counting."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ...service.bounded import Day
from ...service.casualties import aggregate_casualties
from ..deps import UowDep
from ..schemas import ListOf

router = APIRouter(prefix="/api/casualties", tags=["casualties"])

Dimension = Literal["day", "party", "region", "category"]


class CasualtyAggregatePublic(BaseModel):
    key: dict[str, str | None]
    low: int
    best: int
    high: int
    open_ended: bool
    incidents: list[str]
    tolls_from_sources: list[str]
    method: str


@router.get("", response_model=ListOf[CasualtyAggregatePublic])
def get_casualties(
    uow: UowDep,
    by: Annotated[list[Dimension], Query()] = ["party", "category"],  # noqa: B006
    kind: Literal["killed", "injured"] = "killed",
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> ListOf[CasualtyAggregatePublic]:
    """Published incidents' figures and cumulative tolls, grouped by ``by``."""
    result = aggregate_casualties(uow, by=tuple(by), kind=kind, start=from_, end=to,
                                  published_only=True)
    data = []
    for key, agg in result.items():
        labels = {d: (None if k is None else str(getattr(k, "value", k))) for d, k in zip(by, key, strict=True)}
        data.append(CasualtyAggregatePublic(
            key=labels, low=agg.range.low, best=agg.range.best, high=agg.range.high,
            open_ended=agg.range.open_ended, incidents=list(agg.incidents),
            tolls_from_sources=list(agg.tolls), method=agg.note))
    return ListOf[CasualtyAggregatePublic](data=data, count=len(data))
