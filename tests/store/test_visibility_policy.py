"""The visibility policy's two forms agree: for every reader, the records the
SQL clause selects are those the predicate admits, on every status of every
kind of record, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from record_factories import MOMENT, make_incident
from truce.domain.actors import Actor, Party, Source, SourceKind
from truce.domain.claims import Claim, ClaimStatus, Proposition, Stance
from truce.domain.incidents import Report, Status
from truce.service.records import add_claim, add_incident, add_party_actor_source, add_report
from truce.store import tables as t
from truce.store.uow import UnitOfWork
from truce.store.visibility import MISSION, PUBLIC, Visibility

READERS = {
    "public": PUBLIC, "observer": Visibility("observer", "obs-1"), "other observer": Visibility("observer", "obs-2"),
    "liaison ARM": Visibility("liaison", "li-arm", "ARM"), "liaison AZE": Visibility("liaison", "li-aze", "AZE"),
    "analyst": MISSION, "admin": Visibility("admin", "adm-1"),
}


@pytest.fixture
def store(engine):
    with UnitOfWork(engine, actor="test") as uow:
        for party in ("ARM", "AZE"):
            add_party_actor_source(uow, Party(party, party))
            add_party_actor_source(uow, Actor(f"{party}-mod", f"{party} MoD", "ministry", party))
        add_party_actor_source(uow, Source("s-news", "Wire", SourceKind.NEWS, published=MOMENT))
        add_party_actor_source(uow, Source("s-obs", "Mission observers", SourceKind.OBSERVER))
        for status in Status:
            iid = f"inc-{status.value}"
            add_incident(uow, make_incident(id=iid, status=status), MOMENT)
            for party in ("ARM", "AZE"):
                for claim_status in ClaimStatus:
                    add_claim(uow, Claim(f"c-{status.value}-{party}-{claim_status.value}", f"{party}-mod",
                                         Stance.ASSERTS, Proposition.HAPPENED, incident=iid, source="s-news",
                                         status=claim_status), MOMENT)
            for observer in ("obs-1", "obs-2"):
                rid = f"rep-{status.value}-{observer}"
                add_report(uow, Report(id=rid, source="s-obs", received=MOMENT, summary="seen",
                                       observer=observer, latitude=40.1, longitude=45.1))
                uow.incidents.link_report(iid, rid)
        for observer in ("obs-1", "obs-2"):
            add_report(uow, Report(id=f"rep-unlinked-{observer}", source="s-obs",
                                   received=MOMENT + timedelta(minutes=1), summary="alone", observer=observer))
        uow.commit()
    return engine


@pytest.mark.parametrize("reader", list(READERS))
def test_sql_and_predicate_agree_on_every_record(store, reader):
    seen = READERS[reader]
    with store.connect() as c:
        incidents = {r.id: r.status for r in c.execute(select(t.incidents.c.id, t.incidents.c.status))}
        claims = c.execute(select(t.claims, t.actors.c.party_id).join(
            t.actors, t.actors.c.id == t.claims.c.actor_id)).mappings().all()
        sql_incidents = {i for (i,) in c.execute(select(t.incidents.c.id).where(seen.incidents_sql()))}
        sql_claims = {i for (i,) in c.execute(select(t.claims.c.id).where(seen.claims_sql()))}
        sql_reports = {i for (i,) in c.execute(select(t.reports.c.id).where(seen.reports_sql()))}
        sql_full = {i for (i,) in c.execute(select(t.reports.c.id).where(seen.report_in_full_sql()))}
    assert sql_incidents == {i for i, s in incidents.items() if seen.incident(s)}
    assert sql_claims == {r["id"] for r in claims if seen.claim(
        Claim(r["id"], r["actor_id"], Stance.ASSERTS, Proposition.HAPPENED, status=ClaimStatus(r["status"])),
        r["party_id"], incidents[r["incident_id"]])}
    with UnitOfWork(store) as uow:
        every = uow.reports.list(seen_by=None)
        behind = {r.id for r in every if any(
            incidents[i] == "published" for i in _linked(uow, r.id))}
    assert sql_reports == {r.id for r in every if seen.report(r, r.id in behind)}
    assert sql_full == {r.id for r in every if seen.report_in_full(r)}


def _linked(uow: UnitOfWork, report_id: str) -> list[str]:
    return uow.reports.incident_ids(report_id, MISSION)


def test_the_rules_themselves(store):
    """What each reader sees, spelled out for the cases the rules name."""
    with store.connect() as c:
        def claims(seen: Visibility) -> set[str]:
            return {i for (i,) in c.execute(select(t.claims.c.id).where(seen.claims_sql()))}

        public, arm = claims(PUBLIC), claims(READERS["liaison ARM"])
        mission, admin = claims(MISSION), claims(READERS["admin"])
        reports = {i for (i,) in c.execute(select(t.reports.c.id).where(READERS["observer"].reports_sql()))}
    assert "c-published-AZE-published" in public and "c-published-AZE-discounted" in public
    assert not {i for i in public if "submitted" in i or "rejected" in i or "-draft-" in i or "-merged-" in i}
    assert "c-published-ARM-submitted" in arm and "c-published-ARM-rejected" in arm
    assert "c-published-AZE-submitted" not in arm and "c-draft-ARM-submitted" not in arm
    assert mission == admin and len(mission) == 3 * 2 * len(ClaimStatus)
    assert {"rep-unlinked-obs-1", "rep-draft-obs-1", "rep-published-obs-2"} <= reports
    assert not {"rep-unlinked-obs-2", "rep-draft-obs-2"} & reports
    with UnitOfWork(store) as uow:
        (other,) = [r for r in uow.reports.for_incident("inc-published", seen_by=READERS["observer"])
                    if r.id == "rep-published-obs-2"]
    assert other.observer is None and other.latitude is None
