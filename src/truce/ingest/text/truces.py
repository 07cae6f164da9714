"""Ceasefires the text announces, as Agreement proposals (English and Russian).

``find_agreements(sentences, published, zone, language, day_of)`` reads each
sentence that speaks of a ceasefire being agreed, declared or taking effect
("A ceasefire is declared from October 10 at 12:00", "перемирие вступило в
силу с полуночи") and proposes one agreement per distinct start: the start
time with its zone ("Moscow time" +03:00, "GMT", "local time" = the
theatre's zone; none stated = the theatre's, flagged), the parties and
mediators named, and terms in the agreement vocabulary
(``domain.agreements.TermKind``). ``day_of(sentence)`` gives the day the
sentence names, if any (the language's date finder).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .lowered import Blind
from .model import AgreementProposal, Sentence

__all__ = ["find_agreements"]

_TRUCE = {
    "en": Blind(r"\b(cease[- ]?fire|cease[- ]?firing|truce|cessation of hostilities|armistice)"
                     r"\b"),
    "ru": Blind(r"перемири\w*|прекращени\w* огня|прекращени\w* боев\w* действий"),
}
_MADE = {
    "en": Blind(r"\b(agreed|agree|agreement|declared|declare|announced|announce|reached|"
                     r"signed|brokered|took effect|takes effect|take effect|entered into force|"
                     r"comes? into force|came into force|will begin|starting|starts?|begins?|began|"
                     r"effective|in force|implement|observe|abide|go into effect)\b"),
    "ru": Blind(r"объявл\w*|договорил\w*|договоренност\w*|достигнут\w*|вступ\w* в силу|"
                     r"действовать|подписал\w*|соглашени\w*|заявлени\w*|начал(?:ось|ся|ась)|"
                     r"начнется|начнётся"),
}
_VIOLATED = {
    "en": Blind(r"\bviolat\w*|\bbreach\w*|\bbroke\b|\bcollapsed\b"),
    "ru": Blind(r"наруш\w*|сорван\w*"),
}
_CLOCK = Blind(r"(?<![\d.:])([01]?\d|2[0-3])(?:[:.]|h(?=\d\d))([0-5]\d)(?![\d.:])(?:\s*([ap])\.?m\.?)?|"
                    r"\b(1[0-2]|0?[1-9])\s*([ap])\.?m\.?(?!\w)")
_WORD_CLOCK = {
    "en": Blind(r"\b(midnight|noon|midday)\b"),
    "ru": Blind(r"полуноч\w*|пол(?:у|)д\w*|ноля часов|нуля часов"),
}
_MSK = Blind(r"moscow time|\bmsk\b|мск|по московскому времени|по москве")
_NAMED_ZONES = [(Blind(p), zone) for p, zone in [
    (r"kyiv time|kiev time|по киевскому времени|\beest\b", "Europe/Kyiv"),
    (r"baku time|по бакинскому времени", "Asia/Baku"),
    (r"yerevan time|по ереванскому времени", "Asia/Yerevan"),
    (r"\bist\b|indian standard time", "Asia/Kolkata"), (r"\bpkt\b|pakistan standard time", "Asia/Karachi")]]
# where "local time" (or no zone) is: the theatre the text speaks of, else the caller's
_THEATRES = [(Blind(p), zone) for p, zone in [
    (r"donbas|donetsk|luhansk|lugansk|ukrain|донбасс?|донецк|луганск|украин", "Europe/Kyiv"),
    (r"line of control|\bloc\b|kashmir|jammu|india|кашмир|инди", "Asia/Kolkata"),
    (r"karabakh|azerbaijan|armenia|карабах|азербайджан|армени", "Asia/Baku")]]
_GMT_OFFSET = Blind(r"\b(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?")
_GMT = Blind(r"\b(GMT|UTC)\b")
_LOCAL = Blind(r"local time|по местному времени")
_PARTIES = [
    ("ARM", Blind(r"armenia|yerevan|pashinyan|армени|ереван|пашинян")),
    ("AZE", Blind(r"azerbaijan|azeri|baku|aliyev|азербайджан|баку|алиев")),
    ("IND", Blind(r"\bindia|\bindian|инди")),
    ("PAK", Blind(r"pakistan|пакистан")),
    ("UKR", Blind(r"ukrain|украин|kyiv|киев")),
]
_MEDIATORS = [
    ("RUS", Blind(r"russia|moscow|lavrov|putin|росси|москв|лавров|путин|\bрф\b")),
    ("ICRC", Blind(r"red cross|icrc|мккк|красного креста")),
    ("OSCE", Blind(r"osce|minsk group|обсе|минской групп")),
    ("USA", Blind(r"united states|washington|\bus\b|\bu\.s\.|сша|вашингтон")),
    ("FRA", Blind(r"france|french|франци")),
    ("TUR", Blind(r"turkey|ankara|турци|анкар")),
]
_TERMS = [
    ("no_heavy_weapons_near_line", Blind(r"heavy weapons|тяжел\w+ вооружени")),
    ("no_strikes_on_civilians", Blind(r"civilian|мирн\w+ (?:населени|жител)")),
    ("no_advance", Blind(r"(?:current|present|their) positions|положени\w+ на занимаемых|"
                              r"на занимаемых (?:позициях|рубежах)|остановлен\w*")),
    ("observer_freedom_of_movement", Blind(r"freedom of movement|свобод\w+ передвижени")),
]
# "despite the humanitarian truce declared from 08:00, ... shell": a truce told of, not made
_DESPITE = {
    "en": Blind(r"\b(?:despite|in spite of|(?:in|a) (?:\w+ )?violation of|violating|"
                     r"breaching)\b[^.;]{0,60}$"),
    "ru": Blind(r"(?:несмотря на|вопреки|в нарушение|нарушая|нарушив)\b[^.;]{0,60}$"),
}
# a day written with its month ("October 18", "18 октября"): the start's own day
_DAY_WRITTEN = Blind(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                          r"nov|dec|январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|"
                          r"ноябр|декабр)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                          r"[a-z]*\.?\s+\d{1,2}\b|\d{1,2}\.\d{1,2}\.\d{4}")
_NIGHT = re.compile(r"(?:\b([A-Za-z]{3,})\s+)?(\d{1,2})\s*[-/]\s*(\d{1,2})(?:\s+([A-Za-z]{3,}))?")
_RUSSIA_PARTY = Blind(r"\b(?:ukraine|украин\w*)\s+(?:and|и)\s+(?:russia|росси\w*)|"
                           r"(?:russia|росси\w*)\s+(?:and|и)\s+(?:ukraine|украин\w*)")
_KM = Blind(r"(\d+)\s*(?:km|kilomet|км|килом)")
_MSK_TZ = timezone(timedelta(hours=3), "MSK")


def _clock(text: str, language: str) -> tuple[time, str] | None:
    m = _CLOCK.search(text)
    word = _WORD_CLOCK[language].search(text)
    if m and (not word or m.start() < word.start()):
        hour = int(m.group(1) or m.group(4))
        minute = int(m.group(2) or 0)
        half = (m.group(3) or m.group(5) or "").lower()
        if half == "p" and hour < 12:
            hour += 12
        elif half == "a" and hour == 12:
            hour = 0
        return time(hour, minute), m.group(0)
    if word:
        w = word.group(0).lower()
        return (time(12) if w.startswith(("noon", "midday", "полд", "полуд")) else time(0)), \
            word.group(0)
    return None


def _zone(text: str, at: int, local: tzinfo) -> tuple[tzinfo, bool]:
    """The zone named nearest after the time (else anywhere in the sentence)."""
    window = text[at:at + 40]
    for part in (window, text):
        for pattern, name in _NAMED_ZONES:
            if pattern.search(part):
                return ZoneInfo(name), True
        if (m := _GMT_OFFSET.search(part)):
            hours = int(m.group(1))
            minutes = int(m.group(2) or 0) * (1 if hours >= 0 else -1)
            return timezone(timedelta(hours=hours, minutes=minutes)), True
        msk, gmt, loc = _MSK.search(part), _GMT.search(part), _LOCAL.search(part)
        first = min((m for m in (msk, gmt, loc) if m), key=lambda m: m.start(), default=None)
        if first is msk and msk:
            return _MSK_TZ, True
        if first is gmt and gmt:
            return UTC, True
        if first is loc and loc:
            return local, True
    return local, False


def find_agreements(sentences: Sequence[Sentence], published: date, zone: tzinfo,
                    language: str, day_of: Callable[[str], date | None],
                    ) -> list[AgreementProposal]:
    """Agreement proposals, one per distinct start, in reading order."""
    if language not in _TRUCE:
        return []
    everything = " ".join(s.text for s in sentences)
    found: list[AgreementProposal] = []
    written: list[bool] = []  # the start's day written with its month, per proposal
    previous = ""
    for s in sentences:
        text = s.text
        # "... agreed on a new ceasefire. It is to start at 00:01 Kyiv time": the truce told
        # in the sentence before
        told = _TRUCE[language].search(text) or _TRUCE[language].search(previous) and \
            re.match(r"\W*(?:it|this|the (?:truce|ceasefire)|оно|он[оа]?)\b", text, re.I)
        previous = text
        if not told or not _MADE[language].search(text):
            continue
        clock = _clock(text, language)
        if clock is None:
            continue
        if _VIOLATED[language].search(text) and not re.search(
                r"declared|agreed|объявл|договор", text, re.I):
            continue  # "the truce that took effect at 12:00 was violated": told of, not made
        truce = _TRUCE[language].search(text)
        if truce and _DESPITE[language].search(text[:truce.start()]):
            continue
        at, words = clock
        local = next((ZoneInfo(name) for p, name in _THEATRES if p.search(everything)), zone)
        tz, stated = _zone(text, text.find(words), local)
        night = _NIGHT.search(text) if re.search(r"midnight|полноч", text, re.I) else None
        day = None
        if night:  # "midnight February 24-25": the second day
            month = night.group(1) or night.group(4)
            day = day_of(f"{month} {night.group(3)}" if night.group(1) else
                         f"{night.group(3)} {month}")
        day = day or day_of(text) or published
        if (published - day).days > 300:  # "from July 27", said on July 22: this year's
            day = day.replace(year=day.year + 1)
        start = datetime.combine(day, at, tzinfo=tz)
        if any(a.start == start or not stated and a.start.replace(tzinfo=None) ==
               start.replace(tzinfo=None) for a in found):
            continue  # the same truce told again ("12:00", after "12:00 Moscow time")
        parties = tuple(code for code, p in _PARTIES if p.search(text)) or tuple(
            code for code, p in _PARTIES if p.search(everything))
        if not parties and re.search(r"karabakh|карабах", everything, re.I):
            parties = ("ARM", "AZE")
        if "UKR" in parties and "RUS" not in parties and _RUSSIA_PARTY.search(everything):
            parties = (*parties, "RUS")  # in Donbas Russia signs as a party
        mediators = tuple(code for code, p in _MEDIATORS if p.search(text)
                          and code not in parties)
        terms = ["no_fire"] + [k for k, p in _TERMS if p.search(text)]
        km = _KM.search(text)
        if "no_heavy_weapons_near_line" in terms and not km:
            terms.remove("no_heavy_weapons_near_line")
        what = "Ceasefire" if language == "en" else "Перемирие"
        name = f"{what} {start.strftime('%Y-%m-%d %H:%M')} {start.strftime('%z')}" \
               f" ({', '.join(parties) or '?'})"
        written.append(bool(_DAY_WRITTEN.search(text)))
        found.append(AgreementProposal(
            name=name, start=start, parties=parties, mediators=mediators, terms=tuple(terms),
            sentence=s.index, text=text, confidence=0.8 if stated else 0.6, time_words=words,
            zone_stated=stated, km=float(km.group(1)) if km and
            "no_heavy_weapons_near_line" in terms else None))
    # "agreed to a truce from midnight", then "as of October 18, 00h00 local time": the start
    # whose day is written is the one the text means; a day guessed within a day of it is
    # the same truce
    return [a for a, w in zip(found, written, strict=True) if w or not any(
        w2 and abs((a.start - b.start).total_seconds()) <= 36 * 3600
        for b, w2 in zip(found, written, strict=True) if b is not a)]
