"""The one rule for 'shown false', whichever party made the claim."""

from __future__ import annotations

from truce.domain.actors import Source, SourceKind
from truce.domain.claims import Claim, Proposition, Stance
from truce.domain.shown_false import refutations

PARTY_OF = {"am-mod": "ARM", "az-mod": "AZE", "hrw": None, "bbc": None}
SOURCES = {
    "s-am": Source("s-am", "am", SourceKind.PARTY_STATEMENT, affiliation="ARM"),
    "s-az": Source("s-az", "az", SourceKind.PARTY_STATEMENT, affiliation="AZE"),
    "s-hrw": Source("s-hrw", "hrw", SourceKind.NGO),
    "s-bbc": Source("s-bbc", "bbc", SourceKind.NEWS),
}


def claim(cid: str, actor: str, stance: Stance, prop: Proposition, value: str | None = None,
          source: str | None = None, incident: str = "i1") -> Claim:
    return Claim(cid, actor, stance, prop, incident=incident, source=source, value=value)


def test_the_same_finding_shows_either_partys_denial_false():
    hrw = [claim("h1", "hrw", Stance.ATTRIBUTES, Proposition.PERPETRATOR, "ARM", "s-hrw"),
           claim("h2", "hrw", Stance.ASSERTS, Proposition.TARGET_TYPE, "civilian", "s-hrw", "i2")]
    denials = [claim("a1", "am-mod", Stance.DENIES, Proposition.PERPETRATOR, "ARM", "s-am"),
               claim("z1", "az-mod", Stance.DISPUTES, Proposition.TARGET_TYPE, "civilian", "s-az", "i2")]
    assert refutations(hrw + denials, PARTY_OF, SOURCES) == {"a1": "s-hrw", "z1": "s-hrw"}


def test_news_numbers_other_values_and_other_incidents_show_nothing_false():
    claims = [
        claim("b1", "bbc", Stance.ASSERTS, Proposition.TARGET_TYPE, "civilian", "s-bbc"),
        claim("z1", "az-mod", Stance.DISPUTES, Proposition.TARGET_TYPE, "civilian", "s-az"),
        claim("h1", "hrw", Stance.ASSERTS, Proposition.CASUALTIES, "21", "s-hrw"),
        claim("z2", "az-mod", Stance.ASSERTS, Proposition.CASUALTIES, "12", "s-az"),
        claim("h2", "hrw", Stance.ATTRIBUTES, Proposition.PERPETRATOR, "ARM", "s-hrw", "i9"),
        claim("a1", "am-mod", Stance.DENIES, Proposition.PERPETRATOR, "ARM", "s-am"),
        claim("h3", "hrw", Stance.ATTRIBUTES, Proposition.PERPETRATOR, "AZE", "s-hrw"),
    ]
    assert refutations(claims, PARTY_OF, SOURCES) == {}


def test_an_assertion_against_the_finding_is_shown_false_too():
    claims = [claim("h1", "hrw", Stance.ASSERTS, Proposition.TARGET_TYPE, "civilian", "s-hrw"),
              claim("a1", "am-mod", Stance.ASSERTS, Proposition.TARGET_TYPE, "military", "s-am"),
              claim("z1", "az-mod", Stance.ASSERTS, Proposition.TARGET_TYPE, "Civilian", "s-az")]
    assert refutations(claims, PARTY_OF, SOURCES) == {"a1": "s-hrw"}
