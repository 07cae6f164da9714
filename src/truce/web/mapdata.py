"""JSON the map draws: the offline base layer and published incidents as GeoJSON.

- ``GET /api/map/geometry?date=YYYY-MM-DD``: borders, the 1994-2020 region,
  the line of contact as it stood on that date, and the larger places.
- ``GET /api/map/incidents?from&to&type&party&grade&agreement&sector&violations``:
  published, located incidents (at most ``limit``), each with its day in
  the theatre's time zone so the time slider can filter without a round trip.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import and_, exists, func, or_, select

from ..api.deps import SettingsDep, UowDep
from ..geo.naming import get_naming, label_rank, place_label
from ..report.geometry import borders, lines_on, region
from ..report.selection import Selection
from ..service.bounded import Day
from ..store import tables as t
from ..store.visibility import PUBLIC

__all__ = ["router"]

router = APIRouter(prefix="/api/map", tags=["map"])

MIN_POPULATION = 5_000
MAX_PLACES = 150


@router.get("/geometry")
def geometry(uow: UowDep, date_: Annotated[Day | None, Query(alias="date")] = None) -> dict[str, Any]:
    """Base layer for ``date`` (default: today's line)."""
    day = date_ or date.today()
    p = t.places.c
    first = get_naming().first_labels
    rows = uow.connection.execute(
        select(p.id, p.name, p.latitude, p.longitude, p.country, p.population)
        .where(or_(p.population >= MIN_POPULATION, p.id.in_(first)), p.country.in_(("AM", "AZ")))).all()
    rows = sorted(rows, key=lambda r: label_rank(r.id, r.population))[:MAX_PLACES]
    # most important first: the map labels them in this order where a label fits
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.longitude, r.latitude]},
                 "properties": {"id": r.id, "name": place_label(r.id, r.name), "country": r.country,
                                "population": r.population, "rank": n}}
                for n, r in enumerate(rows)]
    places = {"type": "FeatureCollection", "features": features}
    return {"date": day.isoformat(), "borders": borders(), "region": region(),
            "line": lines_on(uow.connection, day), "places": places}


@router.get("/incidents")
def incidents(request: Request, uow: UowDep, settings: SettingsDep,
              limit: Annotated[int, Query(ge=1, le=20_000)] = 5000) -> dict[str, Any]:
    """Published, located incidents of the selection as a GeoJSON FeatureCollection;
    ``count`` is how many match (located or not), ``truncated`` whether
    ``limit`` cut the list."""
    sel = Selection.from_query(request.query_params, seen_by=PUBLIC)
    i = t.incidents.c
    where = and_(*sel.where(settings.tz))
    count = uow.connection.execute(select(func.count()).select_from(t.incidents).where(where)).scalar_one()
    violation = exists().where(t.violations.c.incident_id == i.id)
    rows = uow.connection.execute(
        select(i.id, i.title, i.start, i.event_type, i.sub_type, i.place_id.label("place"), i.place_name,
               i.latitude, i.longitude,
               i.geo_precision, func.coalesce(i.grade_override, i.grade).label("grade"),
               violation.label("violation"))
        .where(where, i.latitude.is_not(None)).order_by(i.start, i.id).limit(limit)).all()
    features = [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [r.longitude, r.latitude]},
        "properties": {"id": r.id, "title": r.title, "type": r.event_type, "sub_type": r.sub_type,
                       "grade": r.grade or "ungraded", "day": r.start.astimezone(settings.tz).date().isoformat(),
                       "place": place_label(r.place, r.place_name), "precision": r.geo_precision,
                       "violation": bool(r.violation)},
    } for r in rows]
    return {"type": "FeatureCollection", "features": features, "count": count,
            "truncated": len(features) >= limit}
