"""From per-sentence mentions to event proposals, merged across the article.

In a sentence, each trigger opens an event that runs to the next trigger of
another type; its place is the first place after the trigger in that span,
else the nearest before it; its date the sentence's date, else the latest
date the article gave before it, else the days up to publication. Events of
compatible types on the same day at the same place are one event told in
several sentences. Background (dates more than 60 days old, "in the 1990s")
is not an event.

``fold_nearby`` then folds mentions of one event told in the same or adjacent
sentences: a generic "violated the ceasefire" supports the specific strike
beside it (same paragraph); a generic "attack" or "fired on" and a specific
"missile attack" are one event of the specific type; a district and a village
named inside it ("Safiyan village of the Lachin district"), or two places
within ``NEAR_KM``, are one place, the more specific. An event's place is the
innermost one its clause names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from ...domain.duplicates import compatible_types
from ...domain.places import fold_name
from ...domain.precision import GeoPrecision, TimePrecision
from .events import find_triggers, harm, is_calm, target_type, weapon_class
from .lowered import Blind
from .model import DateMention, EventProposal, NumberMention, PlaceMention, Sentence

__all__ = ["assemble_events", "fold_nearby", "is_background", "merge_events"]

BACKGROUND_DAYS = 60
NEAR_KM = 5.0  # two places this close, told of one event nearby, are one place
_CLAUSE_END = Blind(r",? but |;|\bwhile\b|\bwhereas\b|\bdenied\b|\bdenies\b|\bwhich\b")


_NEW_CLAUSE = Blind(r",? and (?:an? |the )?\w+ (?:was|were|is|are|had|has)\b|;")
_VERB = Blind(r"\w+ed\b")
_DEFINITE = Blind(r"\b(the|this|that)\s+(\w+\s+)?$")  # "the missile attack"
_ORIGIN = Blind(r"\bfrom (?:the )?(?:direction of |territory of |side of )?(?:(?!(?:hit|hits|struck|"
                     r"shelled|landed|fell|targeted|killed|and|in|at|on|near)\b)\w+ ){0,2}$")


def _targets_first(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Where fire landed before where it came from ("shelled from Armenian territory")."""
    origin = [p for p in places if _ORIGIN.search(text[max(0, p.offset - 40):p.offset])]
    return [p for p in places if p not in origin] + origin


_ONSET = Blind(r"\b(?:erupted|broke out|began|started|flared(?: up)?|reignited)\b")
_TO_DATE = Blind(r"\b(?:has|have)(?: so far)? (?:killed|claimed|left|displaced)\b|"
                      r"\b(?:have|has) been killed\b|\bso far\b|\bto date\b")


# "So far in 2020, more than 2,700 ceasefire violations have been reported", "3,186 ceasefire
# violations since January": a year's count to date, a figure and no event
_COUNT_TO_DATE = Blind(r"\b(?:so far|to date|since (?:january|the beginning of|the start of)|this year)\b"
    r"[^.;]{0,80}\bviolations\b|\bviolations\b[^.;]{0,80}\b(?:so far|to date|since (?:january|"
    r"the beginning of (?:the|this) year|the start of (?:the|this) year)|this year)\b")


def _war_to_date(text: str, own: Sequence[DateMention], published: date) -> bool:
    """"Fighting erupted on Sept. 27 and has killed more than 1,000": the war's start and its
    toll to date, told as background (a figure, not an event), when the start is a week old."""
    events = [d for d in own if d.refers_to == "event"]
    return bool(events) and bool(_ONSET.search(text)) and bool(_TO_DATE.search(text)) and \
        all(d.end <= published - timedelta(days=7) for d in events)


def is_background(own: Sequence[DateMention], published: date) -> bool:
    """True when every event date in a sentence is long past ("in the 1990s")."""
    horizon = published - timedelta(days=BACKGROUND_DAYS)
    events = [d for d in own if d.refers_to == "event"]
    return bool(events) and all(d.end < horizon for d in events)


_PRESENT = Blind(r"\b(?:is|are) (?:being |still being |now being )?(?:shell|bombard|attack|"
                      r"pound|fir|strik)\w*|\b(?:continues?|keeps?) (?:to )?"
                      r"(?:shell|bombard|attack|fir|strik|pound|target)\w*|\bat the moment\b|"
                      r"\bat this moment\b|\bcurrently\b|\bright now\b")


