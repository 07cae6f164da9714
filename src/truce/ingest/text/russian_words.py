"""Russian mentions: dates, numbers, places and the party the words blame.

Rules over word stems, with pymorphy3 (its dictionary ships in
``pymorphy3-dicts-ru``) for what stems cannot tell: the dictionary form of an
inflected place name ("Степанакерту" is Степанакерт, "Барды" is Барда) and
whether a capitalised word is a surname ("Степанян") rather than a place.

- ``find_dates_ru``: "4 ноября", "10 октября 2020 года", "вчера", "минувшей
  ночью", "в среду", and "сообщило в среду" (the day of the statement);
- ``find_numbers_ru``: "более 60" (lower bound), "до 30" (upper bound),
  "около 20" (approximate), "20 из них" (part), "четыре ракеты" (count);
- ``find_places_ru``: gazetteer places in any case ("Тертер", "Тертере",
  "Тертерского района"), regions (Нагорный Карабах), countries used as
  places ("по Азербайджану", "с территории Армении"), and names the
  gazetteer lacks after "село", "поселок", "участок" (unresolved);
- ``perpetrator_ru``: "ВС Армении", "армянские вооруженные силы",
  "азербайджанскими войсками", "со стороны вооруженных сил Армении", "с
  территории Армении", "Азербайджан нанес", "противник" (the speaker's
  adversary).
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from functools import lru_cache

from ...domain.precision import GeoPrecision
from .lowered import Blind
from .model import DateMention, NumberMention, PlaceMention
from .perpetrators import ADVERSARY, Perpetrator
from .places import _DATELINE, PlaceIndex

__all__ = ["find_dates_ru", "find_numbers_ru", "find_places_ru", "morph", "perpetrator_ru"]

_MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
           "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
_MONTH = r"(январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|" \
         r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])"
_DAY_MONTH = Blind(r"\b(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?\s+" + _MONTH +
                        r"(?:\s+(\d{4})\s*(?:года|г\.)?)?")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WEEKDAYS = {"понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4,
             "суббот": 5, "воскресень": 6}
_WEEKDAY = Blind(r"\bв[о]?\s+(понедельник|вторник|среду|четверг|пятницу|субботу|"
                      r"воскресенье)\b")
_RELATIVE = [
    (Blind(r"\b(?:вчера|накануне|в минувш\w+ (?:день|сутки))\b"), 1),
    (Blind(r"\b(?:сегодня|минувшей ночью|этой ночью|ночью|утром|с утра|днем|днём|"
                r"вечером|в настоящее время|в данный момент|сейчас)\b"), 0),
]
_YEARS = Blind(r"\b(1[89]\d\d|20[01]\d)(?:\s*[-–]\s*(?:1[89]\d\d|20\d\d))?\s*(?:-?х\s*)?"
                    r"(?:год\w*|г\.)")
_REPORT_OF = Blind(r"(?:\bотч[её]т\w*|\bдоклад\w*)(?:\s+[\w№/.,-]+){0,4}\s+от\s+$|"
                        r"\bотч[её]т\w*\s+(?:[\w№/.,-]+\s+){0,6}опубликованн\w*\s+"
                        r"(?:[\w()-]+\s+){0,8}$")
_SAID_BEFORE = Blind(r"(?:сообщил\w*|заявил\w*|сообщает|заявляет|отметил\w*|"
                          r"добавил\w*|написал\w*|объявил\w*)\s*$")


def _day_in_past(day: int, month: int, year: int | None, published: date) -> date | None:
    try:
        found = date(year or published.year, month, day)
    except ValueError:
        return None
    if year is None and found > published + timedelta(days=1):
        found = found.replace(year=found.year - 1)
    return found


def find_dates_ru(text: str, published: date, sentence: int = 0) -> list[DateMention]:
    """Date mentions in one Russian sentence, resolved against publication."""
    from ...domain.precision import TimePrecision

    found: list[DateMention] = []

    def add(words: str, start: date, end: date, offset: int, precision: TimePrecision) -> None:
        said = _SAID_BEFORE.search(text[max(0, offset - 25):offset])
        if _REPORT_OF.search(text[max(0, offset - 90):offset]):
            # "в отчете миссии от 21 апреля": a monitors' report counts the day before it
            start, precision = start - timedelta(days=1), TimePrecision.DAYS
        found.append(DateMention(words, start, end, precision, sentence, offset,
                                 "statement" if said else "event"))

    for m in _DAY_MONTH.finditer(text):
        month = next(v for k, v in _MONTHS.items() if m.group(3).lower().startswith(k))
        year = int(m.group(4)) if m.group(4) else None
        first = _day_in_past(int(m.group(1)), month, year, published)
        last = _day_in_past(int(m.group(2)), month, year, published) if m.group(2) else first
        if first and last:
            add(m.group(0), first, last, m.start(), TimePrecision.DAY if first == last
                else TimePrecision.DAYS)
    for m in _NUMERIC.finditer(text):
        day = _day_in_past(int(m.group(1)), int(m.group(2)), int(m.group(3)), published)
        if day:
            add(m.group(0), day, day, m.start(), TimePrecision.DAY)
    for m in _WEEKDAY.finditer(text):
        want = next(v for k, v in _WEEKDAYS.items() if m.group(1).lower().startswith(k))
        back = (published.weekday() - want) % 7
        day = published - timedelta(days=back)
        add(m.group(0), day, day, m.start(), TimePrecision.DAY)
    for pattern, back in _RELATIVE:
        for m in pattern.finditer(text):
            if not any(d.offset <= m.start() < d.offset + len(d.text) for d in found):
                day = published - timedelta(days=back)
                add(m.group(0), day, day, m.start(), TimePrecision.DAY)
    for m in _YEARS.finditer(text):
        year = int(m.group(1))
        if not any(d.offset <= m.start() < d.offset + len(d.text) for d in found):
            add(m.group(0), date(year, 1, 1), date(year, 12, 31), m.start(), TimePrecision.YEAR)
    return sorted(found, key=lambda d: d.offset)


_NUMBER_WORDS = {"один": 1, "одна": 1, "одного": 1, "одну": 1, "одно": 1, "два": 2, "две": 2,
                 "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4,
                 "пять": 5, "пяти": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
                 "десять": 10, "десяти": 10, "двенадцать": 12, "пятнадцать": 15,
                 "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "сто": 100}
_NUMBER = Blind(r"(?<![\d.,:])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?![\d.:]\d)|\b("
                     + "|".join(_NUMBER_WORDS) + r")\b")
_QUALIFIER = [("lower_bound", Blind(r"(?:более|свыше|не менее|по меньшей мере|как минимум|"
                                         r"больше)\s+$")),
              ("upper_bound", Blind(r"(?:до|не более|не больше|менее)\s+$")),
              ("approximate", Blind(r"(?:около|порядка|примерно|почти|приблизительно)\s+$"))]
_NOT_A_COUNT = Blind(r"^\s*(?:" + _MONTH + r"|год\w*|г\.|час\w*|мин\w*|\.\d|:\d|%|"
                          r"процент\w*|км\b|километр\w*|метр\w*|-?х\b)")


def find_numbers_ru(text: str, sentence: int = 0) -> list[NumberMention]:
    found: list[NumberMention] = []
    for m in _NUMBER.finditer(text):
        words = m.group(0)
        after = text[m.end():m.end() + 14]
        if _NOT_A_COUNT.match(after) or re.search(r"(?:в|с|к)\s+$", text[max(0, m.start() - 3):
                                                                      m.start()]) and \
                m.group(1) and len(m.group(1)) == 4:
            continue
        if m.group(1) and len(m.group(1)) == 4 and 1900 <= int(m.group(1)) <= 2100:
            continue  # a year
        value = int(re.sub(r"\D", "", m.group(1))) if m.group(1) else \
            _NUMBER_WORDS[m.group(2).lower()]
        before = text[max(0, m.start() - 25):m.start()]
        meaning = next((name for name, p in _QUALIFIER if p.search(before)), "count")
        if meaning == "count" and re.match(r"\s+из\s", after):
            meaning = "part"
        found.append(NumberMention(words, value, meaning, "", sentence, m.start()))
    return found


_lock = threading.Lock()
_morph = None


def morph():
    """pymorphy3's analyser, loaded once."""
    global _morph
    if _morph is None:
        with _lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


