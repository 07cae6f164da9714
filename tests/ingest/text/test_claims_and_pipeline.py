"""Claims from parsed sentences, and the whole pipeline with the fake parser."""

from __future__ import annotations

from datetime import date

from truce.ingest.text import extract
from truce.ingest.text.claims import ClaimFinder, Tok, guess_party
from truce.ingest.text.model import Sentence

PUBLISHED = date(2020, 10, 15)


def make_toks(*rows: tuple[str, str, str, int]) -> list[Tok]:
    """(text, pos, dep, head) rows into tokens with offsets."""
    toks, offset = [], 0
    for i, (text, pos, dep, head) in enumerate(rows):
        toks.append(Tok(i, text, pos, dep, head, offset))
        offset += len(text) + 1
    return toks


def test_the_subject_of_a_stance_verb_is_the_speaker_and_the_verb_the_stance():
    toks = make_toks(("Baku", "PROPN", "nsubj", 1), ("denied", "VERB", "ROOT", 1),
                     ("it", "PRON", "dobj", 1), (".", "PUNCT", "punct", 1))
    (claim,) = ClaimFinder().find(Sentence(0, "Baku denied it.", 0), toks)
    assert (claim.actor, claim.stance, claim.party) == ("Baku", "denies", "AZE")


def test_an_appositive_name_leads_and_the_role_follows():
    toks = make_toks(("The", "DET", "det", 1), ("spokeswoman", "NOUN", "nsubj", 5),
                     (",", "PUNCT", "punct", 1), ("Shushan", "PROPN", "compound", 4),
                     ("Stepanyan", "PROPN", "appos", 1), ("confirmed", "VERB", "ROOT", 5))
    (claim,) = ClaimFinder().find(Sentence(0, "The spokeswoman, Shushan Stepanyan, confirmed", 0), toks)
    assert claim.actor == "Shushan Stepanyan (spokeswoman)"
    assert claim.stance == "confirms"


def test_a_pronoun_speaker_is_the_previous_speaker(fake):
    finder = ClaimFinder()
    first, second = Sentence(0, "Lavrov said the talks matter.", 0), Sentence(1, "He added that...", 0)
    finder.find(first, fake.parse([first.text])[0])
    (claim,) = finder.find(second, fake.parse([second.text])[0])
    assert claim.actor == "Lavrov" and claim.confidence < 0.8


def test_accusations_attribute_blame_to_their_object():
    toks = make_toks(("Armenia", "PROPN", "nsubj", 1), ("accused", "VERB", "ROOT", 1),
                     ("Azerbaijan", "PROPN", "dobj", 1), ("of", "ADP", "prep", 1),
                     ("shelling", "VERB", "pcomp", 3))
    (claim,) = ClaimFinder().find(Sentence(0, "Armenia accused Azerbaijan of shelling", 0), toks)
    assert (claim.stance, claim.proposition, claim.value) == ("attributes", "perpetrator", "Azerbaijan")


def test_parties_are_guessed_from_the_words():
    assert guess_party("President of the Nagorno Karabakh region") == "NKR"
    assert guess_party("Armenian army") == "ARM"
    assert guess_party("Russian Foreign Minister Sergey Lavrov") is None


def test_the_pipeline_proposes_events_claims_places_and_numbers_with_their_sentence(fake):
    text = ("Headline without a full stop\n\npicture\n\n"
            "Yesterday, the Defense Ministry said that artillery shelled Tartar, killing three civilians.\n\n"
            "The capital, Stepanakert, was calm.")
    x = extract(text, PUBLISHED, "AFP", extractor=fake)
    shelling, calm = x.events
    assert shelling.event_type == "Explosions/Remote violence"
    assert shelling.start == date(2020, 10, 14) and shelling.place.place_id == "gn:584871"
    assert [(n.value, n.meaning) for n in shelling.numbers] == [(3, "count")]
    assert shelling.text.startswith("Yesterday, the Defense Ministry said")
    assert 0 < shelling.confidence <= 1
    assert calm.kind == "situation" and calm.place.name == "Khankendi"
    (claim,) = x.claims
    assert (claim.actor, claim.stance, claim.event) == ("Defense Ministry", "asserts", 0)
    assert {d.text for d in x.dropped} == {"Headline without a full stop", "picture"}


def test_the_same_event_told_twice_is_one_proposal(fake):
    text = ("Yesterday, artillery shelled Tartar. Later, shelling of Terter resumed, residents said.")
    x = extract(text, PUBLISHED, extractor=fake)
    (event,) = x.events
    assert event.sentences == (0, 1)


def test_background_history_is_not_an_event(fake):
    x = extract("A war in the 1990s left 30,000 people dead in Karabakh.", PUBLISHED, extractor=fake)
    assert x.events == ()