def _when(own: Sequence[DateMention], carried: DateMention | None, published: date,
          text: str = "", said: DateMention | None = None,
          ) -> tuple[date, date, TimePrecision, float, str | None]:
    """Start, end, precision, a confidence penalty and the dating words. Undated words in
    the present tense ("X is being shelled", "continue to shell") tell of the day they
    were said ("said on Tuesday", this sentence or the one before), else of the day of
    publication; other undated words, of the days up to it."""
    events = [d for d in own if d.refers_to == "event"]
    if events:
        d = events[0]
        return d.start, d.end, d.precision, 0.0, d.text
    if _PRESENT.search(text):
        day = said.start if said is not None and said.start == said.end else published
        return day, day, TimePrecision.DAY, -0.05, None
    if carried is not None:
        return carried.start, carried.end, carried.precision, -0.05, None
    return published - timedelta(days=1), published, TimePrecision.DAYS, -0.15, None


def assemble_events(sentences: Sequence[Sentence], dates: dict[int, list[DateMention]],
                    places: dict[int, list[PlaceMention]], numbers: dict[int, list[NumberMention]],
                    published: date) -> list[EventProposal]:
    """Event proposals in reading order (not yet merged)."""
    events: list[EventProposal] = []
    carried: DateMention | None = None
    said_before: DateMention | None = None
    last_sentence_events: list[int] = []
    horizon = published - timedelta(days=BACKGROUND_DAYS)
    for s in sentences:
        own_dates = dates.get(s.index, [])
        background = is_background(own_dates, published) or _war_to_date(
            s.text, own_dates, published) or bool(_COUNT_TO_DATE.search(s.text))
        said = next((d for d in own_dates if d.refers_to == "statement"), None) or said_before
        said_before = next((d for d in own_dates if d.refers_to == "statement"), None)
        start, end, precision, penalty, date_words = _when(own_dates, carried, published, s.text,
                                                            said)
        sentence_places = places.get(s.index, [])
        sentence_numbers = numbers.get(s.index, [])
        made: list[int] = []
        if is_calm(s.text) and not background:
            events.append(EventProposal(
                kind="situation", event_type=None, sub_type=None, weapon_class="none",
                start=start, end=end, time_precision=precision, sentence=s.index, text=s.text,
                confidence=round(0.7 + penalty, 2), trigger="calm",
                place=sentence_places[0] if sentence_places else None, sentences=(s.index,)))
            made.append(len(events) - 1)
        triggers = [] if background else find_triggers(s.text)
        if any(not t.violation for t in triggers):  # the strike is the violation
            triggers = [t for t in triggers if not t.violation]
        spans: list[tuple[int, int, list]] = []
        for t in triggers:
            last = spans[-1][2][-1] if spans else None
            if last is not None and last.event_type == t.event_type and not (
                    last.sub_type != t.sub_type and _NEW_CLAUSE.search(
                        s.text, last.offset + len(last.text), t.offset)):
                spans[-1][2].append(t)
                continue
            if spans:
                spans[-1] = (spans[-1][0], t.offset, spans[-1][2])
            spans.append((t.offset, len(s.text), [t]))
        for n, (a, b, group) in enumerate(spans):
            trigger = next((t for t in group if t.strong), group[0])
            cut = _CLAUSE_END.search(s.text, a + len(trigger.text) if trigger.offset == a else a)
            after = [p for p in sentence_places if a <= p.offset < min(b, cut.start() if cut else b)]
            before = [p for p in sentence_places if p.offset < a] if n == 0 else []
            if not after and not before and n + 1 < len(spans) and \
                    not s.text[trigger.offset + len(trigger.text):spans[n + 1][0]].strip():
                # "destroyed missiles launched at Mingachevir": one phrase, the next words' place
                nxt = spans[n + 1]
                after = [p for p in sentence_places if nxt[0] <= p.offset < nxt[1]][:1]
            after = _targets_first(s.text, after)
            targets = [p for p in after if not _ORIGIN.search(s.text[max(0, p.offset - 40):p.offset])]
            place = _innermost((targets or before[-1:] or after or [None])[0],
                               [p for p in sentence_places if p.offset < b])
            place = _settlement_beside(place, targets + before, a, cut.start() if cut else b)
            has_date = any(d.refers_to == "event" for d in own_dates)
            if not trigger.strong and place is None and not has_date:
                continue
            for other in _listed_with(place, targets or before, s.text):
                # "shelled Tartar, Agjabadi and Agdam": one event per place listed
                events.append(EventProposal(
                    kind="incident", event_type=trigger.event_type, sub_type=trigger.sub_type,
                    weapon_class=weapon_class(s.text[a:b]).value, start=start, end=end,
                    time_precision=precision, sentence=s.index, text=s.text,
                    confidence=round(min((0.8 if trigger.strong else 0.6) + penalty + 0.1, 0.95), 2),
                    trigger=trigger.text, place=other, target_type=target_type(s.text[a:b]),
                    sentences=(s.index,), dated=penalty > -0.15, date_words=date_words,
                    vague=all(t.vague for t in group), violation=all(t.violation for t in group)))
                made.append(len(events) - 1)
            segment = s.text[a:b]
            confidence = (0.8 if trigger.strong else 0.6) + penalty + (0.1 if place else 0.0)
            events.append(EventProposal(
                kind="incident", event_type=trigger.event_type, sub_type=trigger.sub_type,
                weapon_class=weapon_class(segment).value, start=start, end=end,
                time_precision=precision, sentence=s.index, text=s.text,
                confidence=round(min(confidence, 0.95), 2), trigger=trigger.text, place=place,
                numbers=tuple(n for n in sentence_numbers if a <= n.offset < b or len(spans) == 1),
                target_type=target_type(segment), harm=harm(segment), sentences=(s.index,),
                vague=all(t.vague for t in group), violation=all(t.violation for t in group),
                dated=penalty > -0.15, date_words=date_words))
            made.append(len(events) - 1)
            if _DEFINITE.search(s.text[max(0, a - 30):a]) and not _VERB.match(trigger.text):
                # "the missile attack" tells again; "the soldiers violated" is a subject
                events[-1] = replace(events[-1], anaphoric=True)
        if not made and last_sentence_events and harm(s.text):
            # "Only 100 of the 800 families residing in it remained": the previous event's harm
            k = last_sentence_events[-1]
            events[k] = replace(events[k], numbers=events[k].numbers + tuple(sentence_numbers),
                                harm=tuple(sorted(set(events[k].harm) | {"displacement"})),
                                sentences=events[k].sentences + (s.index,))
        last_sentence_events = made
        event_dates = [d for d in own_dates if d.refers_to == "event" and d.end >= horizon]
        if event_dates:
            carried = event_dates[-1]
    return events


