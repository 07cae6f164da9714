"""What the text stages produce: plain frozen records, no spaCy types.

Every mention keeps the index of the sentence it came from, so a proposal can
always show the exact words it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ...domain.precision import GeoPrecision, TimePrecision

__all__ = [
    "AgreementProposal", "ClaimProposal", "DateMention", "Dropped", "EventProposal", "Extraction",
    "NumberMention", "PlaceMention", "Sentence", "highlight_spans",
]


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class Dropped:
    """A line or sentence kept out of extraction, and why (caption, stray number...)."""

    text: str
    reason: str


@dataclass(frozen=True)
class DateMention:
    text: str
    start: date
    end: date
    precision: TimePrecision
    sentence: int
    offset: int = 0
    refers_to: str = "event"  # "event"; "truce" ("five days after the truce"); "statement"


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text: resolved to a gazetteer id, or kept unresolved."""

    text: str  # the words as written
    name: str  # the gazetteer name, or the written name when unresolved
    precision: GeoPrecision
    sentence: int
    offset: int = 0
    place_id: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    score: float = 100.0
    known: bool = False  # a country or region from the built-in list
    within: str | None = None  # "Safiyan village of the Lachin district": "Lachin"

    def as_payload(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "place_id": self.place_id,
                "country": self.country, "latitude": self.latitude, "longitude": self.longitude,
                "precision": self.precision.value, "resolved": self.resolved}

    @property
    def resolved(self) -> bool:
        """True for a gazetteer place, a known country or a known region."""
        return not self.key.startswith("unresolved:")

    @property
    def key(self) -> str:
        """One string per distinct place: the gazetteer id, a country, a region or a name."""
        if self.place_id:
            return self.place_id
        if self.known and self.precision is GeoPrecision.COUNTRY:
            return f"country:{self.country}"
        if self.known:
            return f"region:{self.name}"
        return f"unresolved:{self.name}"


@dataclass(frozen=True)
class NumberMention:
    text: str
    value: int
    meaning: str  # count | lower_bound | upper_bound | approximate | total | part
    unit: str
    sentence: int
    offset: int = 0
    whole: int | None = None  # for "100 of the 800 families": 800

    def as_payload(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "meaning": self.meaning,
                "unit": self.unit, "whole": self.whole}


@dataclass(frozen=True)
class EventProposal:
    kind: str  # "incident", or "situation" for calm / no violations
    event_type: str | None
    sub_type: str | None
    weapon_class: str
    start: date
    end: date
    time_precision: TimePrecision
    sentence: int
    text: str  # the exact sentence
    confidence: float
    trigger: str
    place: PlaceMention | None = None
    numbers: tuple[NumberMention, ...] = ()
    target_type: str = "unknown"
    harm: tuple[str, ...] = ()  # "displacement", "civilian" ...
    sentences: tuple[int, ...] = ()  # every sentence that describes it
    anaphoric: bool = False  # "the attack": refers back to an event already told
    vague: bool = False  # "an attack", "fired on": the words do not say with what
    violation: bool = False  # only "violated the ceasefire": support for a specific event
    dated: bool = True  # False when no date was given and the days before publication are assumed
    perpetrator: str | None = None  # party code the words name as doing it ("Armenian strike")
    perpetrator_words: str | None = None  # those words, as written
    date_words: str | None = None  # the words that date it ("on October 14"), if any

    def as_payload(self) -> dict[str, Any]:
        """JSON-ready, as stored in a proposal."""
        return {"kind": self.kind, "title": self.title, "event_type": self.event_type,
                "sub_type": self.sub_type, "weapon_class": self.weapon_class,
                "target_type": self.target_type, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "time_precision": self.time_precision.value,
                "place": self.place.as_payload() if self.place else None,
                "numbers": [n.as_payload() for n in self.numbers], "harm": list(self.harm),
                "trigger": self.trigger, "perpetrator": self.perpetrator,
                "why": self.why()}

    def why(self) -> list[dict[str, str]]:
        """The words of the sentence the proposal rests on, by role (for highlighting)."""
        words = [("trigger", self.trigger), ("place", self.place.text if self.place else None),
                 ("date", self.date_words), ("perpetrator", self.perpetrator_words)]
        words += [("figure", n.text) for n in self.numbers if n.sentence == self.sentence]
        return [{"role": role, "text": w} for role, w in words if w and w in self.text]

    @property
    def title(self) -> str:
        from ...geo.naming import place_label  # the place as every output names it (both names if disputed)

        what = self.sub_type or self.event_type or ("Calm" if self.kind == "situation" else "Event")
        where = "unknown place"
        if self.place:
            where = place_label(self.place.place_id, self.place.name) or self.place.name
        return f"{what} — {where}, {self.start.isoformat()}"


