"""One schema per proposal kind: what the text pipeline proposes passes it, an
analyst's bad edit of a claim or an agreement is refused naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from truce.domain.actors import Party
from truce.domain.exceptions import ValidationError
from truce.service.proposal_payloads import checked_payload
from truce.service.records import add_party_actor_source
from truce.service.review import edit_and_accept, get_proposal, ingest_text, list_proposals
from truce.store.uow import UnitOfWork

NOW = datetime(2020, 10, 15, 12, tzinfo=UTC)
TEXT = ("Yesterday, the Azerbaijani Defense Ministry said that artillery shelled Tartar.\n\n"
        "The capital, Stepanakert, was calm.\n\nMore than 600 people have died since the start.")


def test_every_proposal_the_pipeline_makes_passes_its_kinds_schema(db, fake):
    with UnitOfWork(db, actor="tester") as uow:
        ingest_text(uow, TEXT, date(2020, 10, 15), "AFP", NOW, extractor=fake)
        proposals = list_proposals(uow)
    assert {p.kind for p in proposals} >= {"event", "claim", "figure"}
    for p in proposals:
        assert checked_payload(p.kind, p.payload) == p.payload, p.kind


@pytest.mark.parametrize("kind, payload, field", [
    ("agreement", {"name": "Truce", "start": "2020-10-10T12:00:00+03:00", "parties": []}, "parties"),
    ("agreement", {"name": "Truce", "start": "0001-01-01T00:00:00+00:00", "parties": ["ARM"]}, "start"),
    ("agreement", {"name": "Truce", "start": "2020-10-10T12:00", "parties": ["ARM"]}, "start"),
    ("agreement", {"name": "Truce", "start": "2020-10-10T12:00:00+03:00", "parties": ["ARM"],
                   "terms": [{"kind": "no_fire", "km": float("inf")}]}, "terms.0.km"),
    ("claim", {"actor": "MoD", "stance": "shouts", "proposition": "happened"}, "stance"),
    ("claim", {"actor": "", "stance": "asserts", "proposition": "happened"}, "actor"),
    ("figure", {"value": -1}, "value"),
    ("translation", {"language": "hy", "places": "x"}, "places"),
])
def test_a_payload_off_its_kinds_schema_is_refused_naming_the_field(kind, payload, field):
    with pytest.raises(ValidationError) as refused:
        checked_payload(kind, payload)
    assert refused.value.field == field


def test_a_claim_blaming_an_unknown_party_is_refused_and_stays_pending(db, fake):
    with UnitOfWork(db, actor="tester") as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan")):
            add_party_actor_source(uow, party)
        ingest_text(uow, TEXT, date(2020, 10, 15), "AFP", NOW, extractor=fake)
        uow.commit()
    with UnitOfWork(db) as uow:
        claim = next(p for p in list_proposals(uow) if p.kind == "claim")
    for edits, field in (({"party": "XYZ"}, "party"), ({"event_proposal": "prop-nope"}, "event_proposal"),
                         ({"stance": "bogus"}, "stance")):
        with UnitOfWork(db, actor="analyst") as uow, pytest.raises(ValidationError) as refused:
            edit_and_accept(uow, claim.id, edits, "analyst", NOW)
        assert refused.value.field == field
        with UnitOfWork(db) as uow:
            assert get_proposal(uow, claim.id).status == "pending"
