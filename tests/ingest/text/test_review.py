"""The review queue: proposals wait; accept, edit and reject are one ledgered action each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from truce.domain.exceptions import Conflict, ValidationError
from truce.domain.incidents import Incident, Report, Status
from truce.domain.precision import GeoPrecision
from truce.service.curation import create_from_reports
from truce.service.records import add_report
from truce.service.review import (
    accept_proposal,
    edit_and_accept,
    get_proposal,
    ingest_text,
    list_proposals,
    reject_proposal,
)
from truce.settings import get_settings
from truce.store import ledger
from truce.store import tables as t
from truce.store.uow import UnitOfWork
from truce.store.visibility import MISSION

NOW = datetime(2020, 10, 15, 12, tzinfo=UTC)
TEXT = ("Yesterday, the Azerbaijani Defense Ministry said that artillery shelled Tartar.\n\n"
        "The capital, Stepanakert, was calm.\n\nMore than 600 people have died since the start.")


def ingest(engine, fake, text: str = TEXT) -> list[str]:
    with UnitOfWork(engine, actor="tester") as uow:
        ids = ingest_text(uow, text, date(2020, 10, 15), "AFP", NOW, extractor=fake)
        uow.commit()
    return ids


def actions(engine) -> list[str]:
    with engine.connect() as conn:
        return [a for (a,) in conn.execute(select(t.ledger.c.action).order_by(t.ledger.c.seq))]


def by_kind(engine, kind: str):
    with UnitOfWork(engine) as uow:
        return [p for p in list_proposals(uow) if p.kind == kind]


def test_ingesting_stores_pending_proposals_each_ledgered_and_nothing_else(db, fake):
    ids = ingest(db, fake)
    with UnitOfWork(db) as uow:
        proposals = list_proposals(uow)
        assert [p.id for p in proposals] == ids
        assert {p.kind for p in proposals} == {"event", "claim", "figure"}
        assert all(p.status == "pending" and p.sentence for p in proposals)
        assert uow.incidents.count() == 0 and uow.claims.count() == 0
    assert actions(db).count("proposal.add") == len(ids)


def test_accepting_an_event_creates_a_draft_incident_with_its_report(db, fake):
    ingest(db, fake)
    event = next(p for p in by_kind(db, "event") if p.payload["kind"] == "incident")
    with UnitOfWork(db, actor="analyst") as uow:
        incident_id = accept_proposal(uow, event.id, "analyst", NOW)
        uow.commit()
    with UnitOfWork(db) as uow:
        incident = uow.incidents.get(incident_id)
        assert incident.status is Status.DRAFT and incident.place == "gn:584871"
        assert incident.start.astimezone(get_settings().tz).date() == date(2020, 10, 14)
        decided = get_proposal(uow, event.id)
        assert (decided.status, decided.decided_by, decided.result_id) == (
            "accepted", "analyst", incident_id)
        assert len(uow.incidents.report_ids(incident_id)) == 1
    assert "proposal.accept" in actions(db)
    with db.connect() as conn:
        assert ledger.verify(conn).ok


def test_an_accepted_claim_joins_the_incident_its_event_became(db, fake):
    ingest(db, fake)
    event = next(p for p in by_kind(db, "event") if p.payload["kind"] == "incident")
    (claim,) = by_kind(db, "claim")
    with UnitOfWork(db) as uow:
        incident_id = accept_proposal(uow, event.id, "analyst", NOW)
        claim_id = accept_proposal(uow, claim.id, "analyst", NOW)
        uow.commit()
    with UnitOfWork(db) as uow:
        (stored,) = uow.claims.for_incidents([incident_id], seen_by=MISSION)[incident_id]
        assert stored.id == claim_id and stored.stance.value == "asserts"


def test_an_event_matching_a_stored_incident_links_to_it_instead_of_a_second_one(db, fake):
    with UnitOfWork(db) as uow:
        from truce.domain.actors import Source, SourceKind
        from truce.service.records import add_party_actor_source

        add_party_actor_source(uow, Source(id="s-obs", name="observers", kind=SourceKind.OBSERVER))
        report = Report(id="rep-obs", source="s-obs", received=NOW, summary="Shells in Tartar")
        add_report(uow, report)
        start = datetime(2020, 10, 14, 9, tzinfo=UTC)
        create_from_reports(uow, Incident(
            id="inc-tartar", title="Shelling of Tartar", event_type="Explosions/Remote violence",
            start=start, end=start + timedelta(hours=2), latitude=40.35, longitude=46.95,
            geo_precision=GeoPrecision.NEAR, country="AZ"), ["rep-obs"], NOW)
        uow.commit()
    ingest(db, fake)
    event = next(p for p in by_kind(db, "event") if p.payload["kind"] == "incident")
    assert event.payload["link"] == "inc-tartar"
    with UnitOfWork(db) as uow:
        assert accept_proposal(uow, event.id, "analyst", NOW) == "inc-tartar"
        assert len(uow.incidents.report_ids("inc-tartar")) == 2
        assert uow.incidents.count() == 1


def test_edit_and_accept_applies_the_analysts_correction(db, fake):
    ingest(db, fake)
    event = next(p for p in by_kind(db, "event") if p.payload["kind"] == "incident")
    with UnitOfWork(db) as uow:
        incident_id = edit_and_accept(uow, event.id, {"start": "2020-10-13"}, "analyst", NOW)
        assert uow.incidents.get(incident_id).start.astimezone(get_settings().tz).date() == date(2020, 10, 13)
        with pytest.raises(ValidationError):
            edit_and_accept(uow, by_kind(db, "claim")[0].id, {"colour": "red"}, "analyst", NOW)


def test_rejecting_keeps_the_proposal_on_record_and_a_second_decision_conflicts(db, fake):
    ingest(db, fake)
    figure = by_kind(db, "figure")[0]
    assert (figure.payload["value"], figure.payload["meaning"]) == (600, "lower_bound")
    with UnitOfWork(db) as uow:
        reject_proposal(uow, figure.id, "analyst", NOW, "cumulative toll, not this incident")
        uow.commit()
    with UnitOfWork(db) as uow:
        assert get_proposal(uow, figure.id).status == "rejected"
        with pytest.raises(Conflict):
            accept_proposal(uow, figure.id, "analyst", NOW)
    assert "proposal.reject" in actions(db)


def test_bad_input_is_refused_and_nothing_is_written(db, fake):
    with UnitOfWork(db) as uow:
        with pytest.raises(ValidationError, match="language"):
            ingest_text(uow, TEXT, date(2020, 10, 15), "AFP", NOW, language="fr", extractor=fake)
        with pytest.raises(ValidationError, match="empty"):
            ingest_text(uow, "  ", date(2020, 10, 15), "AFP", NOW, extractor=fake)
    with UnitOfWork(db) as uow:
        assert list_proposals(uow, status=None) == []
