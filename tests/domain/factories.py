"""Small ``make_*`` factories for domain tests, with sources from the 2020 Karabakh war."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from truce.domain.actors import Source, SourceKind
from truce.domain.casualties import IncidentCasualties
from truce.domain.claims import Claim, Proposition, Stance
from truce.domain.control import ControlChange
from truce.domain.grading import IncidentEvidence, Refutation
from truce.domain.incidents import (
    CasualtyCategory,
    CasualtyFigure,
    Incident,
    Qualifier,
    Report,
)
from truce.domain.places import Control

SIDES = {"am": "armenian", "nk": "armenian", "az": "azerbaijani"}


def at(day: int, hour: int = 12, minute: int = 0, month: int = 10) -> datetime:
    """A moment in autumn 2020, UTC."""
    return datetime(2020, month, day, hour, minute, tzinfo=UTC)


def make_source(
    id: str,
    name: str | None = None,
    kind: SourceKind = SourceKind.NEWS,
    affiliation: str | None = None,
    repeats: str | None = None,
    published: datetime | None = None,
    actor: str | None = None,
) -> Source:
    return Source(id=id, name=name or id, kind=kind, affiliation=affiliation, repeats=repeats,
                  published=published, actor=actor)


def karabakh_sources() -> dict[str, Source]:
    """The sources of the demo theatre, keyed by id."""
    party = SourceKind.PARTY_STATEMENT
    sources = [
        make_source("az-mod", "Ministry of Defence of Azerbaijan", party, "az", actor="az-mod"),
        make_source("az-president", "President of Azerbaijan", party, "az", actor="az-president"),
        make_source("am-mod", "Ministry of Defence of Armenia", party, "am", actor="am-mod"),
        make_source("nk-president", "Nagorno-Karabakh de facto president", party, "nk",
                    actor="nk-president"),
        make_source("afp", "AFP", SourceKind.NEWS, actor="afp"),
        make_source("afp-ganja", "AFP correspondent in Ganja", SourceKind.NEWS, actor="afp"),
        make_source("reuters", "Reuters", SourceKind.NEWS, actor="reuters"),
        make_source("bbc", "BBC", SourceKind.NEWS, actor="bbc"),
        make_source("hrw", "Human Rights Watch", SourceKind.NGO, actor="hrw"),
        make_source("wire-az", "Wire relaying Baku", SourceKind.NEWS, repeats="az-mod"),
        make_source("wire-am", "Wire relaying Yerevan", SourceKind.NEWS, repeats="am-mod"),
        make_source("observer-3", "Observer team 3", SourceKind.OBSERVER),
        make_source("camera-7", "Mission camera 7", SourceKind.CAMERA),
    ]
    return {s.id: s for s in sources}


def make_report(
    id: str,
    source: str = "afp",
    observed_at: datetime | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    incident: str | None = None,
    corrects: str | None = None,
    event_type: str | None = None,
    place: str | None = None,
) -> Report:
    payload: dict[str, Any] = {}
    if event_type is not None:
        payload["event_type"] = event_type
    if place is not None:
        payload["place"] = place
    return Report(id=id, source=source, received=observed_at or at(14), summary=f"report {id}",
                  observed_at=observed_at, incident=incident, corrects=corrects,
                  latitude=latitude, longitude=longitude, payload=payload)


def make_claim(
    id: str,
    actor: str,
    stance: Stance = Stance.ASSERTS,
    proposition: Proposition = Proposition.HAPPENED,
    incident: str | None = "i1",
    source: str | None = None,
    value: str | None = None,
    control: str | None = None,
) -> Claim:
    return Claim(id=id, actor=actor, stance=stance, proposition=proposition, incident=incident,
                 source=source, value=value, control=control)


def make_evidence(
    reports: Iterable[Report] = (),
    claims: Iterable[Claim] = (),
    discounted_by: Iterable[Refutation] = (),
    sources: dict[str, Source] | None = None,
) -> IncidentEvidence:
    return IncidentEvidence(reports=tuple(reports), claims=tuple(claims),
                            sources=sources or karabakh_sources(),
                            discounted_by=tuple(discounted_by), sides=SIDES, incident="i1")


def make_incident(
    id: str,
    start: datetime,
    end: datetime | None = None,
    latitude: float | None = 40.6828,
    longitude: float | None = 46.3606,
    event_type: str = "Explosions/Remote violence",
    place: str | None = None,
) -> Incident:
    return Incident(id=id, title=f"incident {id}", event_type=event_type, start=start,
                    end=end or start, latitude=latitude, longitude=longitude, place=place)


def make_figure(
    value: int,
    qualifier: Qualifier = Qualifier.EXACT,
    source: str | None = "afp",
    category: CasualtyCategory = CasualtyCategory.CIVILIAN,
    kind: str = "killed",
    scope: str = "incident",
    as_of: date | None = None,
) -> CasualtyFigure:
    return CasualtyFigure(category=category, kind=kind, value=value, qualifier=qualifier,
                          scope=scope, source=source, as_of=as_of)


def make_casualties(
    incident: str, day: date, *figures: CasualtyFigure, party: str | None = "am",
    region: str | None = None,
) -> IncidentCasualties:
    return IncidentCasualties(incident=incident, day=day, figures=figures, party=party,
                              region=region)


def make_change(
    id: str,
    place: str,
    party: str,
    start: date,
    claims: Iterable[Claim] = (),
    previous_party: str | None = None,
    reports: Iterable[Report] = (),
    sources: dict[str, Source] | None = None,
) -> ControlChange:
    control = Control(id=id, place=place, party=party, start=start,
                      previous_party=previous_party)
    return ControlChange(control=control, claims=tuple(claims),
                         sources=sources or karabakh_sources(), reports=tuple(reports),
                         sides=SIDES)


def control_claim(
    id: str, actor: str, stance: Stance, change: str, source: str | None = None
) -> Claim:
    return make_claim(id, actor, stance, Proposition.CONTROL, incident=None, control=change,
                      source=source)