_LIST_GAP = Blind(r"^(?:\s+(?:city|town|village|district|region|sector)s?)?(?:,\s*|\s+and\s+|,\s+and"
                       r"\s+|\s*/\s*)(?:the\s+)?(?:(?:city|town|village|settlement|district)\s+of\s+)?$")


def _listed_with(place: PlaceMention | None, candidates: Sequence[PlaceMention],
                 text: str) -> list[PlaceMention]:
    """Places listed beside an event's place ("Tartar, Agjabadi and Agdam", "Shoushi and
    Stepanakert are being shelled"), other than it: each is a target of its own."""
    if place is None or place not in candidates:
        return []
    ordered = sorted(candidates, key=lambda p: p.offset)
    k = ordered.index(place)
    out: list[PlaceMention] = []
    for step in (1, -1):
        j = k
        while 0 <= j + step < len(ordered):
            a, b = (ordered[j], ordered[j + step]) if step == 1 else (ordered[j + step], ordered[j])
            if not _LIST_GAP.match(text[a.offset + len(a.text):b.offset]) or \
                    _list_kind(a) != _list_kind(b) or b.key == a.key:
                break
            j += step
            out.append(ordered[j])
    return [p for p in out if p.key != place.key]


def _list_kind(place: PlaceMention) -> str:
    """What a listed place is, for listing alike: a known country or region, or a place
    (a gazetteer settlement and a name the gazetteer lacks list together: "the villages of
    Karmir Shuka and Taghavard")."""
    return place.precision.value if place.known else "place"


def _settlement_beside(place: PlaceMention | None, places: Sequence[PlaceMention], a: int,
                       b: int) -> PlaceMention | None:
    """"The capital of Nagorno-Karabakh, Stepanakert", "Tartar city of Azerbaijan": a region
    or a country named beside a settlement in the same clause gives way to the settlement."""
    if place is None or place.precision is GeoPrecision.SETTLEMENT or not place.known:
        return place
    beside = [p for p in places if p.precision is GeoPrecision.SETTLEMENT and p.resolved
              and a <= p.offset < b and abs(p.offset - place.offset) <= 60]
    return min(beside, key=lambda p: abs(p.offset - place.offset)) if beside else place


