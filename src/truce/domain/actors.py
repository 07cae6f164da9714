"""Who is bound, who acts and speaks, and where information comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

__all__ = ["Actor", "Party", "Source", "SourceKind"]


@dataclass(frozen=True)
class Party:
    """A side bound by an agreement."""

    id: str
    name: str


@dataclass(frozen=True)
class Actor:
    """Anyone who acts or speaks; ``party`` is None for mediators, media, NGOs."""

    id: str
    name: str
    kind: str
    party: str | None = None
    aliases: tuple[str, ...] = ()


class SourceKind(str, Enum):
    OBSERVER = "observer"  # the mission's own observers
    CAMERA = "camera"  # a mission camera or drone
    PARTY_STATEMENT = "party_statement"
    NEWS = "news"
    NGO = "ngo"
    MEDIATOR_STATEMENT = "mediator_statement"

    @property
    def is_mission(self) -> bool:
        return self in (SourceKind.OBSERVER, SourceKind.CAMERA)


@dataclass(frozen=True)
class Source:
    """Where information came from.

    ``affiliation`` is the party a source speaks for (None if independent);
    ``repeats`` names the source it only relays, so that a wire quoting a
    ministry is not counted as a second, independent source; ``relays``
    names further sources it reports what they say (an article relaying an
    AFP dispatch and both ministries). ``relayed`` is both, in order.
    """

    id: str
    name: str
    kind: SourceKind
    published: datetime | None = None
    actor: str | None = None
    affiliation: str | None = None
    url: str | None = None
    repeats: str | None = None
    notes: tuple[str, ...] = field(default=())
    relays: tuple[str, ...] = ()

    @property
    def relayed(self) -> tuple[str, ...]:
        """Every source this one relays (``repeats`` first), without repeats."""
        return tuple(dict.fromkeys(((self.repeats,) if self.repeats else ()) + tuple(self.relays)))

    @property
    def independent(self) -> bool:
        return self.affiliation is None