@lru_cache(maxsize=65536)
def _parse(word: str) -> tuple[str, bool, bool]:
    """(dictionary form, a place name, a person's name) for one word."""
    analyser = morph()
    p = analyser.parse(word)[0]
    tag = p.tag
    known = analyser.word_is_known(word.lower())
    return p.normal_form, "Geox" in tag, known and ("Surn" in tag or "Name" in tag
                                                    or "Patr" in tag) and "Geox" not in tag


REGIONS_RU = [
    (Blind(r"\bнагорн\w*[\s-]+карабах\w*|\bкарабах\w*|\bарцах\w*|\bнкр\b"),
     "Nagorno-Karabakh", "AZ"),
    (Blind(r"\bнахичеван\w*|\bнахчыван\w*"), "Nakhchivan", "AZ"),
    (Blind(r"\bдонбасс?\w*"), "Donbas", "UA"),
    (Blind(r"\bкашмир\w*"), "Kashmir", None),
    (Blind(r"\bтавуш\w*"), "Tavush", "AM"), (Blind(r"\bсюник\w*"), "Syunik", "AM"),
    (Blind(r"\bгегаркуник\w*"), "Gegharkunik", "AM"),
    (Blind(r"\bвайоц[\s-]?дзор\w*|\bвайоцдзор\w*"), "Vayots Dzor", "AM"),
    (Blind(r"\bкотайк\w*"), "Kotayk", "AM"), (Blind(r"\bширак\w*"), "Shirak", "AM"),
    (Blind(r"\bарагацотн\w*"), "Aragatsotn", "AM"),
    (Blind(r"\bлорийск\w*|\bлори\s+(?:област|марз)\w*"), "Lori", "AM"),
    (Blind(r"\bармавирск\w*\s+(?:област|марз)\w*"), "Armavir", "AM"),
    (Blind(r"\bарарат\w*\s+(?:област|марз)\w*|\bарарат\w*(?=\s+и\s+\w+\s+област)"),
     "Ararat", "AM"),
]
_REGION_AS_ACTOR = Blind(r"^\s*(?:республик\w*\s*)?(?:власт|армии|арми|президент|омбудсмен|"
                              r"правительств|минобороны|министерств|службы|служба|защитник|"
                              r"информационн)")
