"""Small factories for records used across tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from truce.domain.actors import Actor, Party, Source, SourceKind
from truce.domain.claims import Claim, Proposition, Stance
from truce.domain.incidents import Incident, Report, Status
from truce.domain.precision import GeoPrecision
from truce.domain.taxonomy import WeaponClass

MOMENT = datetime(2020, 10, 14, 9, 0, tzinfo=UTC)


def make_party(id: str = "AZE", name: str = "Azerbaijan") -> Party:
    return Party(id=id, name=name)


def make_actor(id: str = "aze-mod", party: str | None = "AZE",
               name: str = "Ministry of Defence of Azerbaijan") -> Actor:
    return Actor(id=id, name=name, kind="ministry", party=party)


def make_source(id: str = "s-aze-mod", kind: SourceKind = SourceKind.PARTY_STATEMENT,
                affiliation: str | None = "AZE", repeats: str | None = None) -> Source:
    return Source(id=id, name=id, kind=kind, published=MOMENT, affiliation=affiliation, repeats=repeats)


def make_incident(id: str = "inc-1", start: datetime = MOMENT, **overrides) -> Incident:
    fields = dict(
        id=id, title="Strike on missile launch sites", event_type="Explosions/Remote violence",
        sub_type="Air/drone strike", start=start, end=start + timedelta(hours=12),
        place_name="Vardenis", latitude=40.18, longitude=45.73, country="AM",
        geo_precision=GeoPrecision.NEAR, weapon_class=WeaponClass.MISSILE, status=Status.PUBLISHED,
    )
    fields.update(overrides)
    return Incident(**fields)


def make_report(id: str = "rep-1", source: str = "s-aze-mod", summary: str = "Two launchers hit.",
                **overrides) -> Report:
    fields = dict(id=id, source=source, received=MOMENT + timedelta(hours=1), summary=summary,
                  observed_at=MOMENT)
    fields.update(overrides)
    return Report(**fields)


def make_claim(id: str = "c-1", actor: str = "aze-mod", stance: Stance = Stance.ASSERTS,
               proposition: Proposition = Proposition.HAPPENED, incident: str | None = "inc-1",
               **overrides) -> Claim:
    return Claim(id=id, actor=actor, stance=stance, proposition=proposition, incident=incident,
                 **overrides)
