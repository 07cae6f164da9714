"""Deadlines of the joint commission under a controllable clock: every use
case takes ``now``; an overdue case raises one ``case_overdue`` alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from truce.domain.actors import Party
from truce.domain.agreements import Agreement
from truce.domain.alerts import AlertKind
from truce.domain.exceptions import Conflict, PermissionDenied
from truce.service import cases, findings
from truce.service.alerts import list_alerts, raise_alerts
from truce.service.case_board import list_cases
from truce.service.records import add_agreement, add_party_actor_source
from truce.service.users import Principal, Role, add_user
from truce.store.uow import UnitOfWork
from truce.store.visibility import MISSION

T0 = datetime(2020, 10, 15, 9, 0, tzinfo=UTC)
ALLEGATION = {"at": "2020-10-15T06:00:00+04:00", "place": "Martuni", "what": "Mortar fire on houses."}


@pytest.fixture
def world(engine):
    """On SQLite and PostgreSQL: two parties, an agreement with a 72 h finding deadline, a liaison
    per party, an analyst and a mediator (an admin) on the commission."""
    people = {}
    with UnitOfWork(engine, actor="seed") as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan")):
            add_party_actor_source(uow, party)
        add_agreement(uow, Agreement(id="agr-t", name="Test truce", parties=("ARM", "AZE"),
                                     start=T0 - timedelta(days=5)))
        findings.set_rules(uow, "agr-t", T0, finding_hours=72, reply_hours=24)
        for name, role, party in (("arm", "liaison", "ARM"), ("aze", "liaison", "AZE"), ("ana", "analyst", None),
                                  ("med", "admin", None)):
            user, _ = add_user(uow, name, role, T0, token_key=b"k" * 32, party=party)
            people[name] = Principal(id=user.id, name=name, role=Role(role), party=party)
        for name, seat in (("arm", "ARM"), ("aze", "AZE"), ("med", "mediator")):
            findings.add_member(uow, "agr-t", name, seat, T0)
        uow.commit()
    return engine, people


def _file(uow, people, now):
    return cases.file_complaint(uow, people["arm"], agreement_id="agr-t", accused="AZE", term="no_fire",
                                summary="Mortar fire on Martuni.", allegation=ALLEGATION, now=now)


def _overdue(uow):
    return [a for a in list_alerts(uow) if a.alert.kind is AlertKind.CASE_OVERDUE]


def test_a_case_past_its_deadline_raises_one_overdue_alert(world):
    engine, people = world
    with UnitOfWork(engine) as uow:
        case_id = _file(uow, people, T0)
        raise_alerts(uow, T0 + timedelta(hours=71))
        assert not _overdue(uow)
        assert not list_cases(uow, MISSION, T0 + timedelta(hours=71))[0].overdue
        raise_alerts(uow, T0 + timedelta(hours=73))
        (alert,) = _overdue(uow)
        assert alert.alert.event_at == T0 + timedelta(hours=72) and case_id in alert.alert.message
        raise_alerts(uow, T0 + timedelta(hours=90))
        assert len(_overdue(uow)) == 1  # raised once
        assert list_cases(uow, MISSION, T0 + timedelta(hours=73))[0].overdue


def test_the_finding_deadline_follows_the_agreement_rules(world):
    engine, people = world
    with UnitOfWork(engine) as uow:
        findings.set_rules(uow, "agr-t", T0, finding_hours=12)
        _file(uow, people, T0)
        assert list_cases(uow, MISSION, T0)[0].due_at == T0 + timedelta(hours=12)
        raise_alerts(uow, T0 + timedelta(hours=13))
        assert len(_overdue(uow)) == 1


def test_a_published_case_is_never_overdue(world):
    engine, people = world
    with UnitOfWork(engine) as uow:
        case_id = _file(uow, people, T0)
        cases.open_case(uow, people["ana"], T0, case_id=case_id)
        evidence = cases.add_evidence(uow, case_id, "text", None, "Crater survey: none found.", "ana", T0)
        findings.draft_finding(uow, case_id, outcome="not_confirmed", reasons="No impact found.",
                               cites=[evidence], now=T0 + timedelta(hours=1), by="ana")
        # nobody replies: after the 24 h to reply the commission may approve
        with pytest.raises(Conflict, match="may still reply"):
            findings.approve(uow, people["med"], case_id, T0 + timedelta(hours=2))
        later = T0 + timedelta(hours=26)
        with pytest.raises(Conflict, match="time to reply"):
            cases.reply(uow, people["aze"], case_id, "Too late.", later)
        for name in ("arm", "aze", "med"):
            findings.approve(uow, people[name], case_id, later)
        findings.publish(uow, case_id, later, "ana")
        raise_alerts(uow, T0 + timedelta(hours=100))
        assert not _overdue(uow)
        assert not list_cases(uow, MISSION, T0 + timedelta(hours=100))[0].overdue


def test_a_member_whose_seat_is_outside_the_quorum_cannot_approve(world):
    engine, people = world
    with UnitOfWork(engine) as uow:
        findings.set_rules(uow, "agr-t", T0, quorum=["ARM", "AZE"])
        case_id = _file(uow, people, T0)
        cases.open_case(uow, people["ana"], T0, case_id=case_id)
        note = cases.add_evidence(uow, case_id, "text", None, "Survey.", "ana", T0)
        findings.draft_finding(uow, case_id, outcome="inconclusive", reasons="Unclear.", cites=[note], now=T0,
                               by="ana")
        later = T0 + timedelta(hours=30)
        with pytest.raises(PermissionDenied, match="not in the quorum"):
            findings.approve(uow, people["med"], case_id, later)
        with pytest.raises(PermissionDenied, match="not a member"):
            findings.approve(uow, people["ana"], case_id, later)
        assert findings.approve(uow, people["arm"], case_id, later) == ["AZE"]
        assert findings.approve(uow, people["aze"], case_id, later) == []
