"""Territorial control over time, from dated control changes graded like incidents.

A ``ControlChange`` is a ``Control`` record ("Azerbaijan holds Hadrut from
9 October") with the claims and reports about it. It is graded by
``grading.grade``, reading a claim on the ``control`` proposition as a claim
that the change happened: asserted by the taking party and denied by the
losing one is contested; confirmed by the losing party is corroborated (an
admission by the other side); a later claim replaces the same actor's earlier
one ("which the Armenian army had initially denied", then confirmed).

Who holds a place on a day is the latest change on or before that day that
is not discounted. A contested change still shows, flagged, with the party
that held the place before it; a discounted change shows only in history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from .actors import Source
from .claims import Claim, Proposition
from .grades import Grade
from .grading import GradeResult, IncidentEvidence, grade
from .incidents import Report
from .places import Control

__all__ = [
    "ChangeRecord",
    "ControlChange",
    "ControlState",
    "control_map",
    "controller_on",
    "grade_change",
    "history",
]

_RANK = {Grade.VERIFIED: 4, Grade.CORROBORATED: 3, Grade.SINGLE_SOURCE: 2,
         Grade.CONTESTED: 1, Grade.DISCOUNTED: 0}


@dataclass(frozen=True)
class ControlChange:
    """A control record with the evidence about it.

    ``sources`` maps every source the claims and reports cite; ``sides`` maps
    party id -> side, as in ``IncidentEvidence``.
    """

    control: Control
    claims: tuple[Claim, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict, hash=False, compare=False)
    reports: tuple[Report, ...] = ()
    sides: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "reports", tuple(self.reports))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "sides", MappingProxyType(dict(self.sides)))


@dataclass(frozen=True)
class ControlState:
    """Who holds a place on a day, how sure we are, and since when."""

    place: str
    party: str
    grade: Grade
    since: date
    claim_ids: tuple[str, ...]
    control_id: str
    previous_party: str | None = None
    reasons: tuple[str, ...] = ()

    @property
    def contested(self) -> bool:
        return self.grade is Grade.CONTESTED


@dataclass(frozen=True)
class ChangeRecord:
    """One change in a place's history, with its grade and claims."""

    control: Control
    result: GradeResult
    claims: tuple[Claim, ...]


def grade_change(change: ControlChange) -> GradeResult:
    """Grade one control change from its claims and reports.

    Takes a ``ControlChange``; returns a ``GradeResult``. Raises
    ValidationError when nothing supports the change or a source is missing.
    """
    claims = tuple(
        replace(c, proposition=Proposition.HAPPENED, value=None)
        if c.proposition is Proposition.CONTROL else c
        for c in change.claims
    )
    evidence = IncidentEvidence(
        reports=change.reports, claims=claims, sources=change.sources,
        sides=change.sides, incident=change.control.id,
    )
    return grade(evidence)


def _graded(changes: Iterable[ControlChange]) -> list[tuple[ControlChange, GradeResult]]:
    return [(c, grade_change(c)) for c in changes]


def _order(item: tuple[ControlChange, GradeResult]) -> tuple[date, int, str]:
    change, result = item
    return (change.control.start, _RANK[result.grade], change.control.id)


def _state(
    place: str, graded: list[tuple[ControlChange, GradeResult]], day: date
) -> ControlState | None:
    standing = sorted(
        (item for item in graded
         if item[0].control.place == place and item[0].control.start <= day
         and item[1].grade is not Grade.DISCOUNTED),
        key=_order,
    )
    if not standing:
        return None
    change, result = standing[-1]
    control = change.control
    previous = control.previous_party
    if previous is None and len(standing) > 1:
        previous = standing[-2][0].control.party
    claim_ids = tuple(sorted({*control.claim_ids, *(c.id for c in change.claims)}))
    return ControlState(place, control.party, result.grade, control.start, claim_ids,
                        control.id, previous, result.reasons)


def controller_on(changes: Iterable[ControlChange], place: str, day: date) -> ControlState | None:
    """Who holds ``place`` on ``day``: the latest standing change, or None if none is known.

    Takes changes (any places), a place id and a day. Of changes on the same
    day the better graded wins. Contested changes win too, flagged.
    """
    graded = _graded(c for c in changes if c.control.place == place)
    return _state(place, graded, day)


def control_map(changes: Iterable[ControlChange], day: date) -> dict[str, ControlState]:
    """{place id: ControlState} for every place with a standing change on ``day``."""
    graded = _graded(changes)
    places = sorted({c.control.place for c, _ in graded})
    states = {p: _state(p, graded, day) for p in places}
    return {p: s for p, s in states.items() if s is not None}


def history(changes: Iterable[ControlChange], place: str) -> list[ChangeRecord]:
    """Every change of ``place``, oldest first, discounted ones included, with claims."""
    graded = sorted(_graded(c for c in changes if c.control.place == place), key=_order)
    return [ChangeRecord(c.control, r, c.claims) for c, r in graded]
