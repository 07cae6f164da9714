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
  observer's restriction or jamming report (``observer_restricted``, or
  ``restricted_by`` naming who imposed each restriction).

An incident counts only if it began while the agreement was in force: one
that began before the start, or at or after the end, breaks nothing, however
late it was reported. A discounted incident (shown false) breaks nothing.

Responsibility is one rule per incident (``acted_by``), the same for every
term it breaks: a finding by the mission (a perpetrator claim by the
mission's observers or cameras) is ``found``; otherwise perpetrator claims
that blame one of the agreement's parties (attributes, asserts, confirms) are
``alleged``; several parties blamed is ``disputed`` with no single party;
no such claim is ``unattributed``. Two kinds of incident name the
responsible party from what they are about rather than from who fired:

- a transfer of territory (its no_advance, and its no_fire too): the party
  that took the ground, from the incident's control claims (asserting or
  confirming that a party now holds it); a
  mission observer's claim is ``found``, a party's ``alleged``. Perpetrator
  claims are used only when no control claim names a party.
- a restriction of the observers (its ``observer_freedom_of_movement``):
  the party the mission's observers reported as imposing the restriction
  (``found``: the mission saw it); restrictions imposed by several parties
  are ``disputed``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from .agreements import Agreement, Term, TermKind, Violation
from .claims import Claim, Proposition, Stance
from .grades import Grade
from .incidents import Incident, TargetType
from .taxonomy import HEAVY_WEAPONS, is_territory_change

__all__ = [
    "FOUND", "ALLEGED", "DISPUTED", "UNATTRIBUTED", "HOSTILE_EVENT_TYPES",
    "GeoFacts", "Responsibility", "advance_responsibility", "is_hostile", "responsibility",
    "restriction_responsibility", "violations", "acted_by",
]

FOUND, ALLEGED, DISPUTED, UNATTRIBUTED = "found", "alleged", "disputed", "unattributed"

HOSTILE_EVENT_TYPES = frozenset({
    "Battles", "Explosions/Remote violence", "Violence against civilians",
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


def advance_responsibility(claims: Iterable[Claim], parties: Collection[str],
                           mission_actors: Collection[str] = ()) -> Responsibility:
    """Who took the ground in a transfer of territory, from control claims.

    A claim that asserts or confirms that a party controls the place names
    that party; a denial names no one. Falls back to ``responsibility`` on
    perpetrator claims when no control claim names a party.

    >>> from truce.domain.claims import Claim, Proposition, Stance
    >>> c = Claim("c1", "aze-president", Stance.ASSERTS, Proposition.CONTROL, value="AZE")
    >>> advance_responsibility([c], ("ARM", "AZE"))
    Responsibility(party='AZE', basis='alleged', claim_ids=('c1',))
    """
    claims = list(claims)
    taking = [c for c in claims if c.proposition is Proposition.CONTROL
              and c.stance in (Stance.ASSERTS, Stance.CONFIRMS) and c.value in parties]
    if not taking:
        return responsibility(claims, parties, mission_actors)
    found = [c for c in taking if c.actor in mission_actors]
    if found and len({c.value for c in found}) == 1:
        return Responsibility(found[0].value, FOUND, tuple(sorted(c.id for c in found)))
    named = {c.value for c in taking}
    ids = tuple(sorted(c.id for c in taking))
    if len(named) > 1:
        return Responsibility(None, DISPUTED, ids)
    return Responsibility(named.pop(), ALLEGED, ids)


def restriction_responsibility(imposed_by: Collection[str | None],
                               parties: Collection[str]) -> Responsibility | None:
    """The party the mission's observers saw impose a restriction of their
    movement (``found``), ``disputed`` if they name several; None when no
    report names one of the agreement's parties.

    >>> restriction_responsibility(["AZE"], ("ARM", "AZE"))
    Responsibility(party='AZE', basis='found', claim_ids=())
    """
    named = {p for p in imposed_by if p in parties}
    if not named:
        return None
    if len(named) > 1:
        return Responsibility(None, DISPUTED)
    return Responsibility(named.pop(), FOUND)


def acted_by(claims: Iterable[Claim], parties: Collection[str], mission_actors: Collection[str] = (),
             restricted_by: Collection[str | None] = (), *,
             territory_change: bool = False) -> Responsibility:
    """Who acted in an incident: the party the mission's observers saw impose
    a restriction of their movement (``restriction_responsibility``, from the
    reports' "imposed by"), else, in a transfer of territory
    (``territory_change``), the party that took the ground
    (``advance_responsibility``), else who the perpetrator claims find or
    allege responsible (``responsibility``). The one rule for every term an
    incident breaks (its no_fire and no_advance name the same party) and for
    every output's actor columns.

    >>> acted_by([], ("ARM", "AZE"), restricted_by=["AZE"]).party
    'AZE'
    """
    restricted = restriction_responsibility(restricted_by, parties)
    if restricted:
        return restricted
    if territory_change:
        return advance_responsibility(claims, parties, mission_actors)
    return responsibility(claims, parties, mission_actors)


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
        return is_territory_change(incident.event_type, incident.sub_type)
    if term.kind is TermKind.OBSERVER_FREEDOM_OF_MOVEMENT:
        return observer_restricted
    return False


def violations(incident: Incident, agreement: Agreement, facts: GeoFacts,
               claims: Iterable[Claim] = (), grade: Grade | None = None, *,
               mission_actors: Collection[str] = (),
               observer_restricted: bool = False,
               restricted_by: Collection[str | None] = ()) -> list[Violation]:
    """The violations of ``agreement`` that ``incident`` amounts to (maybe none).

    Takes the incident, the agreement, its geometry facts, its claims (the
    caller leaves out discounted ones) and its effective grade;
    ``restricted_by`` who imposed each observer restriction or jamming report
    of the incident (None when the report names no one). Returns one
    ``Violation`` per term broken, each naming the party found or alleged
    responsible, or none.
    """
    observer_restricted = observer_restricted or bool(restricted_by)
    if not agreement.in_force(incident.start):
        return []
    if grade is Grade.DISCOUNTED:
        return []
    broken = [term for term in agreement.terms
              if _breaks(term, incident, facts, observer_restricted)]
    if not broken:
        return []
    who = acted_by(claims, agreement.parties, mission_actors, restricted_by,
                   territory_change=is_territory_change(incident.event_type, incident.sub_type))
    out = []
    for term in broken:  # one incident, one party responsible for every term it breaks
        out.append(Violation(agreement=agreement.id, incident=incident.id, term=term.kind,
                             responsible=who.party, basis=who.basis, claim_ids=who.claim_ids,
                             grade=grade.value if grade else None))
    return out
