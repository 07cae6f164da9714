"""Who each event is blamed on, from its wording, and the speaker who blames them.

``attribute(events, claims, text_of, source_name)`` sets each event's
``perpetrator`` from the words of the sentences that tell it
(``perpetrators.find_perpetrator``) and adds, per event with one, an
``attributes`` claim by its speaker: the speaker of the event's sentence, else
the last speaker before it, else the source. These claims have ``basis``
"wording": the text attributes the event without an explicit "accused".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .claims import guess_party
from .events import find_triggers
from .lowered import Blind
from .model import ClaimProposal, EventProposal
from .perpetrators import PARTY_WORDS, Perpetrator, find_perpetrator

__all__ = ["attribute", "speaker_party"]

_VIOLENT = {"Battles", "Explosions/Remote violence"}


def speaker_party(sentence: int, claims: Sequence[ClaimProposal], source_name: str) -> str | None:
    """The party of whoever speaks in a sentence: its speaker, the last one before, the source."""
    here = [c for c in claims if c.sentence == sentence and c.party]
    if here:
        return here[0].party
    before = [c for c in claims if c.sentence < sentence and c.party]
    return before[-1].party if before else guess_party(source_name)


def _speaker(event: int, sentence: int, claims: Sequence[ClaimProposal],
             source_name: str) -> ClaimProposal | str:
    mine = [c for c in claims if c.event == event and c.basis == "speech"]
    here = mine or [c for c in claims if c.sentence == sentence and c.basis == "speech"]
    if here:
        return here[0]
    before = [c for c in claims if c.sentence < sentence and c.basis == "speech"]
    return before[-1] if before else (source_name.strip() or "the source")


def attribute(events: Sequence[EventProposal], claims: Sequence[ClaimProposal],
              text_of: dict[int, str], source_name: str,
              ) -> tuple[list[EventProposal], list[ClaimProposal]]:
    """Events with their perpetrator set, and one "attributes" claim per attributed event."""
    out: list[EventProposal] = []
    blamed: list[ClaimProposal] = []
    for k, e in enumerate(events):
        found = None
        if e.kind != "incident" or e.sub_type in ("Agreement", "Other"):
            out.append(e)  # observers deployed, a truce announced: nobody is blamed
            continue
        for index in [e.sentence] + [i for i in e.sentences if i != e.sentence]:
            text = text_of.get(index)
            if not text:
                continue
            starts = [t.offset for t in find_triggers(text) if t.event_type == e.event_type
                      or {t.event_type, e.event_type} <= _VIOLENT]
            own = text.lower().find(e.trigger.lower())
            for at in ([own] if own >= 0 else []) + [o for o in starts if o != own]:
                found = find_perpetrator(text, at, _clause_end(text, at, e.trigger),
                                         speaker_party(index, claims, source_name))
                if found:
                    break
            if found:
                break
        if found is None:
            found = _carried(e, out, text_of)
            index = e.sentence
        if found is None:
            out.append(e)
            continue
        out.append(replace(e, perpetrator=found.party,
                           perpetrator_words=found.words if index == e.sentence and found.words
                           else None))
        speaker = _speaker(k, e.sentence, claims, source_name)
        if any(c.event == k and c.stance == "attributes" for c in claims):
            continue  # "blamed Azerbaijan": said in so many words already
        actor = speaker.actor if isinstance(speaker, ClaimProposal) else speaker
        party = speaker.party if isinstance(speaker, ClaimProposal) else guess_party(speaker)
        blamed.append(ClaimProposal(
            actor=actor, stance="attributes", proposition="perpetrator", sentence=index,
            text=text_of[index], confidence=round(min(e.confidence, 0.8), 2), verb=found.words,
            party=party, event=k, value=found.party, basis="wording"))
    return out, blamed


_PARTY_WORD = Blind(r"\b(?:" + "|".join(PARTY_WORDS) + r")\b|\benemy\b|\badversary\b")


def _carried(e: EventProposal, before: Sequence[EventProposal],
             text_of: dict[int, str]) -> Perpetrator | None:
    """"Azerbaijani units opened intense fire at the border. In particular, positions near
    Sotk and Goris were shelled.": a sentence that names no party goes on telling the
    previous sentence's attack, and so its doer."""
    text = text_of.get(e.sentence, "")
    if e.event_type not in _VIOLENT or _PARTY_WORD.search(text):
        return None
    parties = {p.perpetrator for p in before if p.perpetrator and e.sentence - 1 in p.sentences
               and p.event_type in _VIOLENT}
    if len(parties) != 1:
        return None
    return Perpetrator(parties.pop(), "", 0, "carried")


def _clause_end(text: str, at: int, trigger: str) -> int:
    """Where the clause of a trigger ends: the next sentence-internal break."""
    ends = [i for i in (text.find(";", at), text.find(", while", at), text.find(" but ", at))
            if i > at]
    return min(ends) if ends else len(text)