# the region's capital named by its office, not its name (the English stage reads the name)
_CAPITAL_RU = Blind(r"\bстолиц\w+\s+(?:непризнанн\w+\s+|самопровозглашенн\w+\s+)?"
                         r"(?:нкр|нагорно-карабахск\w+\s+республик\w+|нагорного\s+карабаха|"
                         r"арцаха|карабаха)")
_COUNTRIES_RU = {"армени": "AM", "азербайджан": "AZ", "росси": "RU", "турци": "TR",
                 "украин": "UA", "инди": "IN", "пакистан": "PK", "грузи": "GE", "иран": "IR"}
_COUNTRY_NAMES = {"AM": "Armenia", "AZ": "Azerbaijan", "RU": "Russia", "TR": "Turkey",
                  "UA": "Ukraine", "IN": "India", "PK": "Pakistan", "GE": "Georgia",
                  "IR": "Iran"}
_COUNTRY_AS_PLACE = Blind(r"\b(?:по|в|во|на|из|внутри|(?:с |на |по )?территори\w+|земл\w+|границ\w+ с)\s+"
    r"(армени\w*|азербайджан\w*|росси\w*|турци\w*|украин\w*|инди\w*|пакистан\w*)\b")
# a second capitalised word that is the district's adjective ("Ахмедлы Лачинского района")
# is no part of the village's name
_NOT_DISTRICT = r"(?![А-ЯЁ][а-яё]+[сц]к(?:ого|ому|ом|ий|ая|ой|ую|ое|их|им|ими)\b)"
_NAMED_RU = re.compile(r"\b(?i:сел[оаеу]|селах|поселк\w*|посёлк\w*|пос[её]лок|пос\.|пгт|станиц\w*|хутор\w*|"
                       r"деревн\w*|населенн\w+ пункт\w*|населённ\w+ пункт\w*|участ\w+|город\w*|"
                       r"сектор\w*|у|под|близ|вблизи|возле|около|недалеко от|"
                       r"в районе|обстреля\w*|обстрелива\w*|обстрел\w*|атакова\w*|"
                       r"удар\w* по)\s+[«\"]?([А-ЯЁ][а-яё]+(?:[- ]" + _NOT_DISTRICT +
                       r"[А-ЯЁ][а-яё]+)?)")
