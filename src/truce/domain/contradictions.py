"""Contradictions: claims compared as stances on propositions.

A claim is one actor's stance on one proposition (happened, perpetrator,
target type, casualties, control) about one subject (an incident, or a
control change). ``asserts``, ``confirms`` and ``attributes`` are *for* the
proposition; ``denies`` and ``disputes`` are *against* it. Claims are grouped
by (subject, proposition) and each group gets a status:

- **disputed**: a claim for and a claim against meet on the same value (a
  denial without a value denies the proposition as asserted), or two claims
  for give values that cannot both hold ("8" vs "45", "military" vs
  "civilian"; "at least 2" and "more than 600" *can* both hold);
- **agreed**: two or more actors, and nothing in conflict;
- **uncontested**: one actor only.

So Baku saying the 4 October missile hit residential Ganja while the
Karabakh authorities said they struck a military airfield gives a
``target_type`` disputed beside a ``perpetrator`` group of its own. The value
of a ``happened`` claim is ignored: the stance says it all. A later claim by
the same actor on the same proposition replaces its earlier one when the sources' publication times say which came later
("which the Armenian army had initially denied").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from .actors import Source
from .claims import Claim, Proposition

__all__ = [
    "Contradiction",
    "Position",
    "PropositionStatus",
    "contradictions",
    "current_claims",
    "number_interval",
    "proposition_summary",
    "propositions",
    "subject_of",
]


class PropositionStatus(str, Enum):
    AGREED = "agreed"
    DISPUTED = "disputed"
    UNCONTESTED = "uncontested"


@dataclass(frozen=True)
class Position:
    """One side of a proposition: claims with the same stance direction and value."""

    supports: bool
    value: str | None
    claims: tuple[Claim, ...]

    def describe(self) -> str:
        """E.g. ``"az-mod (c1), az-president (c2) assert 'military'"``."""
        who = ", ".join(f"{c.actor} ({c.id})" for c in self.claims)
        verb = "for" if self.supports else "against"
        what = f" {self.value!r}" if self.value is not None else ""
        return f"{verb}{what}: {who}"


@dataclass(frozen=True)
class Contradiction:
    """The claims on one proposition about one subject, side by side."""

    subject: str
    proposition: Proposition
    status: PropositionStatus
    positions: tuple[Position, ...]
    summary: str

    @property
    def supporting(self) -> tuple[Claim, ...]:
        return tuple(c for p in self.positions if p.supports for c in p.claims)

    @property
    def opposing(self) -> tuple[Claim, ...]:
        return tuple(c for p in self.positions if not p.supports for c in p.claims)


_NUMBER = re.compile(r"\d[\d,]*")
_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_QUALIFIERS = (
    (re.compile(r"\b(more than|over|above|in excess of)\b"), "more_than"),
    (re.compile(r"\b(at least|no fewer than|no less than|a minimum of)\b"), "at_least"),
    (re.compile(r"\b(at most|up to|no more than|fewer than|less than)\b"), "at_most"),
    (re.compile(r"\b(about|around|approximately|some|nearly|roughly)\b"), "about"),
)


def number_interval(value: str | None) -> tuple[float, float] | None:
    """The range of counts a value allows, or None if it holds no number.

    >>> number_interval("more than 600")
    (601, inf)
    >>> number_interval("8 villages")
    (8, 8)
    """
    if value is None:
        return None
    text = value.casefold()
    match = _NUMBER.search(value)
    if match is not None:
        n = int(match.group().replace(",", ""))
    else:
        words = [_WORDS[w] for w in re.findall(r"[a-z]+", text) if w in _WORDS]
        if not words:
            return None
        n = words[0]
    for pattern, qualifier in _QUALIFIERS:
        if pattern.search(text):
            if qualifier == "more_than":
                return (n + 1, math.inf)
            if qualifier == "at_least":
                return (n, math.inf)
            if qualifier == "at_most":
                return (0, n)
            return (n - n // 10, n + (n + 9) // 10)
    return (n, n)


def _compatible(a: str | None, b: str | None) -> bool:
    """Whether two values can both hold (a missing value is compatible with all)."""
    if a is None or b is None:
        return True
    ia, ib = number_interval(a), number_interval(b)
    if ia is not None and ib is not None:
        return ia[0] <= ib[1] and ib[0] <= ia[1]
    return a.strip().casefold() == b.strip().casefold()


def subject_of(claim: Claim) -> str:
    """The id of what a claim is about: its incident, else its control change."""
    return claim.incident or claim.control or ""


def current_claims(
    claims: Iterable[Claim], sources: Mapping[str, Source] | None = None
) -> tuple[list[Claim], list[tuple[Claim, Claim]]]:
    """Drop claims replaced by a later claim of the same actor on the same proposition.

    Takes claims and the sources they cite (for ``published``). Returns the
    claims still standing and the (earlier, later) pairs replaced. An
    actor's claims are only ordered when every one has a publication time.
    """
    groups: dict[tuple[str, str, Proposition], list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[(subject_of(claim), claim.actor, claim.proposition)].append(claim)
    kept: list[Claim] = []
    replaced: list[tuple[Claim, Claim]] = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2].value)):
        group = sorted(groups[key], key=lambda c: c.id)
        times = [_published(c, sources) for c in group]
        if len(group) == 1 or any(t is None for t in times):
            kept.extend(group)
            continue
        latest = max(t for t in times if t is not None)
        newest = [c for c, t in zip(group, times, strict=True) if t == latest]
        kept.extend(newest)
        replaced.extend((c, newest[0]) for c, t in zip(group, times, strict=True) if t != latest)
    return kept, replaced


def _published(claim: Claim, sources: Mapping[str, Source] | None) -> datetime | None:
    if sources is None:
        return None
    source = sources.get(claim.source or claim.actor)
    return source.published if source is not None else None


def _assess(subject: str, proposition: Proposition, claims: list[Claim]) -> Contradiction:
    by_position: dict[tuple[bool, str | None], list[Claim]] = defaultdict(list)
    for claim in claims:
        # whether something happened has no value beside the stance: a stored
        # "true" / "false" must not make a denial look like agreement
        value = (claim.value.strip() if claim.value is not None
                 and proposition is not Proposition.HAPPENED else None)
        by_position[(claim.stance.supports, value)].append(claim)
    positions = tuple(
        Position(supports, value, tuple(sorted(cs, key=lambda c: c.id)))
        for (supports, value), cs in sorted(
            by_position.items(), key=lambda kv: (not kv[0][0], kv[0][1] or "")
        )
    )
    pros = [p for p in positions if p.supports]
    cons = [p for p in positions if not p.supports]
    conflicts = [
        (a, b) for a in pros for b in cons if b.value is None or _compatible(a.value, b.value)
    ] + [
        (a, b)
        for i, a in enumerate(pros)
        for b in pros[i + 1 :]
        if not _compatible(a.value, b.value)
    ]
    actors = {c.actor for c in claims}
    label = f"{proposition.value} of {subject or 'the situation'}"
    if conflicts:
        status = PropositionStatus.DISPUTED
        summary = f"{label} is disputed: " + "; ".join(p.describe() for p in positions)
    elif len(actors) >= 2:
        status = PropositionStatus.AGREED
        summary = f"{label} is agreed: " + "; ".join(p.describe() for p in positions)
    else:
        status = PropositionStatus.UNCONTESTED
        summary = f"{label} is claimed by {next(iter(actors))} alone: " + positions[0].describe()
    return Contradiction(subject, proposition, status, positions, summary)


def propositions(
    claims: Iterable[Claim], sources: Mapping[str, Source] | None = None
) -> list[Contradiction]:
    """Every (subject, proposition) group of the current claims, with its status.

    Takes claims (and optionally their sources, to let later claims replace
    earlier ones); returns one ``Contradiction`` per group, sorted by subject
    and proposition, whatever the status.
    """
    kept, _ = current_claims(claims, sources)
    groups: dict[tuple[str, Proposition], list[Claim]] = defaultdict(list)
    for claim in kept:
        groups[(subject_of(claim), claim.proposition)].append(claim)
    order = list(Proposition)
    return [
        _assess(subject, prop, groups[(subject, prop)])
        for subject, prop in sorted(groups, key=lambda k: (k[0], order.index(k[1])))
    ]


def contradictions(
    claims: Iterable[Claim], sources: Mapping[str, Source] | None = None
) -> list[Contradiction]:
    """The disputed groups only: claims that conflict, shown side by side.

    >>> from truce.domain.claims import Claim, Proposition, Stance
    >>> found = contradictions([
    ...     Claim("c1", "az-mod", Stance.ASSERTS, Proposition.HAPPENED, incident="i1"),
    ...     Claim("c2", "am-mod", Stance.DENIES, Proposition.HAPPENED, incident="i1"),
    ... ])
    >>> [(c.subject, c.proposition.value, c.status.value) for c in found]
    [('i1', 'happened', 'disputed')]
    """
    return [c for c in propositions(claims, sources) if c.status is PropositionStatus.DISPUTED]


_RANK = {
    PropositionStatus.UNCONTESTED: 0,
    PropositionStatus.AGREED: 1,
    PropositionStatus.DISPUTED: 2,
}


def proposition_summary(
    claims: Iterable[Claim], sources: Mapping[str, Source] | None = None
) -> dict[Proposition, PropositionStatus]:
    """The status of each proposition the claims speak to (claims of one incident).

    Given claims about several subjects, a proposition takes its most
    troubled status: disputed anywhere beats agreed beats uncontested.
    """
    summary: dict[Proposition, PropositionStatus] = {}
    for group in propositions(claims, sources):
        previous = summary.get(group.proposition)
        if previous is None or _RANK[group.status] > _RANK[previous]:
            summary[group.proposition] = group.status
    return summary
