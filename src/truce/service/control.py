"""Territorial control on a date and a place's history (rules in truce.domain.control)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.control import ChangeRecord, ControlChange, ControlState, control_map, history
from ..domain.exceptions import NotFound, ValidationError
from ..geo.naming import place_label
from ..settings import get_settings
from ..store.uow import UnitOfWork
from .places import search_places

__all__ = ["ControlRow", "control_changes", "control_on", "place_history"]


@dataclass(frozen=True)
class ControlRow:
    place_id: str
    place_name: str
    state: ControlState


def control_changes(uow: UnitOfWork) -> tuple[list[ControlChange], dict[str, str]]:
    """Every stored control change with its claims, and {control id: place name}.

    A change about a group of places the gazetteer lacks ("eight villages")
    is keyed by its control id, so it still shows.
    """
    rows = uow.controls.list()
    claims = uow.claims.counted_for_controls([c.id for c, _n, _g in rows])
    sources = uow.directory.sources()
    sides = get_settings().party_sides
    changes, names = [], {}
    for control, name, _grade in rows:
        if not control.place:
            from dataclasses import replace

            control = replace(control, place=control.id)
        changes.append(ControlChange(control=control, claims=tuple(claims[control.id]),
                                     sources=sources, sides=sides))
        names[control.place] = place_label(control.place, name)
    return changes, names


def control_on(uow: UnitOfWork, day: date) -> list[ControlRow]:
    """Places whose control changed on or before ``day``, with who holds them
    and how well that is supported, grouped by controller."""
    changes, names = control_changes(uow)
    try:
        states = control_map(changes, day)
    except ValidationError as exc:
        raise ValidationError(f"a control change has no supporting claim: {exc.message}") from None
    rows = [ControlRow(place, names.get(place, place), state) for place, state in states.items()]
    return sorted(rows, key=lambda r: (r.state.party, r.place_name))


def place_history(uow: UnitOfWork, name: str) -> tuple[str, list[ChangeRecord]]:
    """Each control change of the place named ``name`` (any spelling), oldest first."""
    changes, names = control_changes(uow)
    wanted = {m.place.id for m in search_places(uow, name)}
    wanted |= {place for place, n in names.items() if n.lower() == name.lower()}
    for place in sorted(wanted):
        records = history(changes, place)
        if records:
            return names.get(place, place), records
    raise NotFound(f"no control change recorded for {name!r}", field="place",
                   remedy="`truce control on DATE` lists the places with recorded changes")
