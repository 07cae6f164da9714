"""Grades of incidents from the 2020 Karabakh war, one realistic case per grade."""

from __future__ import annotations

import pytest
from factories import at, karabakh_sources, make_claim, make_evidence, make_report, make_source

from truce.domain.actors import SourceKind
from truce.domain.claims import Proposition, Stance
from truce.domain.contradictions import PropositionStatus, proposition_summary
from truce.domain.exceptions import ValidationError
from truce.domain.grades import Grade
from truce.domain.grading import IncidentEvidence, Refutation, effective_grade, grade

HAPPENED, PERPETRATOR = Proposition.HAPPENED, Proposition.PERPETRATOR
TARGET = Proposition.TARGET_TYPE
DISPUTED_NOTE = "disputed, not settled by the grade: "


def seed_claims():
    """14 Oct 2020: Baku says it struck two missile launch sites inside Armenia;
    Yerevan confirms the strike but calls Baku's account of the targets baseless."""
    return [
        make_claim("c1", "az-mod", Stance.ASSERTS, HAPPENED),
        make_claim("c2", "az-mod", Stance.ASSERTS, TARGET, value="military"),
        make_claim("c3", "az-mod", Stance.ASSERTS, PERPETRATOR, value="az"),
        make_claim("c4", "am-mod", Stance.CONFIRMS, HAPPENED),
        make_claim("c5", "am-mod", Stance.DISPUTES, TARGET),
        make_claim("c6", "am-mod", Stance.ATTRIBUTES, PERPETRATOR, value="az"),
    ]


def test_observer_report_is_verified():
    result = grade(make_evidence(reports=[make_report("r1", "observer-3")]))
    assert result.grade is Grade.VERIFIED
    assert "seen by the mission itself: Observer team 3 (observer)" in result.reasons


def test_mission_camera_outweighs_a_party_denial_and_stays_verified():
    evidence = make_evidence(
        reports=[make_report("r1", "camera-7")],
        claims=[make_claim("c1", "am-mod", Stance.DENIES, HAPPENED)],
    )
    result = grade(evidence)
    assert result.grade is Grade.VERIFIED
    assert any("denied by Ministry of Defence of Armenia" in r for r in result.reasons)


def test_ganja_strike_seen_by_afp_and_asserted_by_baku_is_corroborated():
    # 11 Oct 2020: AFP reporters saw the destroyed homes in Ganja; Baku blamed
    # Armenia, Yerevan denied firing. Who did it stays disputed, but is shown.
    evidence = make_evidence(
        reports=[make_report("r1", "afp-ganja")],
        claims=[
            make_claim("c1", "az-mod", Stance.ATTRIBUTES, PERPETRATOR, value="am"),
            make_claim("c2", "am-mod", Stance.DENIES, PERPETRATOR, value="am"),
        ],
    )
    result = grade(evidence)
    assert result.grade is Grade.CORROBORATED
    assert ("2 independent origins: AFP correspondent in Ganja (news); "
            "Ministry of Defence of Azerbaijan (party statement)") in result.reasons
    assert any(r.startswith(DISPUTED_NOTE + "perpetrator") for r in result.reasons)


def test_two_afp_dispatches_are_one_voice_not_corroboration():
    evidence = make_evidence(reports=[make_report("r1", "afp"), make_report("r2", "afp-ganja")])
    result = grade(evidence)
    assert result.grade is Grade.SINGLE_SOURCE
    assert any("not independent of each other" in r for r in result.reasons)


def test_ministry_claim_relayed_only_by_a_wire_is_single_source():
    evidence = make_evidence(
        reports=[make_report("r1", "wire-az")],
        claims=[make_claim("c1", "az-mod", Stance.ASSERTS, HAPPENED)],
    )
    result = grade(evidence)
    assert result.grade is Grade.SINGLE_SOURCE
    assert ("Wire relaying Baku (news) only repeats Ministry of Defence of Azerbaijan "
            "(party statement): counted as that origin, not a second source") in result.reasons
    assert result.origins == ("az-mod",)


def test_repeats_chain_is_followed_transitively_to_its_origin():
    sources = karabakh_sources()
    sources["paper"] = make_source("paper", "Local paper", repeats="wire-az")
    evidence = make_evidence(reports=[make_report("r1", "paper"), make_report("r2", "az-mod")],
                             sources=sources)
    assert grade(evidence).origins == ("az-mod",)
    assert grade(evidence).grade is Grade.SINGLE_SOURCE


