"""JSON the map draws: the offline base layer and published incidents as GeoJSON.

- ``GET /api/map/geometry?date=YYYY-MM-DD``: borders, the 1994-2020 region,
  the line of contact as it stood on that date (moved by the control changes
  recorded up to it, as the daily report draws it: ``report.geometry.line_of_day``)
  with the ground that had changed hands, and the larger places.
- ``GET /api/map/incidents?from&to&type&party&grade&agreement&sector&violations``:
  published, located incidents (at most ``limit``), each with its day in
  the theatre's time zone so the time slider can filter without a round trip.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ..api.deps import SettingsDep, UowDep
from ..geo.naming import get_naming, label_rank, place_label
from ..report.geometry import borders, line_of_day, region
from ..service.bounded import Day
from ..service.incidents import check_selection_names
from ..service.monitoring_config import get_monitoring_config
from ..store.selection import Selection
from ..store.visibility import PUBLIC

__all__ = ["router"]

router = APIRouter(prefix="/api/map", tags=["map"])

MIN_POPULATION = 5_000
MAX_PLACES = 150
KEY_PLACES = 11  # the first of the naming setting's map.first: labelled even off a cluster on their dot


@router.get("/geometry")
def geometry(uow: UowDep, date_: Annotated[Day | None, Query(alias="date")] = None) -> dict[str, Any]:
    """Base layer for ``date`` (default: today's line)."""
    day = date_ or date.today()
    first = set(get_naming().first_labels)
    key = set(get_naming().first_labels[:KEY_PLACES])
    rows = [p for p in uow.places.in_countries(("AM", "AZ"))
            if (p.population or 0) >= MIN_POPULATION or p.id in first]
    rows = sorted(rows, key=lambda r: label_rank(r.id, r.population))[:MAX_PLACES]
    # most important first: the map labels them in this order where a label fits
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.longitude, r.latitude]},
                 "properties": {"id": r.id, "name": place_label(r.id, r.name), "country": r.country,
                                "population": r.population, "rank": n, "key": r.id in key}}
                for n, r in enumerate(rows)]
    places = {"type": "FeatureCollection", "features": features}
    return {"date": day.isoformat(), "borders": borders(), "region": region(),
            "line": line_of_day(uow, day, get_monitoring_config().geometry.control_radius_m), "places": places}


@router.get("/incidents")
def incidents(request: Request, uow: UowDep, settings: SettingsDep,
              limit: Annotated[int, Query(ge=1, le=20_000)] = 5000) -> dict[str, Any]:
    """Published, located incidents of the selection as a GeoJSON FeatureCollection;
    ``count`` is how many match (located or not), ``truncated`` whether
    ``limit`` cut the list."""
    sel = Selection.from_query(request.query_params, seen_by=PUBLIC)
    check_selection_names(uow, sel)
    count, rows = uow.days.located(sel, settings.tz, limit)
    features = [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
        "properties": {"id": r["id"], "title": r["title"], "type": r["event_type"], "sub_type": r["sub_type"],
                       "grade": r["grade"] or "ungraded",
                       "day": r["start"].astimezone(settings.tz).date().isoformat(),
                       "place": place_label(r["place"], r["place_name"], r["latitude"], r["longitude"]),
                       "precision": r["geo_precision"],
                       "violation": bool(r["violation"])},
    } for r in rows]
    return {"type": "FeatureCollection", "features": features, "count": count,
            "truncated": len(features) >= limit}