_LIST_NEXT_RU = re.compile(r"(?:\s*,\s*|\s+и\s+)[«\"]?([А-ЯЁ][а-яё]+(?:[- ]" + _NOT_DISTRICT +
                           r"[А-ЯЁ][а-яё]+)?)")
# "заявили в Баку", "сообщили в Степанакерте": officials there, not where it happened
_SPOKEN_IN = Blind(r"\b(?:сообщ|заяв|отмет|подчеркн|говор|счита|утвержда|рассказ|уточн|"
                        r"добав|опроверг|обвин|призна)\w*\s+(?:в|во)\s+$")
_CANDIDATE = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*")
_ADJ_ENDINGS = ("ского", "скому", "ском", "ский", "ская", "ской", "скую", "ское", "ских", "ским",
                "ского", "скими")
_NOUN_ENDINGS = ("ом", "ем", "ой", "ей", "ах", "ях", "ам", "ям", "у", "ю", "а", "я", "е", "и", "ы")


def _variants(word: str) -> list[str]:
    """Spellings an inflected place name may have in the gazetteer: "Тертерского" ->
    Тертер, "Мартунинского" -> Мартуни, "Барды" -> Барда."""
    out = [word]
    low = word.lower()
    for ending in _ADJ_ENDINGS:
        if low.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[:-len(ending)]
            out += [stem, stem + "а", stem + "и"]
            if stem.endswith("ин"):
                out.append(stem[:-1])
                out.append(stem[:-2] + "и")
            if stem.endswith("н"):
                out.append(stem[:-1])
            if stem.endswith("ь"):  # "Джабраильского" -> Джабраил
                out.append(stem[:-1])
            break
    normal, _geo, _person = _parse(word)
    out.append(normal)
    for ending in _NOUN_ENDINGS:
        if low.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[:-len(ending)]
            out += [stem, stem + "а", stem + "я", stem + "и"]
    return out


def _resolve_word(index: PlaceIndex, word: str):
    """The gazetteer place one inflected word names ("Тертера" is Tartar), or None: exact in
    one of its case forms, else close in spelling. Remembered per index, since the same
    words recur in every article and fuzzy matching is the costly part."""
    memo = index.memo.setdefault("ru_words", {})
    if word in memo:
        return memo[word]
    hit = None
    variants = _variants(word)
    for variant in dict.fromkeys(variants + [""]):
        hit = index.lookup(variant) if len(variant) >= 3 else \
            (index.fuzzy(word, 88) or next((hit for v in variants[1:5] if len(v) >= 6
                                            and (hit := index.fuzzy(v, 85))), None))\
            if not variant and len(word) >= 7 and not \
            word.lower().endswith(("ян", "янц", "ева", "ова", "ев", "ов")) else None
        if hit:
            break
    if len(memo) < 65536:
        memo[word] = hit
    return hit


# Armenian and Azerbaijani village names of two words ("Верин Шоржа", "Ашагы Абдулрахманлы"):
# upper, lower, big, small, middle; the second word alone may be another village
_COMPOUND_RU = re.compile(r"\b(?:Верин|Неркин|Ашагы|Ашаги|Юхары|Юхари|Йухары|Йухари|Мец|Покр|Бёюк|Беюк|Кичик|Кечик|"
                          r"Орта)[- ][А-ЯЁ][а-яё]+")