@dataclass(frozen=True)
class ClaimProposal:
    actor: str  # as written, cleaned: "Shushan Stepanyan, spokeswoman for the ..."
    stance: str  # a domain Stance value
    proposition: str  # a domain Proposition value
    sentence: int
    text: str
    confidence: float
    verb: str
    party: str | None = None  # ARM | AZE | NKR, guessed from the words
    event: int | None = None  # index into Extraction.events
    value: str | None = None  # the blamed party for "attributes"
    channel: str | None = None  # "Twitter", "Sputnik", "a video recording"
    quote: str | None = None
    offset: int | None = None  # of the speech verb in the sentence; None for "according to"
    # "speech": said in so many words; "wording": read from how the text tells the event
    # ("an Armenian missile strike" is the speaker's attribution to Armenia)
    basis: str = "speech"

    def why(self) -> list[dict[str, str]]:
        words = [("speaker", self.actor.split(" (")[0]), ("verb", self.verb),
                 ("perpetrator", self.value if self.basis == "wording" else None)]
        return [{"role": role, "text": w} for role, w in words if w and w in self.text]


@dataclass(frozen=True)
class AgreementProposal:
    """A ceasefire or truce the text announces: not an incident, a proposed Agreement."""

    name: str
    start: datetime  # with its time zone
    parties: tuple[str, ...]
    mediators: tuple[str, ...]
    terms: tuple[str, ...]  # domain TermKind values
    sentence: int
    text: str
    confidence: float
    time_words: str = ""  # "from 12:00 Moscow time on October 10"
    zone_stated: bool = True  # False when the theatre's zone was assumed
    km: float | None = None  # for no_heavy_weapons_near_line

    def as_payload(self) -> dict[str, Any]:
        terms = [{"kind": k, **({"km": self.km} if k == "no_heavy_weapons_near_line" else {})}
                 for k in self.terms]
        return {"name": self.name, "start": self.start.isoformat(), "parties": list(self.parties),
                "mediators": list(self.mediators), "terms": terms,
                "zone_stated": self.zone_stated, "why": self.why()}

    def why(self) -> list[dict[str, str]]:
        return [{"role": "date", "text": self.time_words}] if self.time_words and \
            self.time_words in self.text else []


@dataclass(frozen=True)
class Extraction:
    events: tuple[EventProposal, ...]
    claims: tuple[ClaimProposal, ...]
    places: tuple[PlaceMention, ...]
    numbers: tuple[NumberMention, ...]
    sentences: tuple[Sentence, ...] = ()
    dropped: tuple[Dropped, ...] = field(default=())
    # figures told of the past ("a war that left 30,000 dead in the 1990s"): recognised,
    # never proposed as figures of the event the article reports
    background: tuple[NumberMention, ...] = field(default=())
    agreements: tuple[AgreementProposal, ...] = field(default=())
    # where the text says its facts come from ("Trend reports citing the ministry"): origins.Relay
    relays: tuple[Any, ...] = field(default=())
    language: str = "en"  # ISO 639-1, identified from the text
    # languages read only for places, dates and numbers: the rest waits for a translator
    needs_translation: bool = False


def highlight_spans(sentence: str, why: list[dict[str, str]]) -> list[tuple[str, str | None]]:
    """The sentence cut into (text, role) pieces, role None between highlighted words:
    what the review page and ``truce review list`` mark."""
    marks: list[tuple[int, int, str]] = []
    for item in why:
        at = sentence.find(item["text"])
        if at >= 0 and item["text"] and not any(a < at + len(item["text"]) and at < b
                                                for a, b, _r in marks):
            marks.append((at, at + len(item["text"]), item["role"]))
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for a, b, role in sorted(marks):
        if a > pos:
            pieces.append((sentence[pos:a], None))
        pieces.append((sentence[a:b], role))
        pos = b
    if pos < len(sentence):
        pieces.append((sentence[pos:], None))
    return pieces
