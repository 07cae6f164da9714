"""Where: place names resolved against the gazetteer in any spelling.

``PlaceIndex(places)`` indexes every name and alternate name of the gazetteer
by ``fold_name``; ``find_places(text, sentence, index)`` returns:

- gazetteer places, exact in any spelling ("Stepanakert" is Khankendi) or
  close (rapidfuzz ratio >= 90 for names of six letters or more);
- countries used as locations ("inside Armenia", "Armenian lands", "the
  territory of Armenia"): country precision;
- regions (Nagorno-Karabakh in its spellings, Nakhchivan, Armenia's
  provinces): region precision; "the region" refers back to the last one;
- names the gazetteer lacks ("the small town of Bukharli in Azerbaijan"):
  unresolved, with the country the text gives, at country precision.
A capital used for its government ("Baku said", "according to Yerevan") is
not a place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from ...domain.places import Place, fold_name
from ...domain.precision import GeoPrecision
from .lowered import Blind
from .model import PlaceMention

__all__ = ["COUNTRIES", "DEMONYMS", "PlaceIndex", "REGIONS", "find_places"]

COUNTRIES = {
    "armenia": "AM", "azerbaijan": "AZ", "russia": "RU", "turkey": "TR", "georgia": "GE",
    "iran": "IR", "syria": "SY", "ukraine": "UA", "israel": "IL", "lebanon": "LB", "libya": "LY",
    "yemen": "YE", "sudan": "SD", "iraq": "IQ", "france": "FR", "mali": "ML", "somalia": "SO",
}
DEMONYMS = {
    "armenian": "AM", "azerbaijani": "AZ", "azeri": "AZ", "russian": "RU", "turkish": "TR",
    "georgian": "GE", "iranian": "IR", "syrian": "SY", "ukrainian": "UA", "israeli": "IL",
    "lebanese": "LB",
}
REGIONS = {  # spelling -> (name, de jure country)
    "nagorno-karabakh": ("Nagorno-Karabakh", "AZ"), "nagorno karabakh": ("Nagorno-Karabakh", "AZ"),
    "nagorny karabakh": ("Nagorno-Karabakh", "AZ"), "nagorny-karabakh": ("Nagorno-Karabakh", "AZ"),
    "nagornyi karabakh": ("Nagorno-Karabakh", "AZ"), "karabakh": ("Nagorno-Karabakh", "AZ"),
    "karabagh": ("Nagorno-Karabakh", "AZ"), "artsakh": ("Nagorno-Karabakh", "AZ"),
    "nakhchivan": ("Nakhchivan", "AZ"), "nakhichevan": ("Nakhchivan", "AZ"),
    "tavush": ("Tavush", "AM"), "syunik": ("Syunik", "AM"), "gegharkunik": ("Gegharkunik", "AM"),
    "vayots dzor": ("Vayots Dzor", "AM"), "ararat province": ("Ararat", "AM"),
    "kotayk": ("Kotayk", "AM"), "shirak": ("Shirak", "AM"), "aragatsotn": ("Aragatsotn", "AM"),
    "lori province": ("Lori", "AM"), "lori region": ("Lori", "AM"),
    "armavir province": ("Armavir", "AM"), "ararat region": ("Ararat", "AM"),
    "donbas": ("Donbas", "UA"), "donbass": ("Donbas", "UA"), "gaza strip": ("Gaza Strip", "PS"),
}
_COUNTRY_NAMES = "|".join(sorted(COUNTRIES, key=len, reverse=True))
_DEMONYM_NAMES = "|".join(sorted(DEMONYMS, key=len, reverse=True))
_COUNTRY_AS_PLACE = Blind(r"\b(?:in|inside|into|within|across|throughout|towards|at|from|(?:territory|lands|soil|"
    r"border areas|border regions|villages|towns|settlements|regions|districts) of)"
    r"\s+(?:the\s+(?:sovereign\s+)?territory\s+of\s+)?(" + _COUNTRY_NAMES + r")\b(?!'s\s+[a-z])"
    r"|\b(" + _COUNTRY_NAMES + r")'s\s+(?:territory|soil|lands|border)"
    r"|\b(" + _DEMONYM_NAMES + r")\s+(?:territory|lands|soil|villages|towns|settlements|"
    r"border (?:villages|areas|regions)|side of the (?:state )?border)")
_REGION = Blind(r"\b(" + "|".join(sorted((re.escape(k) for k in REGIONS), key=len,
                                               reverse=True)) + r")\b")
_THE_REGION = Blind(r"\bthe (?:separatist |disputed |breakaway )?(?:region|enclave)\b")
_REGION_AS_ACTOR = Blind(r"^(?:(?:-[A-Z][\w-]+)?\s+conflict\b|"  # "the Artsakh-Azerbaijan conflict zone": no place
    r"\s*(?:region|'s)?\s*(?:authorities|army|forces|defen[cs]e army|president|leader|officials|"
    r"separatists|government|ministry|ombudsman|emergency|military|positions|defen[cs]e|"
    r"information|info|(?:press )?(?:centre|center|service|office)|state service|human rights|"
    r"officials?|side|spokes\w+))")
_NAMED = [re.compile(p) for p in (  # three passes: they may overlap ("the X village of Y")
    r"\b(?:town|village|city|settlement|hamlet|district|province|region|locality|sector)s? of\s+"
    r"([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)",
    r"\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?) (?:village|town|city|district|settlement|sector|"
    r"region|province|oblast)s?\b",
    # "in X", and the target of a strike ("shelled X", "an attack on X"): names the
    # gazetteer may lack, kept unresolved
    r"\b(?i:in|near|outside|around|not far from|close to|shelled|shelling of|bombarded|bombardment of|bombed|pounded|"
    r"struck|attacked|(?:attacks?|strikes?|fire) (?:on|at))\s+(?:the\s+)?"
    r"([A-Z][a-z'’-]{3,}(?:[ -][A-Z][a-z'’-]+)?)"
    r"(?=[\s,.;:)]|$)",
    r"\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?), [A-Z][\w'’-]+ (?:region|district|oblast|province)\b")]
_TYPE_WORD = re.compile(r"[ -](?:Sector|District|Region|Province|Oblast|Rayon|Village|Town|City)$")
_CONTEXT = Blind(r"\b(" + "|".join(sorted([*COUNTRIES, *DEMONYMS, *(re.escape(k) for k in REGIONS)],
                                             key=len, reverse=True)) + r")\b")
# substring tests that let a sentence skip a pattern it cannot match
_NATION_STEMS = re.compile("|".join(map(re.escape, sorted({*COUNTRIES, *DEMONYMS}))))
_REGION_STEMS = re.compile("|".join(map(re.escape, REGIONS)))
_KIND_WORDS = re.compile("town|village|city|settlement|hamlet|district|province|region|locality|"
                         "sector|oblast")
# a dateline: the capitalised place of writing that opens a wire story, not a place it tells of
_DATELINE = re.compile(r"^(?:[A-Z\u0400-\u042F][A-Z\u0400-\u042F'’ -]*[A-Z\u0400-\u042F]"
                       r"(?=\s*(?::|,|\(| [-–—]))"
                       # "Jammu, July 27:", "Srinagar:": a city in title case, then a colon
                       r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?(?=(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?:\s))")
_CANDIDATE = re.compile(r"[A-Z\u0400-\u04FF\u0530-\u058F][\w'’ʻ-]+")
_SPEECH_AFTER = re.compile(r"^\s*(?:'s\s+)?(?:said|says|announced|claimed|accused|accuses|denied|"
                           r"denies|explained|stated|confirmed|insisted|reported|"
                           r"(?:has|had|is|was)\b(?!\s+(?:being|been|under|again|still|now|also|"
                           r"shelled|hit|bombarded|bombed|attacked|targeted|struck|fired|damaged|"
                           r"destroyed|captured|liberated|taken|calm|quiet))|"
                           r"and [A-Z]\w+ (?:deny|denied|say|said))\b")
_STOP = frozenset("""a an the in on at of for and or but yesterday today monday tuesday wednesday
thursday friday saturday sunday january february march april may june july august september october
november december president minister ministry defense defence army forces foreign prime
spokeswoman spokesman spokesperson twitter news google reuters afp tass sputnik general
armed state republic national international human rights this that these those he she they it
his her their its since after before during while when where there for as with from by
""".split())


class PlaceIndex:
    """Gazetteer names by folded spelling, for exact and fuzzy lookup."""

    def __init__(self, places: Iterable[Place]):
        by_key: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            for name in place.names:
                key = fold_name(name)
                if len(key) >= 3 and place not in by_key[key]:
                    by_key[key].append(place)
        self._by_key = dict(by_key)
        self.by_id = {p.id: p for ps in by_key.values() for p in ps}
        # fuzzy matching compares a name only with names of its first letter and about its
        # length (a ratio of 88+ allows no more): a few dozen keys, not thousands
        self._near: dict[tuple[str, int], list[str]] = defaultdict(list)
        for k in self._by_key:
            self._near[(k[0], len(k))].append(k)
        self.candidates = lru_cache(maxsize=8192)(self._candidates)
        self.memo: dict[str, dict] = {}  # lookups other stages remember per index (by word)

    def __len__(self) -> int:
        return len(self._by_key)

    def lookup(self, name: str, countries: frozenset[str] = frozenset()) -> tuple[Place, float] | None:
        """The best place for ``name``: in one of ``countries`` (the sentence's context)
        if any is, else the exact spelling, else the most populous."""
        found = self.candidates(name)
        if found is None:
            return None
        places, score = found
        key = fold_name(name)
        exact = [p for p in places if fold_name(p.name) == key]  # its own name, not an alias
        pool = [p for p in exact if p.country in countries] or exact or [
            p for p in places if p.country in countries] or places
        return max(pool, key=lambda p: p.population or 0), score

    def _close(self, key: str) -> list[str]:
        return [k for n in range(len(key) - 2, len(key) + 3) for k in self._near.get((key[0], n), ())]

    def fuzzy(self, name: str, cutoff: float = 88) -> tuple[Place, float] | None:
        """The most populous place whose name in another script is close to ``name``
        ("Мингячевир" for Мингачевир)."""
        key = fold_name(name)
        best = process.extractOne(key, [k for k in self._close(key) if not k.isascii()],
                                  scorer=fuzz.ratio, score_cutoff=cutoff) if key else None
        if not best:
            return None
        return max(self._by_key[best[0]], key=lambda p: p.population or 0), float(best[1])

    def _candidates(self, name: str) -> tuple[tuple[Place, ...], float] | None:
        key = fold_name(name)
        score = 100.0
        places = self._by_key.get(key)
        if not places and len(key) >= 6 and key.isascii():
            best = process.extractOne(key, [k for k in self._close(key) if k.isascii()],
                                      scorer=fuzz.ratio, score_cutoff=90)
            if best:
                places, score = self._by_key[best[0]], float(best[1])
        return (tuple(places), score) if places else None


_LIST_NEXT = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)"
                        r"(?=[\s,.;:)]|$)")


def _listed_names(text: str, m: re.Match[str], kind: int) -> list[re.Match[str]]:
    """The name a pattern found, and those listed after it where the pattern names places
    ("the villages of Karmir Shuka and Taghavard", "shelled Tartar, Barda and Goranboy"):
    a list ends with "and" ("In Horlivka, the SMM heard" lists nothing)."""
    out, end = [m], m.end(1)
    while kind in (0, 2) and (nxt := _LIST_NEXT.match(text, end)):
        out.append(nxt)
        end = nxt.end(1)
    while len(out) > 1 and "and" not in text[out[-2].end(1):out[-1].start(1)]:
        out.pop()
    return out


_STATES = frozenset({"pakistan", "india", "pakistani", "indian", "smm", "osce", "jfo", "ispr",
                     "jammu", "kashmir"})  # the state of a district named beside it


def _not_a_name(name: str) -> bool:
    words = name.lower().replace("-", " ").split()
    return any(w in _STOP or w in COUNTRIES or w in DEMONYMS or w in REGIONS or w in _STATES
               for w in words) \
        or name.lower() in ("loc", "line of control", "line of contact", "working boundary") \
        or bool(re.search(r"(ministry|army|forces|office|council|union|agency|news|media)", name,
                          re.I))


def _country_after(text: str, end: int) -> str | None:
    m = re.match(r"\s*(?:,|in|inside)\s+(?:the\s+)?(" + _COUNTRY_NAMES + r")\b", text[end:], re.I)
    return COUNTRIES[m.group(1).lower()] if m else None


def _country_before(text: str, start: int) -> str | None:
    m = re.search(r"\b(" + _DEMONYM_NAMES + r")\s+(?:\w+\s+){0,2}$", text[:start], re.I)
    return DEMONYMS[m.group(1).lower()] if m else None


def _according_before(text: str, start: int) -> bool:
    """"according to" and a space right before ``start`` (``according to\\s+$``)."""
    before = text[:start]
    bare = before.rstrip()
    return len(bare) < len(before) and bare.endswith("according to")


def find_places(text: str, sentence: int, index: PlaceIndex,
                last_region: PlaceMention | None = None) -> list[PlaceMention]:
    """Place mentions in one sentence, in order of appearance."""
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    nations = bool(_NATION_STEMS.search(low))
    regions = bool(_REGION_STEMS.search(low))
    context = frozenset(COUNTRIES.get(w) or DEMONYMS.get(w) or REGIONS[w][1]
                        for w in (m.group(0).lower() for m in _CONTEXT.finditer(text))
                        ) if nations or regions else frozenset()

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    def add(mention: PlaceMention, start: int, end: int) -> None:
        taken.append((start, end))
        found.append(mention)

    for m in _REGION.finditer(text) if regions else ():
        if _REGION_AS_ACTOR.match(text[m.end():]) or re.search(r"\bof (?:the )?$", text[:m.start()]) \
                and re.search(r"(president|leader|authorities|ombudsman) of (?:the )?$",
                              text[:m.start()], re.I):
            taken.append((m.start(), m.end()))
            continue
        name, country = REGIONS[m.group(1).lower()]
        add(PlaceMention(m.group(1), name, GeoPrecision.REGION, sentence, m.start(),
                         country=country, known=True), m.start(), m.end())
    kinds = bool(_KIND_WORDS.search(low))
    for name, start in ((n.group(1), n.start(1)) for k, named in enumerate(_NAMED)
                        if kinds or k == 2 for m in named.finditer(text)
                        for n in _listed_names(text, m, k)):
        name = _TYPE_WORD.sub("", name)  # "Nikial Sector"
        if (lead := re.match(r"^(\w+) ", name)) and lead.group(1).lower() in _STOP:
            name, start = name[lead.end():], start + lead.end()  # "In Donetsk region"
        if (possessive := re.match(r"^.*['’]s\s+", name)):  # "Armenia's Vardenis"
            name, start = name[possessive.end():], start + possessive.end()
        name = re.sub(r"['’]s$", "", name)  # "an attack on Azerbaijan's second city Ganja"
        if not free(start, start + len(name)) or _not_a_name(name):
            continue
        hit = index.lookup(name, context)
        if hit:
            add(_resolved(name, hit, sentence, start), start, start + len(name))
        else:
            country = _country_after(text, start + len(name)) or _country_before(text, start)
            span_end = start + len(name)
            add(PlaceMention(name, name, GeoPrecision.COUNTRY, sentence, start, country=country),
                start, span_end)
            if country and (after := re.match(r"\s*(?:,|in|inside)\s+(?:the\s+)?\w+", text[span_end:])):
                taken.append((span_end, span_end + after.end()))
    dateline = _DATELINE.match(text)
    for m in _CANDIDATE.finditer(text):
        if dateline and m.start() < dateline.end():
            continue  # "KARACHI:", "MOSCOW, October 10. /TASS/": where it was written
        words = [m.group(0)]
        nxt = _CANDIDATE.match(text, m.end() + 1) if m.end() < len(text) and text[m.end()] in " -" else None
        if nxt:
            words.insert(0, text[m.start():nxt.end()])
        for phrase in words:
            start, end = m.start(), m.start() + len(phrase)
            if phrase.lower() in _STOP or not free(start, end):
                continue
            hit = index.lookup(phrase, context)  # most capitalised words are no place
            if not hit:
                continue
            if _SPEECH_AFTER.match(text[end:]) or _according_before(text, start):
                continue  # a capital speaking for its government
            if _plausible(text, start, end, hit[0]):
                add(_resolved(phrase, hit, sentence, start), start, end)
                break
    for m in _COUNTRY_AS_PLACE.finditer(text) if nations else ():
        group = next(g for g in (1, 2, 3) if m.group(g))
        word = m.group(group).lower()
        code = COUNTRIES.get(word) or DEMONYMS[word]
        if not free(m.start(group), m.end(group)):
            continue
        name = next(k for k, v in COUNTRIES.items() if v == code).title()
        add(PlaceMention(m.group(group), name, GeoPrecision.COUNTRY, sentence, m.start(group),
                         country=code, known=True), m.start(group), m.end(group))
    for m in _THE_REGION.finditer(text) if "region" in low or "enclave" in low else ():
        earlier = [p for p in found if p.known and p.precision is GeoPrecision.REGION
                   and p.offset < m.start()]
        region = max(earlier, key=lambda p: p.offset) if earlier else last_region
        if region and free(m.start(), m.end()) and not _REGION_AS_ACTOR.match(text[m.end():]):
            add(PlaceMention(m.group(0), region.name, GeoPrecision.REGION, sentence,
                             m.start(), country=region.country, known=True), m.start(), m.end())
    return sorted((_nested(text, p, index) for p in found), key=lambda p: p.offset)


_WITHIN = re.compile(
    r"^(?:\s+(?i:village|settlement|town|hamlet|area|sector)s?)?(?:,\s*|\s+(?:of|in)\s+)(?:the\s+)?"
    r"([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)\s+(?:district|region|sector|rayon|province|oblast|"
    r"raion|area)\b")


_OWNER = re.compile(r"\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?) (?:district|region|province|oblast)['’]s\s+$")
_IN_REGION = re.compile(r"\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?) (?:village|town|settlement|"
                        r"city) of\s+$")


def _nested(text: str, mention: PlaceMention, index: PlaceIndex) -> PlaceMention:
    """A place named inside an administrative one ("the Aghdam village of Tovuz district"):
    remember the container, and keep the gazetteer place only if it lies in that district."""
    if mention.known or mention.precision is GeoPrecision.COUNTRY and mention.resolved:
        return mention
    m = _WITHIN.match(text[mention.offset + len(mention.text):])
    if not m:
        if owner := _OWNER.search(text[:mention.offset]):  # "Poonch district's Krishna Ghati"
            return replace(mention, within=owner.group(1))
        inside = _IN_REGION.search(text[:mention.offset])  # "the Nagorno-Karabakh village of X"
        return replace(mention, within=inside.group(1)) if inside and \
            inside.group(1).lower() in REGIONS else mention
    mention = replace(mention, within=m.group(1))
    if not mention.place_id:
        return mention
    district = index.candidates(m.group(1))
    if not district:
        return mention
    admins = {(p.country, p.admin1) for p in district[0]}
    place = index.by_id.get(mention.place_id)
    if place is None or (place.country, place.admin1) in admins:
        return mention
    candidates = index.candidates(mention.text)
    inside = [p for p in (candidates[0] if candidates else ()) if (p.country, p.admin1) in admins]
    if inside:
        return _resolved(mention.text, (inside[0], mention.score), mention.sentence,
                         mention.offset, within=m.group(1))
    countries = {c for c, _a in admins}
    return PlaceMention(mention.text, mention.text, GeoPrecision.COUNTRY, mention.sentence,
                        mention.offset, country=next(iter(countries)) if len(countries) == 1
                        else None, score=50.0, within=m.group(1))


_CAPITALS = frozenset({"baku", "yerevan", "moscow", "ankara", "tbilisi", "tehran", "kyiv"})
_LOCATIVE = Blind(r"\b(in|into|inside|near|at|on|to|from|around|outside|over|towards|"
                       r"of|capital|city|hit|shelled|struck|targeted|attacked|bombed|reached)"
                       r"[,]?\s+(?:the\s+)?(?:\w+\s+)?$")
_PLACE_WORD = re.compile(r"^[ -](District|Region|Province|Rayon|Village|City|Town)\b")
_NEXT_CAPITAL = re.compile(r"^[ -]([A-Z][a-z]+)")
_PREV_CAPITAL = re.compile(r"([A-Z][a-z]+) $")


def _plausible(text: str, start: int, end: int, place: Place) -> bool:
    """Not a person's name ("Shushan Stepanyan"), not a capital speaking ("Yerevan admitted")."""
    nxt = _NEXT_CAPITAL.match(text[end:])
    if nxt and nxt.group(1).lower() not in _STOP and not _PLACE_WORD.match(text[end:]):
        return False
    prev = _PREV_CAPITAL.search(text[:start])
    if prev and prev.group(1).lower() not in _STOP and prev.start() > 0:
        return False
    if fold_name(text[start:end]) in _CAPITALS and not _LOCATIVE.search(text[:start]):
        return False
    return True


def _resolved(text: str, hit: tuple[Place, float], sentence: int, offset: int,
              within: str | None = None) -> PlaceMention:
    place, score = hit
    return PlaceMention(text, place.name, GeoPrecision.SETTLEMENT, sentence, offset,
                        place_id=place.id, country=place.country, latitude=place.latitude,
                        longitude=place.longitude, score=score, within=within)