_SETTLEMENT_NOUN = re.compile(r"(?i:сел|поселк|посёлк|пос[её]лок|деревн|город|населенн|населённ|"
                              r"хутор|станиц)")


# a region named by the adjective of its centre ("Донецкая область" of Донецк, "Луганской
# области" of Луганск): kept under the centre's name, as the English "Donetsk region" is
_OBLAST_RU = re.compile(r"\b([А-ЯЁ][а-яё]+[сц]к)(?:ая|ой|ую|ий|ого|ом|ом)\s+област\w*")


def _mention(word: str, sentence: int, offset: int, hit) -> PlaceMention:
    place, score = hit
    return PlaceMention(word, place.name, GeoPrecision.SETTLEMENT, sentence, offset,
                        place_id=place.id, country=place.country, latitude=place.latitude,
                        longitude=place.longitude, score=score)


def find_places_ru(text: str, sentence: int, index: PlaceIndex) -> list[PlaceMention]:
    """Place mentions in one Russian sentence, in order."""
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    for m in _CAPITAL_RU.finditer(text):  # "столица НКР": the city, not the region
        taken.append((m.start(), m.end()))
    capitals = list(taken)
    for pattern, name, country in REGIONS_RU:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in capitals):
                continue
            taken.append((m.start(), m.end()))
            if _REGION_AS_ACTOR.match(text[m.end():]) or re.search(
                    r"(?:власт\w*|президент\w*|омбудсмен\w*|арми\w* обороны|центр\w*|"
                    r"министерств\w*|минобороны|мид|служб\w*|ведомств\w*|омбудсмен\w*|"
                    r"представител\w*|защитник\w* прав человека)\s+(?:\w+\s+)?$",
                    text[:m.start()], re.I):
                continue
            found.append(PlaceMention(m.group(0), name, GeoPrecision.REGION, sentence, m.start(),
                                      country=country, known=True))
    for m in _OBLAST_RU.finditer(text):  # "в Донецкой области": the region of Donetsk
        if free(m.start(1), m.end(1)) and not index.lookup(m.group(1)):
            found.append(PlaceMention(m.group(1), m.group(1), GeoPrecision.COUNTRY, sentence,
                                      m.start(1)))
        taken.append((m.start(), m.end()))
    for m in _COMPOUND_RU.finditer(text):  # "Верин Шоржа" is not Шоржа
        if not free(m.start(), m.end()):
            continue
        hit = index.lookup(m.group(0))
        found.append(_mention(m.group(0), sentence, m.start(), hit) if hit else
                     PlaceMention(m.group(0), m.group(0), GeoPrecision.COUNTRY, sentence, m.start()))
        taken.append((m.start(), m.end()))
    dateline = _DATELINE.match(text)
    for m in _CANDIDATE.finditer(text):
        if dateline and m.start() < dateline.end():
            continue  # "БАКУ, 4 ноября /ТАСС/": where it was written
        if not free(m.start(), m.end()) or m.start() == 0 and text[m.end():m.end() + 1] == " " \
                and _parse(m.group(0))[0] in _COMMON_STARTS:
            continue
        if _SPOKEN_IN.search(text, max(0, m.start() - 40), m.start()):
            taken.append((m.start(), m.end()))
            continue
        word = m.group(0)
        if any(word.lower().startswith(stem) for stem in _COUNTRIES_RU):
            continue  # countries: only as places, below
        normal, _geo, person = _parse(word)
        if person:
            continue
        hit = _resolve_word(index, word)
        if hit:
            found.append(_mention(word, sentence, m.start(), hit))
            taken.append((m.start(), m.end()))
    taken = [t for t in taken if t not in capitals]
    for m in _CAPITAL_RU.finditer(text):
        if free(m.start(), m.end()) and (hit := index.lookup("Stepanakert")):
            place, score = hit
            found.append(PlaceMention(m.group(0), place.name, GeoPrecision.SETTLEMENT, sentence,
                                      m.start(), place_id=place.id, country=place.country,
                                      latitude=place.latitude, longitude=place.longitude))
            taken.append((m.start(), m.end()))
    for m in _NAMED_RU.finditer(text):
        names, end = [m], m.end()
        while nxt := _LIST_NEXT_RU.match(text, end):  # "населенные пункты Горловка и Докучаевск"
            names.append(nxt)
            end = nxt.end()
        for n in names:
            if free(n.start(1), n.end(1)) and not _party(n.group(1)) and (
                    not _parse(n.group(1))[2] or _SETTLEMENT_NOUN.match(m.group(0))):
                word = n.group(1)
                found.append(PlaceMention(word, word, GeoPrecision.COUNTRY, sentence, n.start(1)))
                taken.append((n.start(1), n.end(1)))
    for m in _COUNTRY_AS_PLACE.finditer(text):
        if free(m.start(1), m.end(1)):
            code = next(v for k, v in _COUNTRIES_RU.items() if m.group(1).lower().startswith(k))
            found.append(PlaceMention(m.group(1), _COUNTRY_NAMES[code], GeoPrecision.COUNTRY,
                                      sentence, m.start(1), country=code, known=True))
            taken.append((m.start(1), m.end(1)))
    return sorted(found, key=lambda p: p.offset)


