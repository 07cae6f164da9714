"""Territorial control: who holds which place on a date, and a place's history."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from ...service.bounded import Day
from ...service.control import control_on, place_history
from ..deps import UowDep
from ..schemas import ListOf

router = APIRouter(prefix="/api/control", tags=["control"])


class ControlStatePublic(BaseModel):
    place_id: str
    place_name: str
    party: str
    previous_party: str | None
    since: date
    grade: str
    reasons: list[str]
    claim_ids: list[str]


class ControlChangePublic(BaseModel):
    control_id: str
    start: date
    party: str
    previous_party: str | None
    grade: str
    reasons: list[str]
    claim_ids: list[str]


@router.get("", response_model=ListOf[ControlStatePublic])
def get_control(on: Day, uow: UowDep) -> ListOf[ControlStatePublic]:
    """Places with a recorded control change on or before ``on``, with the controller and grade."""
    rows = control_on(uow, on)
    data = [ControlStatePublic(
        place_id=r.place_id, place_name=r.place_name, party=r.state.party,
        previous_party=r.state.previous_party, since=r.state.since, grade=r.state.grade.value,
        reasons=list(r.state.reasons), claim_ids=list(r.state.claim_ids)) for r in rows]
    return ListOf[ControlStatePublic](data=data, count=len(data))


@router.get("/history/{place}", response_model=ListOf[ControlChangePublic])
def get_history(place: str, uow: UowDep) -> ListOf[ControlChangePublic]:
    """Each control change of a place (any spelling), oldest first, with its grade."""
    _name, records = place_history(uow, place)
    data = [ControlChangePublic(
        control_id=r.control.id, start=r.control.start, party=r.control.party,
        previous_party=r.control.previous_party, grade=r.result.grade.value,
        reasons=list(r.result.reasons), claim_ids=[c.id for c in r.claims]) for r in records]
    return ListOf[ControlChangePublic](data=data, count=len(data))
