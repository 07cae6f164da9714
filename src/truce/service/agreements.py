"""Agreements as data: parse terms, build and record an agreement (CLI and API alike)."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from ..domain.agreements import Agreement, Term, TermKind
from ..domain.exceptions import Conflict, NotFound, ValidationError
from ..store.uow import UnitOfWork, use_case
from .records import add_agreement
from .theatre import parse_moment

__all__ = ["MAX_WITHDRAWAL_KM", "TermSpec", "create_agreement", "make_agreement", "parse_terms"]

MAX_WITHDRAWAL_KM = 1000.0
"""The widest zone a withdrawal term may name, in km (beyond any theatre)."""


class TermSpec(BaseModel):
    """One agreement term as data, the only shape a term is read in (the API,
    the CLI, an agreement proposal's payload): ``kind``, and ``km`` for a
    heavy-weapons withdrawal zone only. Any other key is refused: a key the
    rules do not read would look like a condition that is never evaluated.

        >>> TermSpec.model_validate({"kind": "no_heavy_weapons_near_line", "km": 15}).km
        15.0
    """

    model_config = ConfigDict(extra="forbid")

    kind: TermKind
    km: Annotated[float, Strict(), Field(gt=0, le=MAX_WITHDRAWAL_KM, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _km_with_its_kind(self) -> TermSpec:
        if self.kind is TermKind.NO_HEAVY_WEAPONS_NEAR_LINE and self.km is None:
            raise PydanticCustomError("term_km", "no_heavy_weapons_near_line needs a positive number 'km'")
        if self.kind is not TermKind.NO_HEAVY_WEAPONS_NEAR_LINE and self.km is not None:
            raise PydanticCustomError("term_km", f"'km' belongs to no_heavy_weapons_near_line, not {self.kind.value}")
        return self


def _term_error(index: int, exc: pydantic.ValidationError) -> ValidationError:
    first = exc.errors(include_url=False)[0]
    loc = [str(part) for part in first["loc"]]
    if first["type"] == "term_km":  # the model's own check: the field is km all the same
        loc = ["km"]
    field = ".".join(["terms", str(index), *loc])
    if first["type"] == "extra_forbidden" and loc:
        message = f"unknown key {loc[-1]!r} in a term; a term has: {', '.join(TermSpec.model_fields)}"
    elif first["type"] == "enum":
        message = f"unknown term {first['input']!r}; one of {', '.join(k.value for k in TermKind)}"
    else:
        message = first["msg"].removeprefix("Value error, ")
    return ValidationError(message, field=field)


def parse_terms(text: str | list[Any]) -> tuple[Term, ...]:
    """Terms from JSON text or its parsed list, each read by ``TermSpec``, e.g.
    [{"kind": "no_fire"}, {"kind": "no_heavy_weapons_near_line", "km": 15}];
    a bad term is a ``ValidationError`` naming it (``terms.1.km``)."""
    raw: Any = text
    if isinstance(text, str):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"terms are not JSON: {exc.msg}", field="terms") from None
    if not isinstance(raw, list) or not all(isinstance(t, dict) and "kind" in t for t in raw):
        raise ValidationError('terms must be a JSON list of objects with a "kind"', field="terms")
    terms = []
    for index, item in enumerate(raw):
        try:
            spec = TermSpec.model_validate(item)
        except pydantic.ValidationError as exc:
            raise _term_error(index, exc) from None
        # the number as given (15 stays 15, as the stored terms always had it)
        terms.append(Term(spec.kind, {} if spec.km is None else {"km": item["km"]}))
    return tuple(terms)


def make_agreement(name: str, parties: list[str], start: str, end: str | None,
                   terms: str | list[Any],
                   source: str | None = None, agreement_id: str | None = None) -> Agreement:
    """An Agreement from plain values (shared by the CLI and the API)."""
    begin = parse_moment(start, "start")
    finish = parse_moment(end, "end") if end else None
    if finish is not None and finish <= begin:
        raise ValidationError(f"end {end} is not after start {start}", field="end")
    if not parties:
        raise ValidationError("an agreement binds at least one party", field="parties")
    return Agreement(id=agreement_id or f"agr-{uuid.uuid4().hex[:12]}", name=name,
                     parties=tuple(parties), start=begin, end=finish, terms=parse_terms(terms),
                     source=source)


@use_case
def create_agreement(uow: UnitOfWork, agreement: Agreement) -> Agreement:
    """Record a new agreement (ledgered); a name already used is a Conflict."""
    try:
        uow.agreements.get(agreement.name)
    except NotFound:
        add_agreement(uow, agreement)
        return agreement
    raise Conflict(f"an agreement named {agreement.name!r} already exists", field="name")