def _innermost(place: PlaceMention | None, places: Sequence[PlaceMention]) -> PlaceMention | None:
    """"Safiyan village of the Lachin district": the village, not the district."""
    if place is None:
        return None
    inner = [p for p in places if p.within and _names(place) & {fold_name(p.within)}
             and abs(p.offset - place.offset) < 60]
    return inner[0] if inner else place


def _names(place: PlaceMention) -> set[str]:
    return {fold_name(place.text), fold_name(place.name)}


def _nested(a: PlaceMention | None, b: PlaceMention | None) -> PlaceMention | None | bool:
    """The more specific of two places that may be one (nested, or a few km apart);
    ``False`` when they are not. A missing place fits any."""
    if a is None or b is None:
        return a or b
    if a.key == b.key:
        return a
    if a.within and fold_name(a.within) in _names(b):
        return a
    if b.within and fold_name(b.within) in _names(a):
        return b
    for region, place in ((a, b), (b, a)):
        # "strikes on several settlements in Nagorno-Karabakh", then "on Martuni and Shushi":
        # the region told first is where the places named next lie
        if region.known and region.precision is GeoPrecision.REGION and not place.known and \
                place.country in (None, region.country):
            return place
    if None not in (a.latitude, b.latitude, a.longitude, b.longitude) and \
            _km(a, b) <= NEAR_KM:
        return a
    return False


def _km(a: PlaceMention, b: PlaceMention) -> float:
    lat = math.radians((a.latitude + b.latitude) / 2)  # type: ignore[operator]
    dx = (a.longitude - b.longitude) * math.cos(lat)  # type: ignore[operator]
    dy = a.latitude - b.latitude  # type: ignore[operator]
    return 111.2 * math.hypot(dx, dy)


def _close(a: EventProposal, b: EventProposal, paragraphs: dict[int, int] | None) -> bool:
    """Told in the same or adjacent sentences (or the same paragraph), on overlapping days."""
    bare = (a.place is None and a.date_words is None) or (b.place is None and b.date_words is None)
    if (a.start > b.end or b.start > a.end) and a.dated and b.dated and not bare:
        return False
    near = min(abs(i - j) for i in a.sentences for j in b.sentences) <= 1
    if not near and paragraphs:
        near = bool({paragraphs.get(i) for i in a.sentences}
                    & {paragraphs.get(i) for i in b.sentences})
    return near


def _fold(kept: EventProposal, other: EventProposal) -> EventProposal | None:
    """One event told twice, nearby: a generic mention ("violated the ceasefire", "an
    attack", "fired on") supports the specific one; a district and a village in it are
    one place. Returns the merged event, or None when they are two events."""
    if kept.kind != "incident" or other.kind != "incident" or _tally(kept) or _tally(other):
        return None  # a count of violations in a region is a tally of its own
    lead = _lead(kept, other)
    if lead is not None:
        kept, other = lead
    if kept.violation or other.violation:
        main, extra = (other, kept) if kept.violation else (kept, other)
        if main.violation and (main.place is None) != (extra.place is None):
            main, extra = (main, extra) if main.place else (extra, main)
        place = _nested(main.place, extra.place)
        if place is False and extra.violation and len(extra.sentences) == 1 and \
                extra.place is not None and not extra.place.known:
            return None  # "violated the ceasefire in Nikial and Bagsar sectors": each a target
        place = main.place if place is False else place
    elif kept.event_type == other.event_type or kept.vague or other.vague:
        place = _nested(kept.place, other.place)
        if place is False or kept.event_type == other.event_type and \
                kept.sub_type != other.sub_type or kept.event_type != other.event_type and not (
                kept.vague and other.event_type != "Strategic developments"
                or other.vague and kept.event_type != "Strategic developments"):
            return None
        if kept.event_type == other.event_type and kept.place is not None and \
                other.place is not None and place is kept.place and kept.place.key == other.place.key:
            return None  # the same place: _same already had its say
        main, extra = (other, kept) if kept.vague and not other.vague else (kept, other)
    else:
        return None
    weapon = main.weapon_class if main.weapon_class != "unknown" else extra.weapon_class
    target = main.target_type if main.target_type != "unknown" else extra.target_type
    start, end = max(main.start, extra.start), min(main.end, extra.end)
    if not (main.dated and extra.dated) and (start > end or not main.dated):
        start, end = (extra.start, extra.end) if not main.dated else (main.start, main.end)
    precision = main.time_precision if (main.start, main.end) == (start, end) else \
        extra.time_precision
    return replace(
        main, place=place, start=start, end=end, time_precision=precision,
        weapon_class=weapon, target_type=target, numbers=kept.numbers + other.numbers,
        harm=tuple(sorted(set(kept.harm) | set(other.harm))),
        sentences=tuple(sorted(set(kept.sentences) | set(other.sentences))),
        sentence=min(kept.sentence, other.sentence),
        text=kept.text if kept.sentence <= other.sentence else other.text,
        vague=main.vague and extra.vague, violation=main.violation and extra.violation,
        dated=main.dated or extra.dated,
        confidence=round(min(0.95, max(kept.confidence, other.confidence) + 0.05), 2))


