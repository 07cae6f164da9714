"""Recording a new incident from one source's account (an analyst at a desk,
a phone call from the field): resolves the place, checks the times, stores the
incident with its first report, and grades it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from ..domain.exceptions import GeometryError, ValidationError
from ..domain.incident_input import incident_from
from ..domain.incidents import Incident, Report
from ..domain.places import check_coordinates
from ..domain.precision import GeoPrecision
from ..store.uow import UnitOfWork, use_case
from .curation import create_from_reports
from .directory import check_source
from .observer_reports import check_in_theatre
from .records import add_report

__all__ = ["NewIncident", "record_incident"]


@dataclass(frozen=True)
class NewIncident:
    title: str
    event_type: str
    start: datetime
    end: datetime
    source: str
    summary: str
    sub_type: str | None = None
    place: str | None = None  # a name in any spelling, resolved against the gazetteer
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None  # keeps an unknown place unresolved at country precision
    weapon_class: str = "unknown"
    target_type: str = "unknown"
    time_precision: str = "day"


def _where(uow: UnitOfWork, new: NewIncident) -> dict:
    if new.latitude is not None or new.longitude is not None:
        if new.latitude is None or new.longitude is None:
            raise GeometryError("give both --lat and --lon", field="latitude")
        try:
            check_coordinates(new.latitude, new.longitude)
        except ValueError as exc:
            raise GeometryError(str(exc), field="latitude") from None
        check_in_theatre(new.latitude, new.longitude, "latitude")  # as a task's point, and a report's
        return {"latitude": new.latitude, "longitude": new.longitude, "country": new.country,
                "place_name": new.place, "geo_precision": GeoPrecision.EXACT}
    if not new.place:
        raise ValidationError("say where: a place name, or --lat and --lon", field="place")
    matches = uow.places.find_exact(new.place)
    if new.country:
        matches = [p for p in matches if p.country == new.country.upper()]
    if len(matches) > 1:
        listed = ", ".join(f"{p.id} ({p.admin1 or '?'}, {p.country})" for p in matches[:5])
        raise ValidationError(f"{new.place!r} names {len(matches)} places: {listed}", field="place",
                              remedy="give --place with a gazetteer id, or --lat and --lon")
    if matches:
        p = matches[0]
        return {"place": p.id, "place_name": p.name, "latitude": p.latitude,
                "longitude": p.longitude, "country": p.country, "geo_precision": GeoPrecision.SETTLEMENT}
    if new.country:
        return {"place_name": new.place, "country": new.country.upper(),
                "geo_precision": GeoPrecision.COUNTRY}
    raise ValidationError(f"unknown place {new.place!r}", field="place",
                          remedy="check `truce places search`, give --lat/--lon, or give --country "
                                 "to keep it unresolved at country precision")


@use_case
def record_incident(uow: UnitOfWork, new: NewIncident, now: datetime) -> Incident:
    """Store a new draft incident and the report it rests on; returns it graded."""
    incident_from({**new.__dict__, "place": None}, incident_id="check")  # the values, before any look-up
    if new.start > now:
        raise ValidationError("an incident cannot start in the future", field="start")
    check_source(uow, new.source)
    place = new.place
    if place and (found := uow.places.get_many([place])):  # a gazetteer id
        place = found[place].name
    where = _where(uow, NewIncident(**{**new.__dict__, "place": place}))
    # ``new.place`` is a name; the gazetteer id, if any, comes from ``where``
    incident = incident_from({**new.__dict__, "place": None, **where}, incident_id=f"inc-{uuid.uuid4().hex[:12]}")
    report = Report(id=f"rep-{uuid.uuid4().hex[:12]}", source=new.source, received=now,
                    summary=new.summary, observed_at=new.start, latitude=incident.latitude,
                    longitude=incident.longitude)
    add_report(uow, report)
    return create_from_reports(uow, incident, [report.id], now)