def test_two_voices_of_the_same_party_are_single_source():
    evidence = make_evidence(claims=[make_claim("c1", "az-mod"), make_claim("c2", "az-president")])
    assert grade(evidence).grade is Grade.SINGLE_SOURCE


def test_allied_parties_on_one_side_are_single_source():
    evidence = make_evidence(claims=[make_claim("c1", "am-mod"), make_claim("c2", "nk-president")])
    result = grade(evidence)
    assert result.grade is Grade.SINGLE_SOURCE
    assert any("one voice" in r for r in result.reasons)


def test_seed_strike_confirmed_by_the_other_party_is_corroborated_with_target_disputed():
    result = grade(make_evidence(claims=seed_claims()))
    assert result.grade is Grade.CORROBORATED
    assert any("opposing sides agree it happened" in r for r in result.reasons)
    assert any(r.startswith(DISPUTED_NOTE + "target_type") for r in result.reasons)
    summary = proposition_summary(seed_claims())
    assert summary[HAPPENED] is PropositionStatus.AGREED
    assert summary[TARGET] is PropositionStatus.DISPUTED
    assert summary[PERPETRATOR] is PropositionStatus.AGREED


def test_party_assertion_denied_by_the_other_party_is_contested():
    evidence = make_evidence(claims=[
        make_claim("c1", "az-mod", Stance.ASSERTS, HAPPENED),
        make_claim("c2", "am-mod", Stance.DENIES, HAPPENED),
    ])
    result = grade(evidence)
    assert result.grade is Grade.CONTESTED
    assert any("sources of equal weight disagree" in r for r in result.reasons)


def test_single_party_blame_denied_by_the_accused_is_contested():
    evidence = make_evidence(claims=[
        make_claim("c1", "az-mod", Stance.ATTRIBUTES, PERPETRATOR, value="am"),
        make_claim("c2", "am-mod", Stance.DENIES, PERPETRATOR, value="am"),
    ])
    result = grade(evidence)
    assert result.grade is Grade.CONTESTED
    assert any("who did it is disputed" in r for r in result.reasons)


def test_independent_sources_that_disagree_make_it_contested():
    evidence = make_evidence(
        reports=[make_report("r1", "afp")],
        claims=[make_claim("c1", "bbc", Stance.DENIES, HAPPENED)],
    )
    assert grade(evidence).grade is Grade.CONTESTED


def test_downing_claim_refuted_by_mission_observers_is_discounted_and_kept():
    # A party says its air defence downed a Su-25; observers examined the
    # wreckage and found a drone. The claim is kept, with the refutation.
    evidence = make_evidence(
        claims=[make_claim("c1", "am-mod", Stance.ASSERTS, HAPPENED)],
        discounted_by=[Refutation("observer-3", "wreckage examined is a drone, not a Su-25")],
    )
    result = grade(evidence)
    assert result.grade is Grade.DISCOUNTED
    assert result.origins == ("am-mod",)
    assert any("wreckage examined is a drone" in r and "kept, but discounted" in r
               for r in result.reasons)


def test_party_claim_refuted_by_independent_investigation_is_discounted():
    evidence = make_evidence(claims=[make_claim("c1", "az-mod")],
                             discounted_by=[Refutation("hrw", "satellite imagery shows no strike")])
    assert grade(evidence).grade is Grade.DISCOUNTED


def test_party_refutation_does_not_discount_an_independent_report():
    evidence = make_evidence(reports=[make_report("r1", "afp")],
                             discounted_by=[Refutation("am-mod", "staged")])
    result = grade(evidence)
    assert result.grade is Grade.SINGLE_SOURCE
    assert any("outweighed" in r for r in result.reasons)


def test_later_confirmation_replaces_the_same_actors_earlier_denial():
    sources = karabakh_sources()
    sources["am-mod-14"] = make_source("am-mod-14", "Ministry of Defence of Armenia",
                                       SourceKind.PARTY_STATEMENT, "am", published=at(14, 9))
    sources["am-mod-15"] = make_source("am-mod-15", "Ministry of Defence of Armenia",
                                       SourceKind.PARTY_STATEMENT, "am", published=at(15, 9))
    evidence = make_evidence(sources=sources, claims=[
        make_claim("c1", "az-mod"),
        make_claim("c2", "am-mod", Stance.DENIES, source="am-mod-14"),
        make_claim("c3", "am-mod", Stance.CONFIRMS, source="am-mod-15"),
    ])
    result = grade(evidence)
    assert result.grade is Grade.CORROBORATED
    assert any("later claim c3" in r and "earlier c2" in r for r in result.reasons)


