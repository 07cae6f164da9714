"""The casework rules, pure: quorum, findings deciding violations; and the
visibility rule for cases and replies, as predicate and as SQL, agreeing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from truce.domain.actors import Party
from truce.domain.agreements import Agreement, TermKind, Violation
from truce.domain.cases import COMMISSION, CaseStatus, Outcome, PublishedFinding, missing_seats, with_findings
from truce.service.records import add_agreement, add_party_actor_source
from truce.store import tables as t
from truce.store.uow import UnitOfWork
from truce.store.visibility import PUBLIC, Visibility

NOW = datetime(2020, 10, 15, tzinfo=UTC)
FIRE = Violation("agr", "inc", TermKind.NO_FIRE, None, "unattributed", (), "single-source")
CIVILIANS = Violation("agr", "inc", TermKind.NO_STRIKES_ON_CIVILIANS, "ARM", "alleged", (), "single-source")


def _finding(outcome, party=None, term=TermKind.NO_FIRE, incidents=("inc",)):
    return PublishedFinding("agr", incidents, outcome, party, term)


def test_the_quorum_is_met_when_every_seat_has_approved():
    assert missing_seats(("ARM", "AZE", "mediator"), ["ARM", "mediator"]) == ["AZE"]
    assert missing_seats(("ARM", "AZE", "mediator"), ["AZE", "mediator", "ARM", "ARM"]) == []


def test_a_confirmed_finding_names_the_party_and_counts_by_the_commission():
    (v, other) = sorted(with_findings("agr", "inc", [FIRE, CIVILIANS], [_finding(Outcome.CONFIRMED, "AZE")], "x"),
                        key=lambda v: v.term.value)
    assert (v.term, v.responsible, v.basis) == (TermKind.NO_FIRE, "AZE", COMMISSION)
    assert other == CIVILIANS


def test_a_confirmed_finding_adds_a_violation_the_rules_did_not_find():
    (v,) = with_findings("agr", "inc", [], [_finding(Outcome.CONFIRMED, "AZE")], "verified")
    assert (v.responsible, v.basis, v.grade) == ("AZE", COMMISSION, "verified")


def test_a_not_confirmed_finding_clears_its_term_or_every_term():
    assert with_findings("agr", "inc", [FIRE, CIVILIANS], [_finding(Outcome.NOT_CONFIRMED)], None) == [CIVILIANS]
    assert with_findings("agr", "inc", [FIRE, CIVILIANS], [_finding(Outcome.NOT_CONFIRMED, term=None)], None) == []


def test_an_inconclusive_finding_or_another_incident_changes_nothing():
    assert with_findings("agr", "inc", [FIRE], [_finding(Outcome.INCONCLUSIVE, "AZE")], None) == [FIRE]
    assert with_findings("agr", "inc", [FIRE], [_finding(Outcome.CONFIRMED, "AZE", incidents=("x",))], None) == [FIRE]


READERS = [PUBLIC, Visibility("observer", "u-obs"), Visibility("liaison", "u-arm", "ARM"),
           Visibility("liaison", "u-aze", "AZE"), Visibility("analyst", "u-an")]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.label)
def test_case_and_reply_visibility_agree_as_predicate_and_sql(sqlite_engine, reader):
    with UnitOfWork(sqlite_engine) as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan"), Party("NKR", "NK")):
            add_party_actor_source(uow, party)
        add_agreement(uow, Agreement(id="agr", name="A", parties=("ARM", "AZE", "NKR"), start=NOW))
        n = 0
        for status in CaseStatus:
            for complainant, accused in (("ARM", "AZE"), (None, "NKR"), ("NKR", "ARM")):
                n += 1
                uow.connection.execute(insert(t.cases).values(
                    id=f"c{n}", number=n, agreement_id="agr", origin="complaint", complainant=complainant,
                    accused=accused, incident_ids=[], summary="s", status=status.value, filed_at=NOW, due_at=NOW))
                for party in ("ARM", "AZE", "NKR"):
                    uow.connection.execute(insert(t.case_replies).values(
                        id=f"r{n}{party}", case_id=f"c{n}", party=party, text="x", at=NOW))
        rows = uow.connection.execute(select(t.cases)).mappings().all()
        published = {r["id"]: r["status"] == CaseStatus.PUBLISHED.value for r in rows}
        by_rule = {r["id"] for r in rows if reader.case((r["complainant"], r["accused"]), published[r["id"]])}
        by_sql = {i for (i,) in uow.connection.execute(select(t.cases.c.id).where(reader.cases_sql()))}
        assert by_rule == by_sql
        replies = uow.connection.execute(select(t.case_replies)).mappings().all()
        by_rule = {r["id"] for r in replies if reader.case_reply(r["party"], published[r["case_id"]])}
        by_sql = {i for (i,) in uow.connection.execute(select(t.case_replies.c.id).where(reader.case_replies_sql()))}
        assert by_rule == by_sql
