"""Claims compared per proposition: agreed, disputed, uncontested."""

from __future__ import annotations

import math

from factories import at, karabakh_sources, make_claim, make_source

from truce.domain.actors import SourceKind
from truce.domain.claims import Proposition, Stance
from truce.domain.contradictions import (
    PropositionStatus,
    contradictions,
    number_interval,
    proposition_summary,
    propositions,
)

HAPPENED, TARGET = Proposition.HAPPENED, Proposition.TARGET_TYPE
CASUALTIES, CONTROL = Proposition.CASUALTIES, Proposition.CONTROL
AGREED, DISPUTED, UNCONTESTED = (PropositionStatus.AGREED, PropositionStatus.DISPUTED,
                                 PropositionStatus.UNCONTESTED)


def test_assertion_against_denial_on_the_same_incident_is_disputed():
    found = contradictions([
        make_claim("c1", "az-mod", Stance.ASSERTS, HAPPENED),
        make_claim("c2", "am-mod", Stance.DENIES, HAPPENED),
    ])
    assert len(found) == 1
    assert [c.id for c in found[0].supporting] == ["c1"]
    assert [c.id for c in found[0].opposing] == ["c2"]
    assert found[0].summary.startswith("happened of i1 is disputed")


def test_confirming_the_strike_but_rejecting_the_target_is_one_agreed_one_disputed():
    claims = [
        make_claim("c1", "az-mod", Stance.ASSERTS, HAPPENED),
        make_claim("c2", "am-mod", Stance.CONFIRMS, HAPPENED),
        make_claim("c3", "az-mod", Stance.ASSERTS, TARGET, value="military"),
        make_claim("c4", "am-mod", Stance.DISPUTES, TARGET),
    ]
    assert proposition_summary(claims) == {HAPPENED: AGREED, TARGET: DISPUTED}
    assert [c.proposition for c in contradictions(claims)] == [TARGET]


def test_supporting_claims_with_different_target_types_are_disputed():
    claims = [
        make_claim("c1", "az-mod", Stance.ASSERTS, TARGET, value="military"),
        make_claim("c2", "am-mod", Stance.ASSERTS, TARGET, value="civilian"),
    ]
    assert proposition_summary(claims)[TARGET] is DISPUTED


def test_denial_of_a_different_value_is_not_a_contradiction():
    claims = [
        make_claim("c1", "az-mod", Stance.ASSERTS, TARGET, value="military"),
        make_claim("c2", "am-mod", Stance.DENIES, TARGET, value="civilian"),
    ]
    assert proposition_summary(claims)[TARGET] is AGREED


def test_exact_village_counts_that_differ_are_disputed():
    claims = [
        make_claim("c1", "az-president", Stance.ASSERTS, CONTROL, value="8 villages"),
        make_claim("c2", "am-mod", Stance.ASSERTS, CONTROL, value="45 towns"),
    ]
    found = contradictions(claims)
    assert [p.value for p in found[0].positions] == ["45 towns", "8 villages"]


def test_exact_death_tolls_of_600_and_2_are_disputed():
    claims = [make_claim("c1", "afp", Stance.ASSERTS, CASUALTIES, value="600"),
              make_claim("c2", "reuters", Stance.ASSERTS, CASUALTIES, value="2")]
    assert proposition_summary(claims)[CASUALTIES] is DISPUTED


def test_lower_bounds_that_can_both_hold_are_agreed():
    claims = [make_claim("c1", "afp", Stance.ASSERTS, CASUALTIES, value="more than 600"),
              make_claim("c2", "reuters", Stance.ASSERTS, CASUALTIES, value="at least two")]
    assert proposition_summary(claims)[CASUALTIES] is AGREED


def test_one_actor_alone_is_uncontested():
    summary = proposition_summary([make_claim("c1", "az-mod"), make_claim("c2", "az-mod",
                                   proposition=TARGET, value="military")])
    assert summary == {HAPPENED: UNCONTESTED, TARGET: UNCONTESTED}


def test_claims_are_grouped_by_incident():
    groups = propositions([
        make_claim("c1", "az-mod", incident="i1"),
        make_claim("c2", "am-mod", Stance.DENIES, incident="i2"),
    ])
    assert [(g.subject, g.status) for g in groups] == [("i1", UNCONTESTED), ("i2", UNCONTESTED)]


def test_dispute_on_any_incident_marks_the_proposition_disputed_in_the_summary():
    summary = proposition_summary([
        make_claim("c1", "az-mod", incident="i1"),
        make_claim("c2", "am-mod", incident="i1"),
        make_claim("c3", "az-mod", incident="i2"),
        make_claim("c4", "am-mod", Stance.DENIES, incident="i2"),
    ])
    assert summary[HAPPENED] is DISPUTED


def test_initial_denial_replaced_by_later_confirmation_is_no_longer_disputed():
    sources = karabakh_sources()
    sources["s1"] = make_source("s1", kind=SourceKind.PARTY_STATEMENT, affiliation="am",
                                published=at(13))
    sources["s2"] = make_source("s2", kind=SourceKind.PARTY_STATEMENT, affiliation="am",
                                published=at(15))
    claims = [
        make_claim("c1", "az-president", Stance.ASSERTS, CONTROL, control="k1", incident=None),
        make_claim("c2", "am-mod", Stance.DENIES, CONTROL, control="k1", incident=None,
                   source="s1"),
        make_claim("c3", "am-mod", Stance.CONFIRMS, CONTROL, control="k1", incident=None,
                   source="s2"),
    ]
    assert proposition_summary(claims)[CONTROL] is DISPUTED
    assert proposition_summary(claims, sources)[CONTROL] is AGREED


def test_number_interval_reads_qualifiers():
    assert number_interval("more than 600") == (601, math.inf)
    assert number_interval("at least 2") == (2, math.inf)
    assert number_interval("up to 10") == (0, 10)
    assert number_interval("about 100") == (90, 110)
    assert number_interval("1,200") == (1200, 1200)
    assert number_interval("At least two people") == (2, math.inf)
    assert number_interval("military") is None
    assert number_interval(None) is None
