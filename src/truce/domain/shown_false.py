"""When a party's claim is shown false: one rule, the same for every party.

A claim made for a party (its actor belongs to a party, or else its source
is affiliated with one) about whether an incident happened, who did it, what
it struck or who holds a place is **shown false** when the same incident
holds a claim by an *investigator*: a source of kind ``ngo`` (a published
investigation: sites visited, remnants examined, witnesses heard) or
``observer`` or ``camera`` (the mission's own), affiliated with no party and made by an
actor of no party, that takes the opposite position on the same proposition:

- the party denies or disputes what the investigator supports: the same
  value, or any value when either gives none (``happened`` has no value);
- the party supports what the investigator denies, on the same terms;
- both support values that cannot both hold (``military`` against
  ``civilian``; ``ARM`` against ``AZE``).

Nothing else shows a claim false: not a news report, however independent (it
relays what it saw or was told, and the grade already weighs it), not the
other party, not a later admission by the claimant's own side (that is a
claim of its own, weighed in the proposition). Casualty numbers are never
shown false: differing figures are kept as a low / best / high range.

``refutations`` returns, for each claim shown false, the investigator's
source; the demo loader checks every declared ``discounted_by`` against it,
so neither side can be marked false on weaker evidence than the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from .actors import Source, SourceKind
from .claims import Claim, Proposition

__all__ = ["INVESTIGATOR_KINDS", "RULED_PROPOSITIONS", "opposed", "refutations"]

INVESTIGATOR_KINDS = frozenset({SourceKind.NGO, SourceKind.OBSERVER, SourceKind.CAMERA})
RULED_PROPOSITIONS = frozenset({Proposition.HAPPENED, Proposition.PERPETRATOR,
                                Proposition.TARGET_TYPE, Proposition.CONTROL})


def _side(claim: Claim, party_of: Mapping[str, str | None],
          sources: Mapping[str, Source]) -> str | None:
    source = sources.get(claim.source or "")
    return party_of.get(claim.actor) or (source.affiliation if source is not None else None)


def _investigates(claim: Claim, party_of: Mapping[str, str | None],
                  sources: Mapping[str, Source]) -> bool:
    source = sources.get(claim.source or "")
    return (source is not None and source.kind in INVESTIGATOR_KINDS
            and source.affiliation is None and party_of.get(claim.actor) is None)


def _published(source: Source) -> datetime:
    return source.published or datetime.max.replace(tzinfo=UTC)


def _value(claim: Claim) -> str | None:
    if claim.proposition is Proposition.HAPPENED or claim.value is None:
        return None
    return claim.value.strip().casefold()


def opposed(party: Claim, investigator: Claim) -> bool:
    """Whether two claims on the same subject take opposite positions."""
    if (party.incident, party.control, party.proposition) != (
            investigator.incident, investigator.control, investigator.proposition):
        return False
    a, b = _value(party), _value(investigator)
    if party.stance.supports != investigator.stance.supports:
        return a is None or b is None or a == b
    if party.stance.supports:  # both for: only values that cannot both hold
        return a is not None and b is not None and a != b
    return False


def refutations(claims: Iterable[Claim], party_of: Mapping[str, str | None],
                sources: Mapping[str, Source]) -> dict[str, str]:
    """Claim id -> the source of the investigator's claim that shows it false.

    Takes the claims on one or more subjects, each actor's party (None for
    no party) and the sources the claims cite. When several investigators
    oppose a claim, the one published first is named (then by source id).
    """
    claims = list(claims)
    found = sorted((c for c in claims if _investigates(c, party_of, sources)),
                   key=lambda c: (_published(sources[c.source or ""]), c.source or "", c.id))
    shown: dict[str, str] = {}
    for claim in claims:
        if claim.proposition not in RULED_PROPOSITIONS or _side(claim, party_of, sources) is None:
            continue
        against = next((f for f in found if opposed(claim, f)), None)
        if against is not None and against.source:
            shown[claim.id] = against.source
    return shown
