"""Repositories and the unit of work, on SQLite and on PostgreSQL+PostGIS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from record_factories import (
    MOMENT,
    make_actor,
    make_claim,
    make_incident,
    make_party,
    make_report,
    make_source,
)
from truce.domain.exceptions import Conflict
from truce.domain.grades import Grade
from truce.domain.places import Place
from truce.service.incidents import make_filter
from truce.service.records import add_claim, add_incident, add_party_actor_source, add_report
from truce.store import ledger, tables
from truce.store.uow import UnitOfWork


def seed(engine) -> None:
    with UnitOfWork(engine, actor="test") as uow:
        for record in (make_party(), make_party("ARM", "Armenia"), make_actor(),
                       make_actor("arm-mod", "ARM", "Ministry of Defence of Armenia"), make_source()):
            add_party_actor_source(uow, record)
        add_party_actor_source(uow, make_source("s-afp", kind=make_source().kind.NEWS,
                                                affiliation=None, repeats="s-aze-mod"))
        add_incident(uow, make_incident(), MOMENT)
        add_report(uow, make_report())
        uow.incidents.link_report("inc-1", "rep-1")
        add_claim(uow, make_claim(source="s-aze-mod", value="AZE"), MOMENT)
        uow.commit()


def test_incident_round_trips_with_time_zone_and_enums(engine):
    seed(engine)
    with UnitOfWork(engine) as uow:
        incident = uow.incidents.get("inc-1")
    assert incident == make_incident()
    assert incident.start.utcoffset() == timedelta(0)


def test_uncommitted_unit_of_work_writes_nothing(engine):
    with UnitOfWork(engine) as uow:
        add_party_actor_source(uow, make_party())
    with UnitOfWork(engine) as uow:
        assert uow.directory.parties() == []
        assert uow.ledger_head()[0] == 0


def test_report_retry_with_same_content_is_stored_once(engine):
    seed(engine)
    with UnitOfWork(engine) as uow:
        first = uow.reports.content_hash("rep-1")
        again = add_report(uow, make_report(received=MOMENT + timedelta(days=2)))
        uow.commit()
    assert again == first
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(tables.reports)).scalar_one() == 1


def test_report_with_same_id_and_other_content_is_a_conflict(engine):
    seed(engine)
    with UnitOfWork(engine) as uow, pytest.raises(Conflict, match="different content"):
        add_report(uow, make_report(summary="Something else entirely."))


def test_database_refuses_to_update_or_delete_a_report(engine):
    seed(engine)
    for statement in ("UPDATE reports SET summary = 'rewritten'", "DELETE FROM reports"):
        with engine.connect() as c, pytest.raises((DBAPIError, IntegrityError), match="immutable"):
            c.execute(text(statement))
    with UnitOfWork(engine) as uow:
        assert uow.reports.get("rep-1").summary == "Two launchers hit."


def test_correction_is_a_new_report_naming_the_old_one(engine):
    seed(engine)
    with UnitOfWork(engine) as uow:
        add_report(uow, make_report("rep-2", summary="Three launchers hit.", corrects="rep-1"))
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.reports.get("rep-2").corrects == "rep-1"
        assert uow.reports.get("rep-1").summary == "Two launchers hit."


def test_filters_select_by_period_type_party_place_and_grade(engine):
    seed(engine)
    with UnitOfWork(engine) as uow:
        add_incident(uow, make_incident("inc-2", start=MOMENT + timedelta(days=3),
                                        event_type="Battles", sub_type="Armed clash",
                                        place_name="Fuzuli"), MOMENT)
        uow.incidents.set_grade("inc-1", Grade.CONTESTED, ["one party asserts, the other denies"])
        uow.commit()
    from datetime import date

    with UnitOfWork(engine) as uow:
        def ids(**kw):
            return [i.id for i in uow.incidents.list(make_filter(**kw))]

        assert ids(start=date(2020, 10, 14), end=date(2020, 10, 14)) == ["inc-1"]
        assert ids(event_type="Battles") == ["inc-2"]
        assert ids(party="AZE") == ["inc-1"]
        assert ids(party="ARM") == []
        assert ids(place="vardenis") == ["inc-1"]
        assert ids(grade="contested") == ["inc-1"]


def test_place_search_key_ignores_case_accents_and_apostrophes(engine):
    place = Place(id="gn:1", name="Khankendi", latitude=39.8153, longitude=46.7519, country="AZ",
                  alternatenames=("Stepanakert", "Stepʻanakert", "Степанакерт"))
    with UnitOfWork(engine) as uow:
        uow.places.add_many([place])
        uow.commit()
    with UnitOfWork(engine) as uow:
        for spelling in ("STEPANAKERT", "Step'anakert", "Степанакерт", "khankendi"):
            assert [p.id for p in uow.places.find_exact(spelling)] == ["gn:1"], spelling


def test_every_write_is_in_a_verifying_ledger(engine):
    seed(engine)
    with engine.connect() as c:
        check = ledger.verify(c)
        actions = [a for (a,) in c.execute(select(tables.ledger.c.action).order_by(tables.ledger.c.seq))]
    assert check.ok, check.reason
    # what people did (9 actions), and each row written as committed
    intents = [a for a in actions if not a.startswith("row.")]
    assert check.entries == len(actions) and len(intents) == 9
    assert actions.count("row.insert") == len(actions) - 9
    assert actions.count("report.add") == 1 and actions.count("claim.add") == 1
