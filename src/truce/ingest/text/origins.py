"""Attributions and relays, one rule: where a text says its facts come from
("according to AFP", "citing TASS", "an AFP correspondent reported", "the
ministry said", "Trend reports", "передает ТАСС").

A text that attributes what it reports relays another source; grading
counts the origin, not the outlet. Everything here reads the same patterns
and the same lexicon of news outlets (``OUTLETS``):

- ``attributions(sentence)``: the names a sentence attributes its facts to,
  in order, without repeats (the review queue turns them into relays of the
  record an accepted proposal becomes);
- ``find_relays(sentences)``: each attribution as a ``Relay`` (the name as
  written, its sentence, the words), for the extraction's output;
- ``is_relay(actor, verb)``: an outlet "reporting" passes on someone else's
  words and is no speaker of its own, so the claim stages leave it out.

Minimal and conservative: a name must be capitalised (an agency, a ministry,
a capital standing for its government) or a ministry, so ordinary verbs of
saying with no named origin propose nothing.

>>> attributions("An AFP correspondent reported that Bukharli was under fire.")
['AFP']
>>> attributions("Two sites were hit, according to Baku, citing TASS.")
['Baku', 'TASS']
>>> attributions("Azerbaijan's defence ministry said the sites were destroyed.")
["Azerbaijan's defence ministry"]
>>> attributions("Обстрел продолжается, передает ТАСС.")
['ТАСС']
>>> is_relay("Trend", "reports"), is_relay("Ministry of Defence", "reports")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .lowered import Blind
from .model import Sentence

__all__ = ["OUTLETS", "Relay", "attributions", "find_relays", "is_relay"]

OUTLETS = ("trend", "azernews", "apa", "azertac", "report", "news.az", "tass", "ria novosti",
           "interfax", "interfax-ukraine", "sputnik", "armenpress", "news.am", "reuters", "afp",
           "ap", "associated press", "anadolu", "pti", "ani", "unn", "censor.net", "arka",
           "тасс", "риа новости", "интерфакс", "«интерфакс»", "арменпресс", "спутник", "унн")
# what an outlet does when it passes on someone else's words
RELAY_VERBS = ("reports", "reported", "report", "according to", "citing", "writes",
               "сообщает", "передает", "передаёт", "пишет")

_OUTLET = "|".join(sorted((re.escape(o) for o in OUTLETS), key=len, reverse=True))
_NAME = r"(?:[A-Z][\w'’.&-]*|of|the)(?:\s+(?:[A-Z][\w'’.&-]*|of|the))*"
_MINISTRY = (r"(?:[A-Z][\w'’]*(?:'s|’s)?\s+)?(?:[Dd]efen[cs]e\s+|[Ff]oreign\s+|[Ii]nterior\s+)?"
             r"[Mm]inistry(?:\s+of\s+[A-Z][\w]*(?:\s+of\s+[A-Z][\w]*)?)?")
_PATTERNS = [
    re.compile(rf"\baccording to (?:the |an? )?(?P<name>{_MINISTRY}|{_NAME})"),
    re.compile(rf"\bciting (?:the |an? )?(?P<name>{_MINISTRY}|{_NAME})"),
    re.compile(rf"\b(?:as )?(?:reported|quoted|cited) by (?:the |an? )?(?P<name>{_MINISTRY}|{_NAME})"),
    re.compile(rf"\b(?:[Tt]he |[Aa]n? )?(?P<name>{_MINISTRY}|[A-Z][A-Za-z&.-]+(?:\s+[A-Z][A-Za-z&.-]+)?)"
               r"(?:\s+(?:news\s+)?(?:correspondent|reporter|agency|journalist|spokes(?:wo)?man))?"
               r"\s+(?:reported|said|announced|stated|wrote)\b"),
    # a known outlet passing words on, in English or Russian ("Trend reports", "пишет «Интерфакс»")
    Blind(rf"\b(?P<name>{_OUTLET})\b,?\s+(?:reports?|reported|said|writes|quoted|citing|referring|"
               r"сообщает|передает|передаёт|пишет|цитирует)"),
    Blind(rf"\b(?:reports?|передает|передаёт|пишет|сообщает)\s+[«\"]?(?P<name>{_OUTLET})\b"),
    Blind(rf"\b(?:according to|via|со ссылкой на)\s+(?P<name>{_OUTLET})\b"),
]
# what each pattern needs somewhere in the sentence (lower-cased): most sentences skip most
# patterns, whose leading optional name would otherwise be tried at every capital letter
_ANCHORS = [re.compile(a) for a in (
    "according to", "citing", " by ", "reported|said|announced|stated|wrote",
    "report|said|writes|quoted|citing|referring|сообщает|передает|передаёт|пишет|цитирует",
    "report|передает|передаёт|пишет|сообщает", "according to|via|со ссылкой на")]
_NOT_ORIGINS = {"He", "She", "They", "It", "We", "I", "This", "That", "The", "A", "An", "Officials"}


@dataclass(frozen=True)
class Relay:
    """One attribution: the name as written ("Trend", "ТАСС"), its sentence, the words."""

    outlet: str
    sentence: int
    words: str


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|an?)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"\s+(?:of|the)$", "", name).strip(" ,.«»\"")


def _found(sentence: str) -> list[tuple[int, str, str]]:
    """(position, name, words) of each attribution in ``sentence``, in order, once each."""
    found: list[tuple[int, str, str]] = []
    low = sentence.lower()
    for pattern, anchor in zip(_PATTERNS, _ANCHORS, strict=True):
        if not anchor.search(low):
            continue
        for m in pattern.finditer(sentence):
            name = _clean(m.group("name"))
            if name and name not in _NOT_ORIGINS and name[0].isupper():
                found.append((m.start("name"), name, m.group(0)))
    out: list[tuple[int, str, str]] = []
    for hit in sorted(found):
        if not any(hit[1] in kept[1] or kept[1] in hit[1] for kept in out):
            out.append(hit)
    return out


def attributions(sentence: str) -> list[str]:
    """The origins a sentence attributes its facts to (see the module docstring)."""
    return [name for _pos, name, _words in _found(sentence)]


def find_relays(sentences: Sequence[Sentence]) -> list[Relay]:
    """Every attribution of every sentence, as a ``Relay``."""
    return [Relay(name, s.index, words) for s in sentences for _pos, name, words in _found(s.text)]


def is_relay(actor: str, verb: str) -> bool:
    """An outlet "reporting" is a relay, not a speaker ("Trend reports", "пишет «Интерфакс»")."""
    return actor.strip(" «»\"").lower() in OUTLETS and verb.lower() in RELAY_VERBS
