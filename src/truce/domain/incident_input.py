"""An incident from loose input (a request body, a scenario entry, a proposal,
a form on the command line): the one place that checks it and fills defaults.

    >>> incident_from({"title": "Shelling", "event_type": "Battles",
    ...                "start": "2020-10-14T05:00:00+04:00", "end": "2020-10-14T06:00:00+04:00"},
    ...               incident_id="inc-1").geo_precision.value
    'settlement'

Every bad value is a ValidationError naming its field (``where`` prefixes
it, e.g. ``incidents[inc-1].start``); nothing is looked up or stored here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from .exceptions import ValidationError
from .incidents import Incident, Status, TargetType
from .places import check_coordinates
from .precision import GeoPrecision, TimePrecision
from .taxonomy import WeaponClass, check_event_type

__all__ = ["incident_from"]

DEFAULTS: dict[str, Any] = {
    "time_precision": TimePrecision.DAY, "geo_precision": GeoPrecision.SETTLEMENT,
    "weapon_class": WeaponClass.UNKNOWN, "target_type": TargetType.UNKNOWN,
}


def _moment(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{value!r} is not an ISO 8601 time", field=field) from None
    if moment.tzinfo is None:
        raise ValidationError(f"{value!r} has no time zone offset", field=field)
    return moment


def _enum(kind: type[Enum], value: Any, field: str) -> Any:
    if value is None or value == "":
        return DEFAULTS[field.rsplit(".", 1)[-1]]
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in kind)  # type: ignore[attr-defined]
        raise ValidationError(f"unknown {field.rsplit('.', 1)[-1]} {value!r}; one of: {choices}",
                              field=field) from None


def incident_from(raw: Mapping[str, Any], *, incident_id: str, status: Status = Status.DRAFT,
                  where: str = "") -> Incident:
    """``raw`` holds title, event_type, start, end (datetimes or ISO 8601 with an
    offset) and optionally sub_type, time_precision, place (a gazetteer id; or
    place_id), place_name, latitude, longitude, geo_precision, country,
    weapon_class, target_type, damage, status."""
    def f(name: str) -> str:
        return f"{where}.{name}" if where else name

    for name in ("title", "event_type", "start", "end"):
        if raw.get(name) in (None, ""):
            raise ValidationError(f"missing {name!r}", field=f(name))
    try:
        check_event_type(raw["event_type"], raw.get("sub_type") or None)
    except ValueError as exc:
        raise ValidationError(str(exc), field=f("event_type")) from None
    start, end = _moment(raw["start"], f("start")), _moment(raw["end"], f("end"))
    if end < start:
        raise ValidationError(f"end {end.isoformat()} is before start {start.isoformat()}", field=f("end"),
                              remedy="swap them, or give the right end")
    latitude, longitude = raw.get("latitude"), raw.get("longitude")
    if (latitude is None) != (longitude is None):
        raise ValidationError("give both latitude and longitude or neither", field=f("latitude"))
    if latitude is not None:
        try:
            check_coordinates(float(latitude), float(longitude))
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc), field=f("latitude")) from None
    country = raw.get("country")
    return Incident(
        id=incident_id, title=str(raw["title"]), event_type=raw["event_type"], sub_type=raw.get("sub_type") or None,
        start=start, end=end, time_precision=_enum(TimePrecision, raw.get("time_precision"), f("time_precision")),
        place=raw.get("place") or raw.get("place_id") or None, place_name=raw.get("place_name"),
        latitude=None if latitude is None else float(latitude),
        longitude=None if longitude is None else float(longitude),
        geo_precision=_enum(GeoPrecision, raw.get("geo_precision"), f("geo_precision")),
        country=country.upper() if isinstance(country, str) else None,
        weapon_class=_enum(WeaponClass, raw.get("weapon_class"), f("weapon_class")),
        target_type=_enum(TargetType, raw.get("target_type"), f("target_type")),
        damage=raw.get("damage"), status=_status(raw.get("status"), status, f("status")),
    )


def _status(value: Any, default: Status, field: str) -> Status:
    try:
        return Status(value or default)
    except ValueError:
        raise ValidationError(f"unknown status {value!r}; one of: {', '.join(s.value for s in Status)}",
                              field=field) from None
