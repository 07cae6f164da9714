"""Who may see what: the one visibility policy of truce.

Every output (API, pages, daily report editions, exports, webhooks, CLI)
reads records through repositories that take a ``Visibility``; nothing else
filters on status to decide what a person sees. Each rule exists twice, in
the same words: a predicate on one record (``incident``, ``claim``,
``report`` ...) and the same rule as an SQL clause on its table
(``incidents_sql``, ``claims_sql``, ``reports_sql`` ...), as Datasette's
``allowed()`` and ``allowed_resources_sql()`` do. The tests check the two
agree on every status of every kind of record.

The rules (DESIGN.md, "Rules that hold everywhere"):

- incidents: the public, observers and liaisons see published ones; mission
  staff (analysts, admins) see drafts and merged ones too;
- claims and statements, of a visible incident or of a control change:
  published and discounted ("shown false by ...") ones are seen by all;
  submitted ("awaiting review") and rejected ones by staff and by the
  liaisons of the party whose actor made them;
- observer reports and sources' reports: staff read all in full; an observer
  reads their own in full; anyone reads, without the observer's identity,
  position, signature or evidence, the reports behind a visible published
  incident;
- sources: seen unless the source is a statement the reader may not see;
- casualty figures, violations, geometry facts and ledger entries follow
  the record they belong to;
- control changes are public (their claims follow the claim rule);
- alerts, proposals (unreviewed extractions) and webhooks: staff only;
- cases (the joint commission's casework): staff see all; a liaison sees
  the cases their party filed or is accused in, with the draft finding and
  the requests for information; everyone sees cases whose finding is
  published. A party's reply is seen by staff and that party's liaisons,
  and by everyone who sees the case once the finding is published. Tasks,
  the observers who answered and what they reported stay with staff.

The store module stands here because the SQL form needs the tables; the
reader is anything with ``role``, ``id`` and ``party`` (a service Principal)
or None for the public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from ..domain.cases import CaseStatus
from ..domain.claims import Claim, ClaimStatus
from ..domain.incidents import Report, Status
from . import tables as t

__all__ = ["MISSION", "PUBLIC", "Reader", "Visibility"]

_STAFF = frozenset({"analyst", "admin"})
_SEEN_BY_ALL = (ClaimStatus.PUBLISHED.value, ClaimStatus.DISCOUNTED.value)
_COUNTED = (ClaimStatus.PUBLISHED.value,)
_CASE_PUBLISHED = CaseStatus.PUBLISHED.value


class Reader(Protocol):
    id: str
    role: Any  # a str or a str Enum: observer, analyst, liaison, admin
    party: str | None


def _value(x: Any) -> str:
    return getattr(x, "value", x)


@dataclass(frozen=True)
class Visibility:
    """What one reader may see. ``Visibility.of(principal)``; ``PUBLIC`` for
    anonymous readers and public editions; ``MISSION`` for the mission's own
    computations and restricted editions (everything)."""

    role: str | None = None  # None: the public
    user_id: str | None = None
    party: str | None = None

    @classmethod
    def of(cls, reader: Reader | None) -> Visibility:
        if reader is None:
            return PUBLIC
        return cls(role=_value(reader.role), user_id=reader.id, party=reader.party)

    @property
    def staff(self) -> bool:
        return self.role in _STAFF

    @property
    def label(self) -> str:
        if self.role is None:
            return "public"
        return f"{self.role} {self.party}" if self.party else self.role

    # -- incidents --------------------------------------------------------

    def incident(self, status: Status | str) -> bool:
        return self.staff or _value(status) == Status.PUBLISHED.value

    def incidents_sql(self) -> ColumnElement[bool]:
        """On ``incidents``."""
        if self.staff:
            return true()
        return t.incidents.c.status == Status.PUBLISHED.value

    def _visible_incident_ids(self) -> Any:
        return select(t.incidents.c.id).where(self.incidents_sql())

    def of_incident_sql(self, column: Any) -> ColumnElement[bool]:
        """On any table with an incident id column (figures, violations,
        geometry facts): the row follows its incident."""
        if self.staff:
            return true()
        return column.in_(self._visible_incident_ids())

    # -- claims and statements --------------------------------------------

    def claim(self, claim: Claim, actor_party: str | None, incident_status: Status | str | None) -> bool:
        """``incident_status`` None for a claim on a control change."""
        if incident_status is not None and not self.incident(incident_status):
            return False
        if self.staff or _value(claim.status) in _SEEN_BY_ALL:
            return True
        return self._own_party(actor_party)

    def _own_party(self, actor_party: str | None) -> bool:
        return self.role == "liaison" and self.party is not None and actor_party == self.party

    def claims_sql(self) -> ColumnElement[bool]:
        """On ``claims``."""
        if self.staff:
            return true()
        c = t.claims.c
        status = c.status.in_(_SEEN_BY_ALL)
        if self.role == "liaison" and self.party is not None:
            own = select(t.actors.c.id).where(t.actors.c.party_id == self.party)
            status = or_(status, c.actor_id.in_(own))
        return and_(status, or_(c.incident_id.is_(None), c.incident_id.in_(self._visible_incident_ids())))

    @staticmethod
    def counts(claim: Claim) -> bool:
        """Whether a claim counts towards a grade or an attribution (whoever reads)."""
        return _value(claim.status) in _COUNTED

    @staticmethod
    def counted_sql() -> ColumnElement[bool]:
        return t.claims.c.status.in_(_COUNTED)

    # -- reports ----------------------------------------------------------

    def report(self, report: Report, behind_published: bool) -> bool:
        """``behind_published``: the report backs a published incident."""
        return self.report_in_full(report) or behind_published

    def report_in_full(self, report: Report) -> bool:
        """Whether the reader sees the observer's identity, position, signature and evidence."""
        if self.staff:
            return True
        return self.role == "observer" and report.observer is not None and report.observer == self.user_id

    def reports_sql(self) -> ColumnElement[bool]:
        """On ``reports``."""
        if self.staff:
            return true()
        behind = (select(t.incident_reports.c.report_id)
                  .join(t.incidents, t.incidents.c.id == t.incident_reports.c.incident_id)
                  .where(t.incidents.c.status == Status.PUBLISHED.value))
        seen = t.reports.c.id.in_(behind)
        if self.role == "observer" and self.user_id:
            seen = or_(seen, t.reports.c.observer_id == self.user_id)
        return seen

    def report_in_full_sql(self) -> ColumnElement[bool]:
        if self.staff:
            return true()
        if self.role == "observer" and self.user_id:
            return t.reports.c.observer_id == self.user_id
        return false()

    # -- sources ----------------------------------------------------------

    def sources_sql(self) -> ColumnElement[bool]:
        """On ``sources``: all but the sources of statements the reader may not see."""
        if self.staff:
            return true()
        hidden = select(t.claims.c.source_id).where(
            t.claims.c.source_id.is_not(None), t.claims.c.submitted_by.is_not(None),
            ~self.claims_sql())
        return t.sources.c.id.not_in(hidden)

    # -- records for the mission only -------------------------------------

    def alerts(self) -> bool:
        return self.staff

    def proposals(self) -> bool:
        return self.staff

    def webhooks(self) -> bool:
        return self.staff

    # -- casework ---------------------------------------------------------

    def case(self, parties: tuple[str | None, ...], published: bool) -> bool:
        """``parties``: the case's complainant and accused; ``published``: its finding is."""
        return self.staff or published or self._own_party_in(parties)

    def _own_party_in(self, parties: tuple[str | None, ...]) -> bool:
        return self.role == "liaison" and self.party is not None and self.party in parties

    def cases_sql(self) -> ColumnElement[bool]:
        """On ``cases``."""
        if self.staff:
            return true()
        c = t.cases.c
        seen = c.status == _CASE_PUBLISHED
        if self.role == "liaison" and self.party is not None:
            seen = or_(seen, c.complainant == self.party, c.accused == self.party)
        return seen

    def case_reply(self, party: str, published: bool) -> bool:
        """A party's reply on a case the reader sees."""
        return self.staff or published or self._own_party_in((party,))

    def case_replies_sql(self) -> ColumnElement[bool]:
        """On ``case_replies`` (of cases the reader sees)."""
        if self.staff:
            return true()
        r = t.case_replies.c
        published = select(t.cases.c.id).where(t.cases.c.status == _CASE_PUBLISHED)
        seen = r.case_id.in_(published)
        if self.role == "liaison" and self.party is not None:
            seen = or_(seen, r.party == self.party)
        return seen

    def case_requests(self, parties: tuple[str | None, ...]) -> bool:
        """Requests for information: the mission and the parties asked."""
        return self.staff or self._own_party_in(parties)

    def case_internals(self) -> bool:
        """Tasks, the observers who answered them and their reports."""
        return self.staff

    def ledger_entry(self, record_visible: bool) -> bool:
        """A ledger entry is seen when the record it is about is."""
        return self.staff or record_visible


PUBLIC = Visibility()
MISSION = Visibility(role="analyst")
