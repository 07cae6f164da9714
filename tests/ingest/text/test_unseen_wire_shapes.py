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
    ("ru: a region told first is where the settlements named next lie",
     "Минобороны Армении обвинило Азербайджан в нанесении ракетных ударов по нескольким населенным "
     "пунктам в Нагорном Карабахе. «Противник наносит ракетные удары по городам Мартуни, Шуши», — "
     "говорится в сообщении ведомства.",
     [("Explosions", KARABAKH_MARTUNI, "AZE"), ("Explosions", SHUSHA, "AZE")]),
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
    ("ru: villages of a section, fire towards positions there",
     "ВС Азербайджана открыли огонь в направлении позиций на участке Тонашена и Тагаварда.",
     [("Battles", "unresolved:Тонашена", "AZE"), ("Battles", "unresolved:Тагаварда", "AZE")]),
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


# through the service: `truce ingest` and `POST /api/ingest`, English and Russian
SERVICE_CASES = [c for c in CASES if any(c[0].startswith(p) for p in (
    "en: a shared name", "ru: a region told first", "ru: monitors' counts",
    "ru: a passive's listed", "ru: a drone destroyed", "en: a party's possessive",
    "en: a ceasefire violated"))]


def _proposed_events(proposals) -> list[tuple[str, str | None, str | None]]:
    return [(p["event_type"] or p["kind"], (p["place"] or {}).get("place_id") or (
        f"unresolved:{p['place']['name']}" if p["place"] else None), p["perpetrator"])
        for p in proposals]


def _assert_read(name: str, got: list, events: list) -> None:
    assert len(got) == len(events), (name, got)
    for kind, place, perpetrator in events:
        assert any(t.startswith(kind) and p == place and who == perpetrator
                   for t, p, who in got), (name, got)


def test_truce_ingest_reads_the_shapes(tmp_path):
    from typer.testing import CliRunner

    from truce.cli import app
    from truce.service.review import list_proposals
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'shapes.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    for n, (name, text, events) in enumerate(SERVICE_CASES):
        path = tmp_path / f"shape-{n}.txt"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["ingest", str(path), "--published", "2020-10-20",
                                     "--source", f"wire {n}", "--db", url])
        assert result.exit_code == 0, result.output
        with UnitOfWork(make_engine(url)) as uow:
            proposals = [p.payload for p in list_proposals(uow, status=None)
                         if p.kind == "event" and p.sentence in text]
        _assert_read(name, _proposed_events(proposals), events)
    path = tmp_path / "truce.txt"
    path.write_text(AGREEMENTS[1][1], encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--published", "2020-11-10",
                                 "--source", "wire", "--db", url])
    assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(url)) as uow:
        agreed = [p.payload for p in list_proposals(uow, status=None) if p.kind == "agreement"]
    assert [a["start"] for a in agreed] == ["2020-11-10T00:00:00+03:00"]


def test_post_api_ingest_reads_the_shapes(tmp_path):
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from truce.api.app import create_app
    from truce.cli import app
    from truce.service.tokens import load_token_key, token_key_path
    from truce.service.users import add_user
    from truce.settings import Settings
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    url = f"sqlite:///{tmp_path / 'api.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    with UnitOfWork(make_engine(url)) as uow:
        _user, token = add_user(uow, "analyst1", "analyst", datetime.now(UTC),
                                token_key=load_token_key(token_key_path(url)))
        uow.commit()
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        for n, (name, text, events) in enumerate(SERVICE_CASES):
            response = client.post("/api/ingest", json={
                "text": text, "published": "2020-10-20", "source": f"wire {n}",
                "new_source": True})
            assert response.status_code == 201, response.text
            proposals = [p["payload"] for p in response.json()["data"] if p["kind"] == "event"]
            _assert_read(name, _proposed_events(proposals), events)
        response = client.post("/api/ingest", json={
            "text": AGREEMENTS[0][1], "published": "2020-10-17", "source": "AFP",
            "new_source": True})
        assert response.status_code == 201, response.text
        agreed = [p["payload"] for p in response.json()["data"] if p["kind"] == "agreement"]
        assert [a["start"] for a in agreed] == ["2020-10-18T00:00:00+04:00"]


SPEAKERS = [
    ("ru: 'сказал' and 'утверждает' report speech",
     "Пресс-секретарь Министерства обороны Армении Арам Торосян сказал, что 14 сентября "
     "азербайджанская сторона применила беспилотники. Пресс-служба оборонного ведомства "
     "Азербайджана в свою очередь утверждает, что ВС Армении обстреливают позиции.",
     [("Арам Торосян", "asserts"), ("Пресс-служба оборонного ведомства Азербайджана", "asserts")]),
    ("ru: 'согласно заявлению' a person, named in the nominative",
     "Согласно заявлению пресс-секретаря главы НКР Ваграма Погосяна, в ночь на 11 октября "
     "азербайджанские войска обстреляли Степанакерт.", [("Ваграм Погосян", "asserts")]),
    ("en: an acronym and its full name are one speaker",
     "Indian troops violated the ceasefire in Chirikot sector, the Inter-Services Public "
     "Relations said on Sunday. The ISPR said that the Indian side targeted civilians.",
     [("Inter-Services Public Relations", "asserts")]),
    ("en: an acronym the text defines is the speaker's full name",
     "Indian troops resorted to an unprovoked ceasefire violation, Inter Services Public Relation "
     "(ISPR) stated. The Indian soldiers targeted the civilian population, the ISPR added.",
     [("Inter Services Public Relation", "asserts")]),
]


@pytest.mark.parametrize("name,text,claims", SPEAKERS, ids=[c[0] for c in SPEAKERS])
def test_speakers(name, text, claims):
    spoken = [(c.actor, c.stance) for c in extract(text, PUBLISHED, "wire").claims
              if c.basis == "speech"]
    assert len(spoken) == len(claims), (name, spoken)
    for actor, stance in claims:
        assert any(actor in a and s == stance for a, s in spoken), (name, spoken)
