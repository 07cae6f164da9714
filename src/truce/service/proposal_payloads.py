"""The shape of a proposal's payload, one schema per proposal kind.

The text pipeline writes these payloads (``ingest.text.model``'s
``as_payload`` for events, figures and agreements; ``review.ingest_text`` for
claims); an analyst's edits are checked against the same schema before
anything is written: an unknown field, a wrong type, an unbounded string, a
number that is not finite or a day outside the record's calendar
(``domain.bounds``) is a ``ValidationError`` naming the field. What only the
store can tell (that a linked incident, a party or an event proposal exists)
is checked by ``check_against_store``.

    >>> checked_payload("figure", {"text": "12", "value": 12, "meaning": "count",
    ...                            "unit": "killed", "whole": None})["value"]
    12
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StrictBool, StringConstraints

from ..domain import bounds
from ..domain.claims import Proposition, Stance
from ..domain.exceptions import ValidationError
from ..domain.incidents import TargetType
from ..domain.precision import GeoPrecision, TimePrecision
from ..domain.taxonomy import WeaponClass, check_event_type
from .agreements import TermSpec

__all__ = ["SCHEMAS", "check_against_store", "checked_payload"]

Short = Annotated[str, Strict(), StringConstraints(max_length=200)]
Text = Annotated[str, Strict(), StringConstraints(max_length=2000)]
Title = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=300)]
Count = Annotated[int, Strict(), Field(ge=0, le=bounds.MAX_COUNT)]


def _iso_day(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a day (YYYY-MM-DD)") from None
    if len(value) != 10:
        raise ValueError(f"{value!r} is not a day (YYYY-MM-DD)")
    try:
        bounds.check_day(day, "value")
    except ValidationError as exc:
        raise ValueError(exc.message) from None
    return value


def _iso_moment(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 time") from None
    try:
        bounds.check_moment(moment, "value")
    except ValidationError as exc:
        raise ValueError(exc.message) from None
    return value


IsoDay = Annotated[str, Strict(), AfterValidator(_iso_day)]
"""A day as the payload stores it, "2020-10-14", within the record's calendar."""
IsoMoment = Annotated[str, Strict(), AfterValidator(_iso_moment)]
"""A time with its UTC offset as the payload stores it, within the record's calendar."""


class _Schema(BaseModel):
    # strings, counts and flags must come as such (never 123 for a title); enums by value
    model_config = ConfigDict(extra="forbid")


class Why(_Schema):
    role: Short
    text: Text


class Place(_Schema):
    text: Text | None = None
    name: Short | None = None
    place_id: Short | None = None
    country: Short | None = None
    latitude: Annotated[float, Strict(), Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    longitude: Annotated[float, Strict(), Field(ge=-180, le=180, allow_inf_nan=False)] | None = None
    precision: GeoPrecision | None = None
    resolved: StrictBool | None = None


class Number(_Schema):
    text: Short = ""
    value: Count
    meaning: Literal["count", "lower_bound", "upper_bound", "approximate", "total", "part"] = "count"
    unit: Short = ""
    whole: Count | None = None


class Event(_Schema):
    kind: Literal["incident", "situation"]
    title: Title
    event_type: Short | None = None
    sub_type: Short | None = None
    weapon_class: WeaponClass = WeaponClass.UNKNOWN
    target_type: TargetType = TargetType.UNKNOWN
    start: IsoDay
    end: IsoDay
    time_precision: TimePrecision = TimePrecision.DAY
    place: Place | None = None
    numbers: Annotated[list[Number], Field(max_length=100)] = []
    harm: Annotated[list[Literal["displacement", "civilian"]], Field(max_length=10)] = []
    trigger: Short = ""
    perpetrator: Short | None = None
    why: Annotated[list[Why], Field(max_length=50)] = []
    sentences: Annotated[list[Text], Field(max_length=100)] = []
    relays: Annotated[list[Short], Field(max_length=20)] = []
    link: Short | None = None

    @pydantic.field_validator("end")
    @classmethod
    def _not_before_start(cls, end: str, info: pydantic.ValidationInfo) -> str:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"{end} is before start {start}")
        return end

    @pydantic.model_validator(mode="after")
    def _known_event_type(self) -> Event:
        for field, sub_type in (("event_type", None), ("sub_type", self.sub_type or None)):
            if not self.event_type:
                break
            try:
                check_event_type(self.event_type, sub_type)
            except ValueError as exc:
                raise pydantic.ValidationError.from_exception_data("Event", [{
                    "type": "value_error", "loc": (field,), "input": getattr(self, field),
                    "ctx": {"error": str(exc)}}]) from None
        return self


