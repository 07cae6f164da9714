"""Shapes of wire copy and party statements met on unseen text (the second dev set,
``real_dev2.jsonl``), each read by a general rule; English and Russian, through
``extract``, ``truce ingest`` and ``POST /api/ingest``."""

from __future__ import annotations

from datetime import date

import pytest

from truce.ingest.text import extract

PUBLISHED = date(2020, 10, 20)
STEPANAKERT, SHUSHA, KARABAKH_MARTUNI = "gn:146970", "gn:147105", "gn:146969"

# name, text, [(event type prefix, place key, perpetrator)]
CASES = [
    ("en: a shared name is the one near the text's other places",
     "Fighting continued in Shushi and Askeran. Heavy clashes also took place in Martuni.",
     [("Battles", SHUSHA, None), ("Battles", "gn:148450", None),
      ("Battles", KARABAKH_MARTUNI, None)]),
    ("ru: a shared name is the one near the text's other places",
     "«Противник наносит ракетные удары по городам Мартуни, Шуши», — говорится в сообщении "
     "Минобороны Армении.",
     [("Explosions", KARABAKH_MARTUNI, "AZE"), ("Explosions", SHUSHA, "AZE")]),
    ("en: a title-case dateline, a clock time mid-sentence, sectors of a district",
     "Jammu, July 2: Pakistan violated the ceasefire in two sectors of J&K's Poonch district, "
     "using automatic gunfire and mortar shelling. \"At about 9.30 a.m. Pakistan initiated "
     "unprovoked ceasefire violation by firing with small arms and shelling with mortars along "
     "the LoC in Shahpur and Kirni sectors of Poonch district,\" the spokesman said.",
     [("Explosions", "unresolved:Shahpur", "PAK"), ("Explosions", "unresolved:Kirni", "PAK")]),
    ("en: a year's count of violations to date is a figure, not an event",
     "So far in 2020, more than 2,700 ceasefire violations have been reported.", []),
    ("ru: monitors' counts per region named by the adjective of its centre",
     "В Донецкой области Миссия зафиксировала 55 нарушений режима прекращения огня, в том числе "
     "12 взрывов. В Луганской области СММ зафиксировала 2 нарушения режима прекращения огня.",
     [("Battles", "unresolved:Донецк", None), ("Battles", "unresolved:Луганск", None)]),
    ("ru: a passive's listed subjects are the targets, the listed origins are not",
     "Товузский, Гедабейский и Дашкесанский районы Азербайджана с утра были обстреляны с "
     "территории Бердского, Чамбаракского и Варденисского районов Армении.",
     [("Explosions", "gn:584821", "ARM"), ("Explosions", "gn:586573", "ARM"),
      ("Explosions", "gn:586765", "ARM")]),
    ("ru: fire from positions near one village towards another",
     "Подразделения ВС Армении вели огонь с позиций близ села Нораван в направлении села "
     "Ахмедлы Лачинского района.",
     [("Battles", "unresolved:Ахмедлы", "ARM")]),
    ("ru: villages of a section, in the genitive, keyed in the nominative",
     "ВС Азербайджана открыли огонь в направлении позиций на участке Тонашена и Тагаварда.",
     [("Battles", "unresolved:Тонашен", "AZE"), ("Battles", "unresolved:Тагавард", "AZE")]),
    ("ru: an attack from the air is remote violence",
     "Несмотря на режим прекращения огня, Степанакерт вечером в субботу был атакован с воздуха.",
     [("Explosions", STEPANAKERT, None)]),
    ("ru: a drone destroyed by air defence: the downer is the doer, not the drone's owner",
     "\"11 октября около 08.00 беспилотный летательный аппарат Армении, предпринявший попытку "
     "полета в Мингячевирском направлении, был уничтожен подразделениями ПВО Азербайджана\", - "
     "сообщает пресс-служба оборонного ведомства.",
     [("Strategic developments", "gn:585514", "AZE")]),
    ("ru: no wish to stop the fighting is no fighting",
     "Представитель минобороны Армении Арцрун Ованнисян заявил, что у Баку нет желания "
     "прекратить боевые действия.", []),
    ("ru: a state shelling, its verb a few words on",
     "Азербайджан в течение дня обстреливал из ракетных систем «Град» и «Смерч» город Мартуни и "
     "Степанакерт, сообщает карабахская Госслужба по чрезвычайным ситуациям.",
     [("Explosions", KARABAKH_MARTUNI, "AZE"), ("Explosions", STEPANAKERT, "AZE")]),
    ("en: a party's possessive before an adjective and the weapon names the doer",
     "At least eight civilians were killed in Armenia's overnight missile attack on Ganja.",
     [("Explosions", "gn:586523", "ARM")]),
    ("en: a ceasefire violated, in the passive, by a party",
     "The ceasefire was violated again by Pakistan in Nowshera sector of Rajouri at about 5:30am.",
     [("Battles", "unresolved:Nowshera", "PAK")]),
    ("en: a drone used to drop a round, near a place; 'the enemy' of the JFO",
     "Near Popasna the enemy used an unmanned aerial vehicle to drop a VOG-17 round over the "
     "positions of the Joint Forces, the JFO headquarters said.",
     [("Explosions", "unresolved:Popasna", "RUS")]),
    ("en: no shelling recorded is calm, not shelling",
     "Since the beginning of the current day no shelling has been recorded, the press center "
     "said.", [("situation", None, None)]),
]


