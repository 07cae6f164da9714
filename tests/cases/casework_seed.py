"""An agreement, a published strike and the commission seated (ARM, AZE,
mediator) on a live test server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from live import LiveServer

from truce.domain.agreements import Agreement, Term, TermKind
from truce.domain.incidents import Incident, Report
from truce.service.curation import create_from_reports, publish
from truce.service.findings import add_member, set_rules
from truce.service.records import add_agreement, add_report
from truce.store.uow import UnitOfWork

AGREEMENT = "agr-cases"
STRIKE = "inc-cases-strike"


def seed_casework(live: LiveServer) -> None:
    now = datetime.now(UTC)
    moment = now - timedelta(hours=6)
    with UnitOfWork(live.engine, actor="seed") as uow:
        add_agreement(uow, Agreement(id=AGREEMENT, name="Casework truce", parties=("ARM", "AZE"),
                                     start=now - timedelta(days=10), terms=(Term(TermKind.NO_FIRE),)))
        add_report(uow, Report(id="rep-cases-strike", source="s-news", received=moment,
                               summary="A missile strike hit a village near Tartar.", observed_at=moment))
        create_from_reports(uow, Incident(
            id=STRIKE, title="Missile strike near Tartar", event_type="Explosions/Remote violence",
            sub_type="Shelling/artillery/missile attack", start=moment, end=moment + timedelta(minutes=10),
            place_name="Tartar", latitude=40.34, longitude=46.93, country="AZ"), ["rep-cases-strike"], moment)
        publish(uow, STRIKE)
        set_rules(uow, AGREEMENT, now, finding_hours=72, reply_hours=48, request_hours=24)
        for user, seat in (("liaison-arm", "ARM"), ("liaison-aze", "AZE"), ("admin1", "mediator")):
            add_member(uow, AGREEMENT, user, seat, now)
        uow.commit()
