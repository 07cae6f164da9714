"""Agreements as data: parse terms, build and record an agreement (CLI and API alike)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from ..domain.agreements import Agreement, Term, TermKind
from ..domain.bounds import check_finite
from ..domain.exceptions import Conflict, NotFound, ValidationError
from ..store.uow import UnitOfWork, use_case
from .records import add_agreement
from .theatre import parse_moment

__all__ = ["MAX_WITHDRAWAL_KM", "create_agreement", "make_agreement", "parse_terms"]

MAX_WITHDRAWAL_KM = 1000.0
"""The widest zone a withdrawal term may name, in km (beyond any theatre)."""


def parse_terms(text: str | list[Any]) -> tuple[Term, ...]:
    """Terms from JSON text or its parsed list: [{"kind": ..., params...}], e.g.
    [{"kind": "no_fire"}, {"kind": "no_heavy_weapons_near_line", "km": 15}]."""
    raw: Any = text
    if isinstance(text, str):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"terms are not JSON: {exc.msg}", field="terms") from None
    if not isinstance(raw, list) or not all(isinstance(t, dict) and "kind" in t for t in raw):
        raise ValidationError('terms must be a JSON list of objects with a "kind"', field="terms")
    kinds = ", ".join(k.value for k in TermKind)
    terms = []
    for t in raw:
        try:
            kind = TermKind(t["kind"])
        except ValueError:
            raise ValidationError(f"unknown term {t['kind']!r}; one of {kinds}", field="terms") from None
        params = {k: v for k, v in t.items() if k != "kind"}
        if kind is TermKind.NO_HEAVY_WEAPONS_NEAR_LINE:
            km = params.get("km")
            if not isinstance(km, int | float) or isinstance(km, bool) or km <= 0:
                raise ValidationError("no_heavy_weapons_near_line needs a positive number 'km'",
                                      field="terms")
            check_finite(km, "terms.km", low=0, high=MAX_WITHDRAWAL_KM)
        terms.append(Term(kind, params))
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