def _events(text: str, published: date = PUBLISHED) -> list[tuple[str, str | None, str | None]]:
    x = extract(text, published, "wire")
    return [(e.event_type or e.kind, e.place.key if e.place else None, e.perpetrator)
            for e in x.events]


@pytest.mark.parametrize("name,text,events", CASES, ids=[c[0] for c in CASES])
def test_extract_reads_the_shape(name, text, events):
    got = _events(text)
    assert len(got) == len(events), (name, got)
    for kind, place, perpetrator in events:
        assert any(t.startswith(kind) and p == place and who == perpetrator
                   for t, p, who in got), (name, got)


def test_russian_monitors_report_counts_the_day_before_its_date():
    x = extract("В Донецкой области миссия зафиксировала 279 нарушений режима прекращения огня, "
                "говорится в отчете спецмиссии от 21 апреля.", date(2021, 4, 22), "wire")
    (event,) = x.events
    assert event.start == date(2021, 4, 20) and event.end == date(2021, 4, 21)


AGREEMENTS = [
    ("en: a truce 'from midnight', then its day and time written",
     "Armenia and Azerbaijan said on Saturday they had agreed to declare a humanitarian truce "
     "from midnight. \"The Republic of Armenia and the Republic of Azerbaijan have agreed to a "
     "humanitarian truce as of October 18, 00h00 local time,\" Armenia's foreign ministry said.",
     date(2020, 10, 17), ["2020-10-18T00:00:00+04:00"]),
    ("ru: a ceasefire that began at a time in Moscow time",
     "Полное прекращение огня в Нагорном Карабахе началось с 00:00 мск 10 ноября, заявил "
     "президент Владимир Путин.", date(2020, 11, 10), ["2020-11-10T00:00:00+03:00"]),
    ("ru: a truce told of in a report of its violation is no agreement",
     "Минобороны Азербайджана сообщает, что, несмотря на объявленный с 08:00 гуманитарный режим "
     "прекращения огня, ВС Армении подвергают артиллерийскому обстрелу села Агдамского района.",
     date(2020, 10, 26), []),
]


@pytest.mark.parametrize("name,text,published,starts", AGREEMENTS,
                         ids=[a[0] for a in AGREEMENTS])
def test_agreement_starts(name, text, published, starts):
    x = extract(text, published, "wire")
    assert [a.start.isoformat() for a in x.agreements] == starts, name
