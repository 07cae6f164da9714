"""Relays: an outlet passing on what someone else said ("Trend reports citing the
ministry", "передает ТАСС"), which is no claim of the outlet's own.

``find_relays(sentences)`` returns each ``Relay`` (the outlet as written, its
sentence, the words) so that relay attribution can trace a report to its origin;
``is_relay(actor, verb, text)`` tells the claim stages to leave an outlet's
"reports" out of the claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Sentence

__all__ = ["OUTLETS", "Relay", "find_relays", "is_relay"]

OUTLETS = ("trend", "azernews", "apa", "azertac", "report", "news.az", "tass", "ria novosti",
           "interfax", "interfax-ukraine", "sputnik", "armenpress", "news.am", "reuters", "afp",
           "ap", "associated press", "anadolu", "pti", "ani", "unn", "censor.net", "arka",
           "тасс", "риа новости", "интерфакс", "«интерфакс»", "арменпресс", "спутник", "унн")
_OUTLET = "|".join(sorted((re.escape(o) for o in OUTLETS), key=len, reverse=True))
_RELAY = re.compile(
    r"\b(" + _OUTLET + r")\b[,]?\s+(?:reports?|reported|said|writes|quoted|citing|referring|"
    r"сообщает|передает|передаёт|пишет|цитирует)|\b(?:reports?|передает|передаёт|пишет|сообщает)\s+"
    r"[«\"]?(" + _OUTLET + r")\b|\b(?:according to|via|со ссылкой на)\s+(" + _OUTLET + r")\b", re.I)


@dataclass(frozen=True)
class Relay:
    outlet: str  # as written: "Trend", "ТАСС"
    sentence: int
    words: str


def find_relays(sentences: Sequence[Sentence]) -> list[Relay]:
    return [Relay(next(g for g in m.groups() if g), s.index, m.group(0))
            for s in sentences for m in _RELAY.finditer(s.text)]


def is_relay(actor: str, verb: str) -> bool:
    """An outlet "reporting" is a relay, not a speaker ("Trend reports", "пишет «Интерфакс»")."""
    name = actor.strip(" «»\"").lower()
    return name in OUTLETS and verb.lower() in (
        "reports", "reported", "report", "according to", "сообщает", "передает", "передаёт",
        "пишет", "citing", "writes")
