"""Which terms of an agreement an incident breaks, and who is said to be responsible.

Pure rules: geometry arrives already computed (``GeoFacts``: metres and
flags from ``truce.geo``), claims and the grade arrive as values.

The rules, one per term:

- ``no_fire``: any battle, explosion/remote violence or violence against
  civilians (strategic developments are not fire).
- ``no_strikes_on_civilians``: a hostile incident whose target is civilian or
  mixed (civilians among the targets), or violence against civilians.
- ``no_heavy_weapons_near_line`` (``km``): a heavy weapon (``HEAVY_WEAPONS``)
  used at a point within ``km`` km of the line of contact of the incident's
  date. The point is where it struck; the launch site is rarely known.
- ``no_advance``: a battle whose sub-type is a transfer of territory.
- ``observer_freedom_of_movement``: an incident whose reports include an
  observer's restriction or jamming report (``observer_restricted``).

An incident counts only if it began while the agreement was in force: one
that began before the start, or at or after the end, breaks nothing, however
late it was reported. A discounted incident (shown false) breaks nothing.

Responsibility: a finding by the mission (a perpetrator claim by the
mission's observers or cameras) is ``found``; otherwise perpetrator claims
that blame one of the agreement's parties (attributes, asserts, confirms) are
``alleged``; several parties blamed is ``disputed`` with no single party;
no such claim is ``unattributed``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from .agreements import Agreement, Term, TermKind, Violation
from .claims import Claim, Proposition, Stance
from .grades import Grade
from .incidents import Incident, TargetType
from .taxonomy import HEAVY_WEAPONS

__all__ = [
    "FOUND", "ALLEGED", "DISPUTED", "UNATTRIBUTED", "HOSTILE_EVENT_TYPES",
    "GeoFacts", "Responsibility", "is_hostile", "responsibility", "violations",
]

FOUND, ALLEGED, DISPUTED, UNATTRIBUTED = "found", "alleged", "disputed", "unattributed"

HOSTILE_EVENT_TYPES = frozenset({
    "Battles", "Explosions/Remote violence", "Violence against civilians",
})
_TERRITORY_SUB_TYPES = frozenset({
    "Government regains territory", "Non-state actor overtakes territory",
})
_BLAMING = (Stance.ATTRIBUTES, Stance.ASSERTS, Stance.CONFIRMS)


@dataclass(frozen=True)
class GeoFacts:
    """Where an incident lies, as numbers and flags (computed in ``truce.geo``).

    ``side`` is the party holding the ground on the incident's date ("ARM",
    "NKR", "AZE"), or None outside the theatre;
    ``sovereign_country`` the ISO code of the de jure state or None;
    ``line_valid_from`` the date of the line version used.
    """

    distance_to_line_m: float | None = None
    side: str | None = None
    sector: str | None = None
    sovereign_country: str | None = None
    in_disputed_region: bool = False
    populated_place_id: str | None = None
    line_valid_from: date | None = None


@dataclass(frozen=True)
class Responsibility:
    party: str | None
    basis: str
    claim_ids: tuple[str, ...] = ()


def is_hostile(incident: Incident) -> bool:
    return incident.event_type in HOSTILE_EVENT_TYPES


def responsibility(claims: Iterable[Claim], parties: Collection[str],
                   mission_actors: Collection[str] = ()) -> Responsibility:
    """Who is found or alleged responsible, from perpetrator claims.

    Takes the incident's (not discounted) claims, the agreement's parties and
    the actor ids that speak for the mission.

    >>> from truce.domain.claims import Claim, Proposition, Stance
    >>> c = Claim("c1", "aze-mod", Stance.ATTRIBUTES, Proposition.PERPETRATOR, value="ARM")
    >>> responsibility([c], ("ARM", "AZE"))
    Responsibility(party='ARM', basis='alleged', claim_ids=('c1',))
    """
    blaming = [c for c in claims if c.proposition is Proposition.PERPETRATOR
               and c.stance in _BLAMING and c.value in parties]
    found = [c for c in blaming if c.actor in mission_actors]
    if found:
        named = {c.value for c in found}
        if len(named) == 1:
            return Responsibility(found[0].value, FOUND, tuple(sorted(c.id for c in found)))
    named = {c.value for c in blaming}
    ids = tuple(sorted(c.id for c in blaming))
    if not named:
        return Responsibility(None, UNATTRIBUTED)
    if len(named) > 1:
        return Responsibility(None, DISPUTED, ids)
    return Responsibility(named.pop(), ALLEGED, ids)


def _breaks(term: Term, incident: Incident, facts: GeoFacts, observer_restricted: bool) -> bool:
    hostile = is_hostile(incident)
    if term.kind is TermKind.NO_FIRE:
        return hostile
    if term.kind is TermKind.NO_STRIKES_ON_CIVILIANS:
        return (incident.event_type == "Violence against civilians"
                or hostile and incident.target_type in (TargetType.CIVILIAN, TargetType.MIXED))
    if term.kind is TermKind.NO_HEAVY_WEAPONS_NEAR_LINE:
        limit_m = float(term.params.get("km", 0)) * 1000.0
        return (hostile and incident.weapon_class in HEAVY_WEAPONS
                and facts.distance_to_line_m is not None and facts.distance_to_line_m <= limit_m)
    if term.kind is TermKind.NO_ADVANCE:
        return incident.event_type == "Battles" and incident.sub_type in _TERRITORY_SUB_TYPES
    if term.kind is TermKind.OBSERVER_FREEDOM_OF_MOVEMENT:
        return observer_restricted
    return False


def violations(incident: Incident, agreement: Agreement, facts: GeoFacts,
               claims: Iterable[Claim] = (), grade: Grade | None = None, *,
               mission_actors: Collection[str] = (),
               observer_restricted: bool = False) -> list[Violation]:
    """The violations of ``agreement`` that ``incident`` amounts to (maybe none).

    Takes the incident, the agreement, its geometry facts, its claims (the
    caller leaves out discounted ones) and its effective grade; returns one
    ``Violation`` per term broken, each naming the party found or alleged
    responsible, or none.
    """
    if not agreement.in_force(incident.start):
        return []
    if grade is Grade.DISCOUNTED:
        return []
    broken = [term for term in agreement.terms
              if _breaks(term, incident, facts, observer_restricted)]
    if not broken:
        return []
    who = responsibility(list(claims), agreement.parties, mission_actors)
    return [
        Violation(agreement=agreement.id, incident=incident.id, term=term.kind,
                  responsible=who.party, basis=who.basis, claim_ids=who.claim_ids,
                  grade=grade.value if grade else None)
        for term in broken
    ]