def _tally(e: EventProposal) -> bool:
    """"The SMM recorded 120 ceasefire violations in Donetsk region": a count, not an incident
    to fold into the specific ones told beside it."""
    return bool(e.numbers) and bool(re.search(r"violations\b", e.trigger, re.I))


def _lead(a: EventProposal, b: EventProposal) -> tuple[EventProposal, EventProposal] | None:
    """"Armenian forces are shelling our settlements" then "a shell fell in Tartar on
    September 28": a mention with neither place nor date of its own, of the same type,
    is the placed event told again. Returns (the placed, the lead) or None."""
    def bare(e: EventProposal) -> bool:
        return e.place is None and e.date_words is None
    if a.event_type != b.event_type or bare(a) == bare(b) or a.violation or b.violation:
        return None
    placed, lead = (b, a) if bare(a) else (a, b)
    return placed, replace(lead, vague=True, start=placed.start, end=placed.end, dated=False)


def fold_nearby(events: Sequence[EventProposal], paragraphs: dict[int, int] | None = None,
                ) -> list[EventProposal]:
    """Second pass after ``merge_events``: fold generic and nested mentions of one event
    told in the same or adjacent sentences into the specific one."""
    out = list(events)
    changed = True
    while changed:
        changed = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                if not _close(a, b, paragraphs if (a.violation or b.violation) else None):
                    continue
                merged = _fold(a, b)
                if merged is not None:
                    out[i] = merged
                    del out[j]
                    changed = True
                    break
            if changed:
                break
    return out


def _same(a: EventProposal, b: EventProposal) -> bool:
    if a.kind != b.kind or a.start > b.end or b.start > a.end:
        return False
    if a.kind == "incident" and a.event_type != b.event_type and a.sentences == b.sentences \
            and len(a.sentences) == 1 and a.trigger != b.trigger:
        return False  # "exchanges of fire ...; the adversary carried out missile strikes": two
    if a.kind == "incident" and a.event_type != b.event_type and not (
            a.vague or b.vague or a.violation or b.violation):
        return False  # fighting told as such, and shelling: two events
    if a.kind == "incident" and compatible_types(a.event_type, b.event_type) is None:
        return False
    key_a = a.place.key if a.place else None
    key_b = b.place.key if b.place else None
    if key_a is None and key_b is not None or key_b is None and key_a is not None:
        return a.sub_type == b.sub_type
    return key_a == key_b


def _refers_to(earlier: EventProposal, event: EventProposal) -> bool:
    """"The missile attack" told after a missile attack is that attack, wherever it came from."""
    return earlier.kind == event.kind == "incident" and earlier.event_type == event.event_type \
        and earlier.start <= event.end and event.start <= earlier.end and earlier.place is not None


def merge_events(events: Sequence[EventProposal]) -> list[EventProposal]:
    """One proposal per event: later mentions add sentences, numbers and confidence."""
    merged: list[EventProposal] = []
    for event in events:
        for k, kept in enumerate(merged):
            if _same(kept, event) or event.anaphoric and _refers_to(kept, event):
                weapon = kept.weapon_class if kept.weapon_class != "unknown" else event.weapon_class
                target = kept.target_type if kept.target_type != "unknown" else event.target_type
                if (kept.violation or kept.vague) and not (event.violation or event.vague):
                    # "violated the ceasefire ... fired 5 artillery shells": the specific words
                    kept = replace(kept, event_type=event.event_type, sub_type=event.sub_type,
                                   trigger=event.trigger, vague=False, violation=False)
                merged[k] = replace(
                    kept, weapon_class=weapon, target_type=target,
                    place=nested if (nested := _nested(kept.place, event.place)) is not False
                    else kept.place,
                    numbers=kept.numbers + event.numbers,
                    harm=tuple(sorted(set(kept.harm) | set(event.harm))),
                    sentences=kept.sentences + event.sentences,
                    confidence=round(min(0.95, max(kept.confidence, event.confidence) + 0.05), 2))
                break
        else:
            merged.append(event)
    return merged