# sentence-initial words that are capitalised only because they start it
_COMMON_STARTS = frozenset("""в во на по из с со об о от до для при как это этот эта эти
министерство минобороны ранее также кроме однако при напомним между ситуация""".split())

_PARTY_STEMS = [("армян", "ARM"), ("армени", "ARM"), ("ереван", "ARM"),
                ("азербайджан", "AZE"), ("азерб", "AZE"), ("баку", "AZE"),
                ("карабахск", "NKR"), ("нкр", "NKR"), ("арцах", "NKR"),
                ("пакистан", "PAK"), ("индийск", "IND"), ("инди", "IND"),
                ("российск", "RUS"), ("росси", "RUS"), ("украинск", "UKR"), ("украин", "UKR")]
_FORCE_RU = r"(?:вооруж\w+\s+сил\w*|вс\b|войск\w*|сил\w*|арми\w*|подразделени\w*|сторон\w*|" \
            r"военн\w*|артиллери\w*|ракет\w*|беспилотник\w*|авиаци\w*|удар\w*|обстрел\w*|огн\w*|" \
            r"формировани\w*|военнослужащ\w*|снайпер\w*|пво\b|противовоздушн\w+\s+оборон\w*)"
_ADJ_FORCE_RU = Blind(r"\b(армянск\w*|азербайджанск\w*|карабахск\w*|пакистанск\w*|"
                           r"индийск\w*|российск\w*|украинск\w*)\s+(?:\w+\s+){0,1}" + _FORCE_RU)
_FORCE_OF_RU = Blind(r"\b(?:вооруж\w+\s+сил\w*|вс|войск\w*|арми\w*(?:\s+обороны)?|пво|"
                          r"(?:подразделени\w*|сил\w*|средств\w*)(?:\s+(?:вс|пво|вооруж\w+\s+сил\w*|"
                          r"арми\w*))?|сторон\w*|"
                          r"военн\w*)\s+(?:нагорн\w+\s+|республики\s+)?"
                          r"(армени\w*|азербайджан\w*|пакистан\w*|инди\w*|росси\w*|украин\w*|"
                          r"нкр|карабах\w*)")
_ORIGIN_RU = Blind(r"\bс\s+территори\w+\s+(?:[\w,]+\s+){0,6}?(?:(?:район|област)\w*\s+)?"
                        r"(армени\w*|азербайджан\w*|пакистан\w*|инди\w*|росси\w*|украин\w*)|\bпозици\w*\s+(?:в|на)\s+(?:[\w,]+\s+){0,6}?"
                        r"(?:район\w*|област\w*)\s+(армени\w*|азербайджан\w*|пакистан\w*|инди\w*)")
_STATE_RU = Blind(r"(?:^|[,;:«\"—–-]\s*|\s)(армения|азербайджан|ереван|баку|пакистан|"
                       r"индия|россия|украина)\s+(?:\w+\s+){0,3}(?=(?:нан[её]с|\w+(?:ла|ло|ли|л|ет|ют|ит|"
                       r"ят))\b)")
