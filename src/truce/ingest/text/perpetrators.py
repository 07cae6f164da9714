"""Who is alleged to have done it: the party the words of the text name for an event.

``find_perpetrator(text, start, end, speaker)`` reads the clause of one event
(``text[start:end]``, the trigger at ``start``) and the words just before it,
and returns a ``Perpetrator`` (party code and the words that name it) or None.
The party comes from the words only, never from where the event happened:

- an adjective or a phrase on the means or the force: "an Armenian missile
  strike", "Azerbaijani forces shelled", "the armed forces of Armenia",
  "Pakistani troops violated", "Armenian fire";
- an agent: "shelled by Azerbaijani forces", "fired by the Armenian Armed
  Forces", "carried out by Indian troops";
- an origin: "fire launched from the territory of Armenia", "from Armenian
  territory";
- a state as the doer: "Azerbaijan bombed", "Pakistan initiated";
- "the enemy", "the adversary", "the opposing side": the speaker's adversary
  (``ADVERSARY``), when the speaker's party is known.

A party that is the target ("Armenian positions", "Azerbaijani soldiers were
killed", "the Azerbaijani city of Tartar") names no perpetrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lowered import Blind

__all__ = ["ADVERSARY", "PARTY_WORDS", "Perpetrator", "find_perpetrator", "party_of"]

# words (lower case, prefix for Russian stems) -> party code
PARTY_WORDS: dict[str, str] = {
    "armenian": "ARM", "armenia": "ARM", "yerevan": "ARM",
    "azerbaijani": "AZE", "azeri": "AZE", "azerbaijan": "AZE", "baku": "AZE",
    "karabakh": "NKR", "artsakh": "NKR", "separatist": "NKR",
    "pakistani": "PAK", "pakistan": "PAK", "indian": "IND", "india": "IND",
    "russian": "RUS", "russia": "RUS", "ukrainian": "UKR", "ukraine": "UKR",
    "turkish": "TUR", "turkey": "TUR", "israeli": "ISR", "israel": "ISR",
}
# the side a party's statements call "the enemy"
ADVERSARY: dict[str, str] = {"ARM": "AZE", "NKR": "AZE", "AZE": "ARM", "PAK": "IND",
                             "IND": "PAK", "UKR": "RUS", "RUS": "UKR"}

_ADJ = r"(armenian|azerbaijani|azeri|karabakh|artsakh|separatist|pakistani|indian|russian|" \
       r"ukrainian|turkish|israeli)"
_STATE = r"(armenia|azerbaijan|pakistan|india|russia|ukraine|turkey|israel)"
_FORCE = r"(?:armed forces|forces|troops|army|military|units?|soldiers|side|servicemen|air defen[cs]e|" \
         r"formations|defen[cs]e army|artillery|aviation|drones?|missiles?|rockets?|shells?|" \
         r"strikes?|attacks?|fire|shelling|bombardment|aircraft|warplanes?|gunners|snipers?|" \
         r"separatists|militants|rebels|fighters|proxies)"
_ENEMY = Blind(r"\b(?:the |an? )?(enemy|adversary|opposing side|opposite side|"
                    r"opponent|other side)\b")
_OWN = Blind(r"\b(?:its|their|our)\s+(?:own\s+)?(?:armed forces|forces|troops|army|"
                  r"military|units|soldiers|artillery|drones?|aviation)\b|"
                  r"\b(?:denied|denies|deny|rejected|rejects)\s+(?:\w+\s+){0,3}?(?:that\s+)?"
                  r"(?:it|they)(?=\s+(?:had\s+|has\s+|have\s+)?\w+ed\b)")
# "an Armenian missile strike", "Azerbaijani armed forces", "the Karabakh army"
_ADJ_FORCE = Blind(r"\b(?:" + _ADJ + r"(?:-backed|-led|-controlled)?|" + _STATE
                        + r"(?:['’]s)?)(?:[- ](?:armed|military|army|air|defen[cs]e|overnight|night|"
                        r"latest|new|fresh|renewed|deadly|massive|intense|intensive|indiscriminate|"
                        r"treacherous|repeated|continued|"
                        r"heavy|missile|rocket|artillery|drone|mortar|sniper|ballistic))*"
                        r"\s+" + _FORCE + r"\b")
# "the armed forces of Armenia", "units of the Armenian army"
_FORCE_OF = Blind(r"\b(?:armed forces|forces|troops|army|military|units|side|"
                       r"formations)\s+of\s+(?:the\s+)?(?:republic\s+of\s+)?" + _STATE + r"\b")
_AGENT = Blind(r"\b(?:by|from)\s+(?:the\s+)?(?:(?:units?|subdivisions?|members|forces|troops|"
                    r"servicemen)\s+of\s+(?:the\s+)?)?(?:(?!by\b|from\b)[a-z-]+\s+){0,2}?"
                    r"(?:" + _ADJ + r"|" + _STATE + r")\b")
_ORIGIN = Blind(r"\bfrom\s+(?:the\s+)?(?:(?:sovereign\s+)?territory|direction|side|soil)"
                     r"\s+of\s+(?:the\s+)?(?:republic\s+of\s+)?" + _STATE + r"\b|\bfrom\s+"
                     + _ADJ + r"\s+(?:territory|soil|positions|side)\b")
_STATE_DOER = Blind(r"(?:^|[,;:\"“«]\s*|\bthat\s+|\band\s+|\bbut\s+|\s)" + _STATE
                         + r"(?!['’]s)\s+(?:(?:has|have|had|again|also|once again|reportedly|"
                         r"allegedly|then|later|on \w+)\s+)*(?=\w|$)")
_NOT_DOER_BEFORE = Blind(r"\b(?:in|inside|into|of|on|at|against|to|towards|near|with|"
                              r"for|from|between|by)\s+(?:the\s+)?$")
# a party that suffers: "Armenian positions", "Azerbaijani soldiers were killed"
_VICTIM_AFTER = Blind(r"^\s*(?:\w+\s+){0,2}(?:(?:were|was|have been|had been)\s+(?:killed|"
                           r"wounded|injured|hit|shelled|targeted|destroyed|attacked|shot down|downed|"
                           r"intercepted|neutrali[sz]ed)|(?:came|come|"
                           r"comes|were|was|are|is)\s+under\s+(?:\w+\s+)?(?:fire|attack|shelling))\b")


_SPEAKS = Blind(r"\s*(?:said|says|reported|reports|announced|stated|claimed|told|added|"
                     r"wrote|accused|accuses|blamed|blames|denied|denies)\b")
# "accused Azeri forces of shelling", "blamed Pakistan for violating": the party accused
_ACCUSED = Blind(r"\b(?:accus\w*|blam\w*)\s+(?P<who>(?:the\s+)?(?:[\w'’-]+\s+){0,3}?[\w'’-]+)"
                      r"\s+(?:of|for)\s+(?:\w+\s+){0,2}$")


@dataclass(frozen=True)
class Perpetrator:
    party: str  # party code: ARM, AZE, NKR, PAK, IND, RUS, UKR...
    words: str  # the words that name it, as written
    offset: int  # of those words in the sentence
    how: str  # adjective | agent | origin | state | enemy


def party_of(word: str) -> str | None:
    """ARM for "Armenian", "Armenia"; None for a word that names no party."""
    return PARTY_WORDS.get(word.lower())


def _first(m: re.Match[str] | None) -> str | None:
    return next((g for g in m.groups() if g), None) if m else None


def find_perpetrator(text: str, start: int, end: int, speaker: str | None = None,
                     ) -> Perpetrator | None:
    """The party the words name as doing the event whose trigger is at ``start`` and
    whose clause runs to ``end``; ``speaker`` is the speaker's party (for "the enemy")."""
    lo = max(0, start - 200)
    clause_start = max(text.rfind(";", 0, start), text.rfind(". ", 0, start))
    lo = max(lo, clause_start + 1)
    before, after = text[lo:start], text[start:end]
    for m in _AGENT.finditer(before):  # "a violation by Pakistani troops ... by firing"
        if not m.group(0).lower().startswith("from") and len(before) - m.start() < 80:
            party = party_of(_first(m) or "")
            if party:
                candidates_before = Perpetrator(party, m.group(0), lo + m.start(), "agent")
                break
    else:
        candidates_before = None
    candidates: list[tuple[int, Perpetrator]] = []  # (rank, perpetrator): lower wins
    if candidates_before is not None:
        candidates.append((2, candidates_before))
    for m in _AGENT.finditer(after):
        if m.group(0).lower().startswith("from") and not _ORIGIN.match(after, m.start()):
            continue  # "from Armenian" without territory: origin handled below
        party = party_of(_first(m) or "")
        if party:
            candidates.append((0, Perpetrator(party, m.group(0), start + m.start(), "agent")))
            break
    for m in _ORIGIN.finditer(text, lo, end):
        party = party_of(_first(m) or "")
        if party:
            candidates.append((2, Perpetrator(party, m.group(0), m.start(), "origin")))
            break
    # the nearest naming of the doer before the trigger, or right at it ("Armenian shelling")
    near = list(_ADJ_FORCE.finditer(text, lo, min(len(text), start + 40)))
    near = [m for m in near if m.start() <= start + 2 and not _VICTIM_AFTER.match(text[m.end():])
            and not _SPEAKS.match(text, m.end())  # "Ukraine's military said ...": who speaks
            and not re.match(r"\s*(?:positions?|villages?|territory|city|town|soil|lands?)\b",
                             text[m.end():], re.I)]
    if near:
        m = near[-1]
        party = party_of(m.group(1) or m.group(2))
        if party:
            candidates.append((1, Perpetrator(party, m.group(0), m.start(), "adjective")))
    for m in _FORCE_OF.finditer(text, lo, start + 1):
        if not _VICTIM_AFTER.match(text[m.end():]):
            party = party_of(m.group(1))
            if party:
                candidates.append((1, Perpetrator(party, m.group(0), m.start(), "adjective")))
    doers = [m for m in _STATE_DOER.finditer(before) if not _NOT_DOER_BEFORE.search(
        before[:m.start(1)]) and (len(before[m.end():].split()) <= 4 or re.match(
            r"\w+ed\b|(?:launch|fire|shell|attack|violate|bomb|strike|hit|target)s?\b",
            before[m.end():]))]
    if doers:
        m = doers[-1]
        party = party_of(m.group(1))
        if party:
            candidates.append((3, Perpetrator(party, m.group(1), lo + m.start(1), "state")))
    if speaker:  # "denied that its forces shelled X": the speaker's own side
        for m in _OWN.finditer(text, lo, min(len(text), start + 40)):
            if m.start() <= start + 2:
                candidates.append((1, Perpetrator(speaker, m.group(0), m.start(), "own")))
    if speaker in ADVERSARY:
        enemy = [m for m in _ENEMY.finditer(text, lo, end)]
        if enemy:
            m = enemy[0]
            candidates.append((1 if m.start() < start + 5 else 2,
                               Perpetrator(ADVERSARY[speaker], m.group(0), m.start(), "enemy")))
    for m in _ACCUSED.finditer(before):  # "accused Pakistan of violating the truce"
        party = next((p for w in re.findall(r"[\w-]+", m.group("who"))
                      if (p := party_of(re.sub(r"['’]s$", "", w)))), None)
        if party:
            candidates.append((0, Perpetrator(party, m.group("who"), lo + m.start("who"),
                                              "accused")))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], abs(c[1].offset - start)))[1]