class Claim(_Schema):
    actor: Title
    party: Short | None = None
    stance: Stance
    proposition: Proposition
    value: Short | None = None
    channel: Short | None = None
    quote: Text | None = None
    verb: Short = ""
    event_proposal: Short | None = None
    relays: Annotated[list[Short], Field(max_length=20)] = []
    basis: Literal["speech", "wording"] = "speech"
    why: Annotated[list[Why], Field(max_length=50)] = []


class Agreement(_Schema):
    name: Title
    start: IsoMoment
    end: IsoMoment | None = None
    parties: Annotated[list[Short], Field(min_length=1, max_length=20)]
    mediators: Annotated[list[Short], Field(max_length=20)] = []
    terms: Annotated[list[TermSpec], Field(max_length=20)] = []
    zone_stated: StrictBool = True
    why: Annotated[list[Why], Field(max_length=50)] = []


class Figure(Number):
    relays: Annotated[list[Short], Field(max_length=20)] = []
    why: Annotated[list[Why], Field(max_length=50)] = []


class Translation(_Schema):
    language: Short
    places: Annotated[list[Place], Field(max_length=1000)] = []
    numbers: Annotated[list[Number], Field(max_length=1000)] = []


SCHEMAS: dict[str, type[_Schema]] = {"event": Event, "claim": Claim, "agreement": Agreement,
                                     "figure": Figure, "translation": Translation}


def _field(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error["loc"] if not str(part).startswith("function-")]
    # a constrained or enum type adds its own step to the location (``[str]``, ``literal[...]``)
    loc = [part for part in loc if not part.startswith(("constrained-", "literal[", "lax-"))]
    return ".".join(loc) or "payload"


def checked_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` as the schema of ``kind`` reads it (JSON-ready), or a
    ``ValidationError`` naming the first bad field."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise ValidationError(f"unknown proposal kind {kind!r}", field="kind")
    try:
        model = schema.model_validate(payload)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = _field(first)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = f"unknown field; fields: {', '.join(schema.model_fields)}"
        raise ValidationError(message, field=field) from None
    return model.model_dump(mode="json")


def check_against_store(uow: Any, kind: str, payload: dict[str, Any], edited: set[str]) -> None:
    """What the schema cannot tell, of the ``edited`` fields: the incident
    ``link`` names, the parties named as perpetrator, speaker's side, blamed
    side or agreement party, and a claim's event proposal exist."""
    payload = {k: v for k, v in payload.items() if k in edited}
    if kind == "event" and payload.get("link") and not uow.incidents.exists(payload["link"]):
        raise ValidationError(f"no incident {payload['link']!r} on record", field="link",
                              remedy="give an incident's id, or null for a new incident")
    parties: list[tuple[str, str | None]] = []
    if kind == "event":
        parties.append(("perpetrator", payload.get("perpetrator")))
    if kind == "claim":
        parties.append(("party", payload.get("party")))
        if payload.get("stance") == Stance.ATTRIBUTES.value:
            parties.append(("value", payload.get("value")))
        if payload.get("event_proposal"):
            try:
                uow.proposals.get(payload["event_proposal"])
            except Exception:  # NotFound
                raise ValidationError(f"no proposal {payload['event_proposal']!r}",
                                      field="event_proposal") from None
    if kind == "agreement":
        parties += [(f"parties.{i}", p) for i, p in enumerate(payload.get("parties") or [])]
    for field, party in parties:
        if party and not uow.directory.party_exists(party):
            known = ", ".join(sorted(p.id for p in uow.directory.parties()))
            raise ValidationError(f"unknown party {party!r}; one of: {known}", field=field)
