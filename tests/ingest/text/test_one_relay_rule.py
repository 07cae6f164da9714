"""One rule for where a text's facts come from (ingest.text.origins): the same
outlet lexicon names the relays an accepted record cites and keeps an outlet's
"reports" out of the claims, in English and Russian."""

from __future__ import annotations

from datetime import UTC, date, datetime

from truce.ingest.text import extract
from truce.service.review import accept_proposal, ingest_text, list_proposals
from truce.store.uow import UnitOfWork

NOW = datetime(2020, 10, 15, 12, tzinfo=UTC)
SHELLED = "Artillery shelled Tartar yesterday, Trend reports."


def accepted_source(engine, fake, outlet: str) -> str:
    with UnitOfWork(engine, actor="tester") as uow:
        ingest_text(uow, SHELLED, date(2020, 10, 15), outlet, NOW, extractor=fake)
        (event,) = [p for p in list_proposals(uow) if p.kind == "event"]
        assert event.payload["relays"] == ["Trend"]
        incident = accept_proposal(uow, event.id, "analyst", NOW)
        (report_id,) = uow.incidents.report_ids(incident)
        source = uow.directory.get_source(uow.reports.get(report_id).source)
        uow.commit()
    return source.name


def test_an_outlet_reporting_is_relayed_by_whoever_repeats_it_and_is_no_claim(db, fake):
    assert accepted_source(db, fake, "Gulf News").startswith("Gulf News relaying Trend")
    found = extract(SHELLED, date(2020, 10, 15), "Gulf News", extractor=fake)
    assert [r.outlet for r in found.relays] == ["Trend"]
    assert not [c for c in found.claims if c.actor == "Trend"]


def test_an_outlet_naming_itself_relays_nothing(db, fake):
    assert accepted_source(db, fake, "Trend") == "Trend"


def test_a_russian_relay_is_found_by_the_same_rule(fake):
    found = extract("Артиллерия обстреляла Тертер, передает ТАСС.", date(2020, 10, 15), "Lenta",
                    extractor=fake, language="ru")
    assert [r.outlet for r in found.relays] == ["ТАСС"]
    assert not [c for c in found.claims if "ТАСС" in c.actor]
