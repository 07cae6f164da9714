"""More shapes of unseen text, through ``extract`` and `truce ingest`, in English and Russian:
a denial that restates the event ("denied that it fired missiles at X"), fire with a word
between "opened" and "fire", troops that come under fire (no perpetrator), explosions
heard, the target of a strike the gazetteer lacks ("shelled X"), a state or its capital
as speaker ("Ереван опроверг"), "назвало ложью", the party accused ("обвинил Армению в
обстреле"), and "заявили в Баку" (officials there, not the place of the event)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.ingest.text import extract
from truce.service.review import list_proposals
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

GANJA, TOVUZ, STEPANAKERT, TARTAR = "gn:586523", "gn:584821", "gn:146970", "gn:584871"
SHUSHA = "gn:147105"
PUBLISHED = date(2020, 10, 20)

# (name, text, [(event type prefix, place key, perpetrator)], [(actor words, stance)])
CASES = [
    ("en: denial with 'it'",
     "Armenia's Defence Ministry on Tuesday denied reports that it had fired missiles at Ganja.",
     [("Explosions", GANJA, "ARM")], [("Defence Ministry", "denies")]),
    ("en: denial of a weak trigger",
     "Baku denied that its army had targeted civilians in Stepanakert.",
     [("Battles", STEPANAKERT, "AZE")], [("Baku", "denies")]),
    ("en: opened unprovoked fire",
     "Indian troops opened unprovoked fire in the Nikial sector on Friday, ISPR said.",
     [("Battles", "unresolved:Nikial", "IND")], []),
    ("en: victims under fire",
     "Ukrainian troops came under fire near Avdiivka, the JFO press centre said.",
     [("Battles", "unresolved:Avdiivka", None)], []),
    ("en: target the gazetteer lacks",
     "Russian forces shelled Avdiivka, the Ukrainian military said.",
     [("Explosions", "unresolved:Avdiivka", "RUS")], []),
    ("en: explosions heard",
     "Explosions were heard in Stepanakert on Monday evening, a correspondent reported.",
     [("Explosions", STEPANAKERT, None)], []),
    ("ru: capital as speaker, denial of an event restated",
     "Ереван опроверг информацию об обстреле Газаха армянскими военными.",
     [("Explosions", "gn:585226", "ARM")], [("Ереван", "denies")]),
    ("ru: called a lie",
     "Минобороны Армении назвало ложью сообщения об обстреле Тертера армянской артиллерией.",
     [("Explosions", TARTAR, "ARM")], [("Минобороны Армении", "denies")]),
    ("ru: the party accused",
     "Азербайджан обвинил Армению в обстреле Гянджи.",
     [("Explosions", GANJA, "ARM")], [("Азербайджан", "attributes")]),
    ("ru: officials in the capital",
     "Гянджа подверглась ракетному удару со стороны вооруженных сил Армении, заявили в Баку.",
     [("Explosions", GANJA, "ARM")], []),
    ("ru: explosions heard",
     "В Степанакерте слышны взрывы, сообщает корреспондент.",
     [("Explosions", STEPANAKERT, None)], []),
    ("ru: weapons used",
     "Враг применил беспилотники против жилых кварталов Шуши, заявили в Армии обороны Карабаха.",
     [("Explosions", SHUSHA, "AZE")], []),
    ("ru: target the gazetteer lacks",
     "Украинские военные обстреляли Горловку, заявили в ДНР.",
     [("Explosions", "unresolved:Горловку", "UKR")], []),
]


@pytest.mark.parametrize("name,text,events,claims", CASES, ids=[c[0] for c in CASES])
def test_extract_reads_the_construction(name, text, events, claims):
    x = extract(text, PUBLISHED, "wire")
    got = [(e.event_type, e.place.key if e.place else None, e.perpetrator) for e in x.events]
    assert len(got) == len(events), (name, got)
    for kind, place, perpetrator in events:
        assert any(t.startswith(kind) and p == place and who == perpetrator
                   for t, p, who in got), (name, got)
    spoken = [(c.actor, c.stance) for c in x.claims if c.basis == "speech"]
    for actor, stance in claims:
        assert any(actor in a and s == stance for a, s in spoken), (name, spoken)


def test_truce_ingest_proposes_the_denied_event_with_the_deniers_side(tmp_path: Path):
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'denial.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    for n, text in enumerate([CASES[0][1], CASES[6][1]]):
        path = tmp_path / f"denial-{n}.txt"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["ingest", str(path), "--published", "2020-10-20",
                                     "--source", "wire", "--db", url])
        assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(url)) as uow:
        proposals = list_proposals(uow, status=None)
    events = [p for p in proposals if p.kind == "event"]
    assert sorted((e.payload["place"]["place_id"], e.payload["perpetrator"]) for e in events) \
        == [("gn:585226", "ARM"), (GANJA, "ARM")]
    denials = [p for p in proposals if p.kind == "claim" and p.payload["stance"] == "denies"]
    assert {d.payload["event_proposal"] for d in denials} == {e.id for e in events}