def test_corrected_report_is_replaced_by_its_correction():
    evidence = make_evidence(reports=[make_report("r1", "afp"),
                                      make_report("r2", "afp", corrects="r1")])
    assert "report r1 is replaced by its correction" in grade(evidence).reasons


def test_evidence_citing_an_unknown_source_is_rejected():
    with pytest.raises(ValidationError, match="cites source 'nobody'"):
        make_evidence(reports=[make_report("r1", "nobody")])


def test_sources_that_repeat_each_other_in_a_cycle_are_rejected():
    sources = {"a": make_source("a", repeats="b"), "b": make_source("b", repeats="a")}
    with pytest.raises(ValidationError, match="cycle"):
        IncidentEvidence(reports=(make_report("r1", "a"),), sources=sources)


def test_incident_with_nothing_supporting_it_is_rejected():
    with pytest.raises(ValidationError, match="no report or claim supports"):
        grade(make_evidence(claims=[make_claim("c1", "am-mod", Stance.DENIES)]))


def test_override_without_a_written_reason_is_rejected():
    computed = grade(make_evidence(reports=[make_report("r1", "afp")]))
    with pytest.raises(ValidationError, match="written reason"):
        effective_grade(computed, Grade.CORROBORATED, "  ")


def test_override_keeps_the_computed_reasons_and_says_why():
    computed = grade(make_evidence(reports=[make_report("r1", "afp")]))
    shown = effective_grade(computed, Grade.CORROBORATED, "HRW confirmed by phone")
    assert shown.grade is Grade.CORROBORATED
    assert shown.reasons[:-1] == computed.reasons
    assert shown.reasons[-1] == ("analyst override: single-source -> corroborated, "
                                 "because HRW confirmed by phone")


def test_no_override_gives_the_computed_grade():
    computed = grade(make_evidence(reports=[make_report("r1", "afp")]))
    assert effective_grade(computed, None, None) is computed


def test_one_dispatch_through_two_outlets_and_an_article_is_one_voice():
    from dataclasses import replace

    sources = karabakh_sources()
    sources["paper"] = make_source("paper", "Local paper", repeats="afp-ganja")
    sources["site"] = make_source("site", "News site")
    sources["site"] = replace(sources["site"], relays=("afp-ganja", "az-mod"))
    sources["article"] = replace(make_source("article", "Ingested article"), relays=("afp-ganja",))
    evidence = make_evidence(reports=[make_report("r1", "afp-ganja"), make_report("r2", "paper"),
                                      make_report("r3", "site"), make_report("r4", "article")],
                             sources=sources)
    result = grade(evidence)
    assert result.grade is Grade.SINGLE_SOURCE
    assert result.origins == ("afp-ganja",)
    assert ("3 outlets relaying AFP correspondent in Ganja (news): one origin "
            "(Ingested article; Local paper; News site)") in result.reasons


def test_a_relay_of_both_ministries_adds_no_voice_beside_them():
    from dataclasses import replace

    sources = karabakh_sources()
    sources["agencies"] = replace(make_source("agencies", "Agencies"), relays=("az-mod", "am-mod"))
    evidence = make_evidence(reports=[make_report("r1", "agencies")],
                             claims=[make_claim("c1", "az-mod"), make_claim("c2", "am-mod", Stance.CONFIRMS)],
                             sources=sources)
    result = grade(evidence)
    assert result.grade is Grade.CORROBORATED
    assert any(r.startswith("2 independent origins") for r in result.reasons)
    alone = grade(make_evidence(reports=[make_report("r1", "agencies")], sources=sources))
    assert alone.origins == ("am-mod", "az-mod")  # relaying two parties, it is theirs alone


def test_sources_relaying_each_other_in_a_cycle_are_refused():
    from dataclasses import replace

    from truce.domain.exceptions import ValidationError

    sources = karabakh_sources()
    sources["x"] = replace(make_source("x"), relays=("y",))
    sources["y"] = replace(make_source("y"), relays=("x",))
    with pytest.raises(ValidationError, match="cycle"):
        grade(make_evidence(reports=[make_report("r1", "x")], sources=sources))
