"""The joint commission's casework: complaints, cases, findings, replies, quorum.

Pure rules over plain values; no clock (``now`` is passed in).

A case's life::

    filed (a liaison's complaint) --open--> open (an analyst investigates)
    open (opened by an analyst from an alert or an incident)
    open --draft a finding--> drafted --quorum approves--> approved --publish--> published

- The finding is due ``finding_hours`` after the case was filed (or opened,
  when no complaint came first); a case not published by then is overdue.
- A draft finding goes to both parties; each may reply until
  ``reply_hours`` after the draft. The commission approves once each party
  has replied or the time to reply has passed.
- The quorum is a list of seats (a party's id or ``"mediator"``); a finding
  is approved when every seat has at least one approval from a member
  holding it.
- A published finding decides the agreement's tallies for the incidents it
  concerns: ``confirmed`` names the party and the term (basis
  ``commission``); ``not_confirmed`` clears the violation of that term (or
  of every term when none is named); ``inconclusive`` changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from .agreements import TermKind, Violation

__all__ = [
    "COMMISSION", "DEFAULT_RULES", "MEDIATOR", "CaseStatus", "CommissionRules", "Outcome",
    "PublishedFinding", "missing_seats", "with_findings",
]

COMMISSION = "commission"  # a violation's basis when a published finding decides it
MEDIATOR = "mediator"


class CaseStatus(str, Enum):
    FILED = "filed"
    OPEN = "open"
    DRAFTED = "drafted"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def closed(self) -> bool:
        return self is CaseStatus.PUBLISHED


class Outcome(str, Enum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class CommissionRules:
    """An agreement's casework rules (``DEFAULT_RULES`` where none are stored).
    ``quorum`` empty: each of the agreement's parties and the mediator."""

    finding_hours: int = 72
    reply_hours: int = 48
    request_hours: int = 24
    quorum: tuple[str, ...] = ()

    def seats(self, parties: Sequence[str]) -> tuple[str, ...]:
        return self.quorum or (*parties, MEDIATOR)

    def finding_due(self, since: datetime) -> datetime:
        return since + timedelta(hours=self.finding_hours)

    def reply_due(self, drafted_at: datetime) -> datetime:
        return drafted_at + timedelta(hours=self.reply_hours)

    def request_due(self, sent_at: datetime) -> datetime:
        return sent_at + timedelta(hours=self.request_hours)


DEFAULT_RULES = CommissionRules()


def missing_seats(quorum: Iterable[str], approved_seats: Iterable[str]) -> list[str]:
    """The quorum's seats no approval fills yet (empty: the quorum is met)."""
    have = set(approved_seats)
    return [seat for seat in quorum if seat not in have]


@dataclass(frozen=True)
class PublishedFinding:
    agreement: str
    incidents: tuple[str, ...]
    outcome: Outcome
    party: str | None
    term: TermKind | None


def with_findings(agreement: str, incident: str, found: list[Violation],
                  findings: Sequence[PublishedFinding], grade: str | None) -> list[Violation]:
    """The violations of one incident against one agreement, as the published
    findings about it decide (see the module docstring)."""
    out = list(found)
    for f in findings:
        if f.agreement != agreement or incident not in f.incidents:
            continue
        if f.outcome is Outcome.NOT_CONFIRMED:
            out = [v for v in out if f.term is not None and v.term is not f.term]
        elif f.outcome is Outcome.CONFIRMED and f.term is not None:
            same = [v for v in out if v.term is f.term]
            out = [v for v in out if v.term is not f.term]
            if same:
                out.append(replace(same[0], responsible=f.party, basis=COMMISSION))
            else:
                out.append(Violation(agreement, incident, f.term, f.party, COMMISSION, (), grade))
    return out