# "обвинил Армению в обстреле": the party accused of the event
_ACCUSED_RU = Blind(r"\b(?:обвин\w+|возлож\w+ ответственност\w+ (?:за \w+ )?на)\s+"
                         r"(?:(?:вооруж\w+\s+сил\w*|вс|войск\w*|арми\w*|военн\w*|сторон\w*)\s+)?"
                         r"(армени\w*|азербайджан\w*|пакистан\w*|инди\w*|росси\w*|украин\w*|"
                         r"армянск\w*|азербайджанск\w*|пакистанск\w*|индийск\w*|российск\w*|"
                         r"украинск\w*|ереван\w*|баку)\b[^.;]{0,60}$")
_ENEMY_RU = Blind(r"\b(противник\w*|враг\w*|неприятел\w*|противоположн\w+\s+сторон\w*)\b")
_VICTIM_RU = Blind(r"^\s*(?:военнослужащ\w+ (?:погиб|ранен))")
# "позиции азербайджанской армии", "объект ВС Армении": the party that is hit
_VICTIM_BEFORE_RU = Blind(r"(?:позици|объект|техник|пункт|пост|сел|город|территори|"
                               r"военнослужащ|подразделени(?=\w*\s+\w+\s+армии)|"
                               r"опорн)\w*\s+$")


def _party(word: str) -> str | None:
    low = word.lower()
    return next((code for stem, code in _PARTY_STEMS if low.startswith(stem)), None)


_OWNED_DRONE_RU = Blind(r"(?:беспилотн\w*(?:\s+летательн\w*)?(?:\s+аппарат\w*)?|бпла|дрон\w*|"
                             r"самол[её]т\w*|вертол[её]т\w*|ракет\w*|квадрокоптер\w*)\s+$")
_DOWNED_RU = Blind(r"\s*(?:беспилотн|бпла|дрон|самол[её]т|вертол[её]т|ракет|квадрокоптер)")


def perpetrator_ru(text: str, start: int, end: int, speaker: str | None,
                   downed: bool = False) -> Perpetrator | None:
    """The party the words name as doing the event whose trigger is at ``start``; for a
    downed drone or missile (``downed``) the party whose weapon fell is no doer
    ("азербайджанский беспилотник сбит")."""
    lo = max(0, text.rfind(";", 0, start) + 1, start - 160)
    window = text[lo:end]
    candidates: list[tuple[int, int, Perpetrator]] = []
    for rank, pattern, how in ((1, _FORCE_OF_RU, "adjective"), (1, _ADJ_FORCE_RU, "adjective"),
                               (2, _ORIGIN_RU, "origin"), (3, _STATE_RU, "state")):
        for m in pattern.finditer(window):
            if how == "adjective" and (_VICTIM_RU.match(window[m.end():])
                                       or _VICTIM_BEFORE_RU.search(window[:m.start()])):
                continue
            if how == "adjective" and re.match(r"(?:позици|сел|город|территори)",
                                               window[m.end(1):].strip(), re.I):
                continue
            if downed and how == "adjective" and (_DOWNED_RU.match(window, m.end(1)) or
                                                  _OWNED_DRONE_RU.search(window[:m.start()])):
                continue  # "беспилотного летательного аппарата ВС Армении": whose drone fell
            party = _party(next(g for g in m.groups() if g))
            if party:
                at = lo + m.start()
                candidates.append((rank, abs(at - start), Perpetrator(party, m.group(0).strip(
                    " ,;:«\"—–-"), at, how)))
    if (accused := _ACCUSED_RU.search(text, lo, start)) and (party := _party(accused.group(1))):
        candidates.append((0, 0, Perpetrator(party, accused.group(0).split()[1], lo, "accused")))
    if speaker in ADVERSARY:
        for m in _ENEMY_RU.finditer(window):
            at = lo + m.start()
            candidates.append((1, abs(at - start), Perpetrator(ADVERSARY[speaker], m.group(0),
                                                               at, "enemy")))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], c[1]))[2]
