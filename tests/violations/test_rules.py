"""The pure violation rules: terms, time in force, responsibility."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from record_factories import make_claim, make_incident  # noqa: E402
from truce.domain.agreements import Agreement, Term, TermKind  # noqa: E402
from truce.domain.claims import Proposition, Stance  # noqa: E402
from truce.domain.grades import Grade  # noqa: E402
from truce.domain.incidents import TargetType  # noqa: E402
from truce.domain.taxonomy import WeaponClass  # noqa: E402
from truce.domain.violations import GeoFacts, responsibility, violations  # noqa: E402

START = datetime(2020, 10, 10, 8, 0, tzinfo=UTC)
TRUCE = Agreement(
    id="truce", name="Humanitarian truce", parties=("ARM", "AZE"), start=START,
    end=START + timedelta(days=7, hours=12),
    terms=(Term(TermKind.NO_FIRE), Term(TermKind.NO_STRIKES_ON_CIVILIANS),
           Term(TermKind.NO_HEAVY_WEAPONS_NEAR_LINE, {"km": 15}), Term(TermKind.NO_ADVANCE)))
NEAR = GeoFacts(distance_to_line_m=4_600.0, sector="Tartar-Aghdara (north)")
FAR = GeoFacts(distance_to_line_m=41_000.0, sector="Kalbajar-Murovdag (north)")


def blame(party: str, stance: Stance = Stance.ATTRIBUTES, id: str = "c-1", actor: str = "aze-mod"):
    return make_claim(id=id, actor=actor, stance=stance, proposition=Proposition.PERPETRATOR,
                      value=party)


def terms(found) -> set[str]:
    return {v.term.value for v in found}


def test_strike_before_truce_start_is_not_a_violation_even_if_reported_after():
    strike = make_incident(start=START - timedelta(minutes=1))
    assert violations(strike, TRUCE, NEAR, [blame("ARM")], Grade.VERIFIED) == []


def test_strike_after_the_end_is_not_a_violation():
    assert violations(make_incident(start=TRUCE.end), TRUCE, NEAR, [], Grade.VERIFIED) == []


def test_artillery_on_civilians_near_the_line_breaks_three_terms():
    strike = make_incident(start=START + timedelta(hours=1), weapon_class=WeaponClass.ARTILLERY,
                           target_type=TargetType.CIVILIAN)
    found = violations(strike, TRUCE, NEAR, [blame("ARM")], Grade.CORROBORATED)
    assert terms(found) == {"no_fire", "no_strikes_on_civilians", "no_heavy_weapons_near_line"}
    assert {(v.responsible, v.basis, v.grade) for v in found} == {("ARM", "alleged", "corroborated")}


def test_heavy_weapons_far_behind_the_line_do_not_break_the_near_line_term():
    strike = make_incident(start=START + timedelta(hours=1),
                           weapon_class=WeaponClass.BALLISTIC_MISSILE)
    assert terms(violations(strike, TRUCE, FAR, [], Grade.VERIFIED)) == {"no_fire"}


def test_capture_of_territory_breaks_no_advance():
    capture = make_incident(start=START + timedelta(days=1), event_type="Battles",
                            sub_type="Government regains territory",
                            weapon_class=WeaponClass.UNKNOWN)
    assert terms(violations(capture, TRUCE, NEAR)) == {"no_fire", "no_advance"}


def test_discounted_incident_breaks_nothing_and_strategic_developments_are_not_fire():
    strike = make_incident(start=START + timedelta(hours=1))
    assert violations(strike, TRUCE, NEAR, [], Grade.DISCOUNTED) == []
    talks = make_incident(start=START + timedelta(hours=1), event_type="Strategic developments",
                          sub_type="Agreement")
    assert violations(talks, TRUCE, NEAR) == []


def test_responsibility_alleged_found_disputed_or_unattributed():
    parties = ("ARM", "AZE")
    assert responsibility([], parties).basis == "unattributed"
    assert responsibility([blame("ARM", Stance.DENIES)], parties).basis == "unattributed"
    assert responsibility([blame("TUR")], parties).basis == "unattributed"  # not a party
    both = responsibility([blame("ARM"), blame("AZE", id="c-2", actor="arm-mod")], parties)
    assert (both.party, both.basis, both.claim_ids) == (None, "disputed", ("c-1", "c-2"))
    mission = responsibility([blame("AZE", actor="mission"), blame("ARM", id="c-2")], parties,
                             mission_actors={"mission"})
    assert (mission.party, mission.basis) == ("AZE", "found")


def control(party: str, stance: Stance = Stance.ASSERTS, id: str = "c-ctl", actor: str = "aze-president"):
    return make_claim(id=id, actor=actor, stance=stance, proposition=Proposition.CONTROL,
                      value=party)


def test_a_capture_is_attributed_to_the_party_that_claims_the_ground():
    capture = make_incident(start=START + timedelta(hours=2), event_type="Battles",
                            sub_type="Government regains territory")
    found = violations(capture, TRUCE, NEAR, [control("AZE"), control("AZE", Stance.DENIES, "c-2",
                                                                      "arm-mod")], Grade.CORROBORATED)
    advance = [v for v in found if v.term is TermKind.NO_ADVANCE]
    assert [(v.responsible, v.basis, v.claim_ids) for v in advance] == [("AZE", "alleged", ("c-ctl",))]


def test_a_capture_with_no_control_claim_falls_back_to_who_is_blamed():
    capture = make_incident(start=START + timedelta(hours=2), event_type="Battles",
                            sub_type="Government regains territory")
    assert {v.responsible for v in violations(capture, TRUCE, NEAR, [], Grade.VERIFIED)} == {None}
    blamed = violations(capture, TRUCE, NEAR, [blame("ARM")], Grade.VERIFIED)
    assert {(v.term.value, v.responsible) for v in blamed} >= {("no_advance", "ARM")}


def test_a_restriction_is_found_against_the_party_observers_saw_impose_it():
    movement = Agreement(id="t2", name="t2", parties=("ARM", "AZE"), start=START,
                         terms=(Term(TermKind.OBSERVER_FREEDOM_OF_MOVEMENT),))
    stopped = make_incident(start=START + timedelta(hours=3), event_type="Strategic developments",
                            sub_type="Other")
    assert violations(stopped, movement, NEAR, [], Grade.VERIFIED) == []
    found = violations(stopped, movement, NEAR, [], Grade.VERIFIED, restricted_by=["AZE"])
    assert [(v.term.value, v.responsible, v.basis) for v in found] == [
        ("observer_freedom_of_movement", "AZE", "found")]
    unknown = violations(stopped, movement, NEAR, [], Grade.VERIFIED, restricted_by=[None])
    assert [(v.responsible, v.basis) for v in unknown] == [(None, "unattributed")]
