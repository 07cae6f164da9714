"""Who is who: listing parties, actors and sources, and refusing unknown ids
with the ids that would have been valid."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from ..domain.actors import Actor, Source
from ..domain.exceptions import ValidationError
from ..store.uow import UnitOfWork

__all__ = ["check_actor", "check_party", "check_source", "list_actors", "list_sources",
           "unknown_id"]

LISTED = 60  # more valid ids than this: name the closest and the command that lists them all


def unknown_id(kind: str, value: str, valid: Iterable[str], *, field: str,
               command: str | None = None) -> ValidationError:
    """The error for an id not among ``valid``: it names the closest ids, and
    every valid one when there are few (else the command that lists them).

    >>> str(unknown_id("actor", "armenian-mod", ["arm-mod", "aze-mod"], field="actor_id"))
    "actor_id: unknown actor 'armenian-mod'; valid ids: arm-mod, aze-mod"
    """
    ids = sorted(set(valid))
    if not ids:
        return ValidationError(f"unknown {kind} {value!r}; none are recorded", field=field)
    if len(ids) <= LISTED:
        return ValidationError(f"unknown {kind} {value!r}; valid ids: {', '.join(ids)}", field=field)
    close = [m for m, _s, _i in process.extract(value, ids, scorer=fuzz.WRatio, limit=5)]
    hint = f"; `{command}` lists all {len(ids)}" if command else f"; {len(ids)} in all"
    return ValidationError(f"unknown {kind} {value!r}; closest valid ids: {', '.join(close)}{hint}",
                           field=field)


def list_actors(uow: UnitOfWork, party: str | None = None) -> list[Actor]:
    """Actors by id; only those of ``party`` when given."""
    actors = sorted(uow.directory.actors().values(), key=lambda a: a.id)
    return [a for a in actors if party is None or a.party == party]


def list_sources(uow: UnitOfWork) -> list[Source]:
    """Sources, newest publication first, unpublished last."""
    sources = uow.directory.sources().values()
    return sorted(sources, key=lambda s: (s.published is None, -(s.published.timestamp() if s.published else 0), s.id))


def check_actor(uow: UnitOfWork, actor_id: str, *, field: str = "actor_id",
                party: str | None = None) -> Actor:
    """The actor with ``actor_id`` (of ``party`` if given), else an error naming the valid ids."""
    actors = uow.directory.actors()
    if actor_id in actors and (party is None or actors[actor_id].party == party):
        return actors[actor_id]
    valid = [a.id for a in actors.values() if party is None or a.party == party]
    raise unknown_id("actor", actor_id, valid, field=field, command="truce actors list")


def check_source(uow: UnitOfWork, source_id: str, *, field: str = "source") -> None:
    if not uow.directory.source_exists(source_id):
        raise unknown_id("source", source_id, uow.directory.sources(), field=field,
                         command="truce sources list")


def check_party(uow: UnitOfWork, party_id: str, *, field: str = "party") -> None:
    if not uow.directory.party_exists(party_id):
        raise unknown_id("party", party_id, [p.id for p in uow.directory.parties()], field=field)
