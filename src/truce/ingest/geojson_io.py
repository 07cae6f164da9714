"""truce's GeoJSON (RFC 7946): incidents out as Features, and back in.

A Feature's geometry is a Point ``[longitude, latitude]`` (at most 6
decimals, WGS84, no ``crs`` member) or null for an incident not yet located.
Its properties carry the incident with its precision codes in truce's,
ACLED's and UCDP's terms, its casualty figures, its reports and their
sources: everything ``truce import geojson`` needs to rebuild it. Observer
identities and report positions are never written.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain.actors import Source, SourceKind
from ..domain.bounds import check_count, check_day, check_finite, parse_moment
from ..domain.exceptions import ValidationError
from ..domain.grades import Grade
from ..domain.incidents import (
    CasualtyCategory,
    CasualtyFigure,
    Incident,
    Qualifier,
    Report,
    Status,
    TargetType,
)
from ..domain.links import http_url
from ..domain.moments import utc_iso
from ..domain.places import check_coordinates
from ..domain.precision import GeoPrecision, TimePrecision
from ..domain.taxonomy import WeaponClass, check_event_type
from ..geo.incident_place import where_fields
from .acled import ImportedEvent, Rejected

__all__ = ["feature", "feature_collection", "parse_feature", "read_geojson"]


def _iso(value: datetime | date | None) -> str | None:
    """A moment as every machine-readable output writes it (``utc_iso``); a day as a day."""
    if isinstance(value, datetime):
        return utc_iso(value)
    return value.isoformat() if value is not None else None


def feature(incident: Incident, figures: Sequence[CasualtyFigure], reports: Sequence[Report],
            sources: dict[str, Source], actors: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One incident as a GeoJSON Feature (a dict ready for ``json.dumps``);
    ``actors``: its actor columns as every output names them
    (``service.exchange.incidents_actor_columns``), else as stored."""
    i = incident
    geometry = None
    if i.latitude is not None and i.longitude is not None:
        geometry = {"type": "Point", "coordinates": [round(i.longitude, 6), round(i.latitude, 6)]}
    used = sorted({r.source for r in reports} | {f.source for f in figures if f.source})
    properties = {
        "id": i.id, "title": i.title, "event_type": i.event_type, "sub_type": i.sub_type,
        "start": _iso(i.start), "end": _iso(i.end), "time_precision": i.time_precision.value,
        "acled_time_precision": i.time_precision.to_acled(), "ucdp_date_prec": i.time_precision.to_ucdp(),
        "place_id": i.place, "place_name": i.place_name,
        **where_fields(i), "geo_precision": i.geo_precision.value,
        "acled_geo_precision": i.geo_precision.to_acled(), "ucdp_where_prec": i.geo_precision.to_ucdp(),
        "country": i.country, "weapon_class": i.weapon_class.value, "target_type": i.target_type.value,
        "damage": i.damage, "status": i.status.value,
        "actor1": (actors.get("actor1") if actors is not None else i.actor1) or None,
        "actor2": (actors.get("actor2") if actors is not None else i.actor2) or None,
        "grade": i.grade.value if i.grade else None, "grade_reasons": list(i.grade_reasons),
        "grade_override": i.grade_override.value if i.grade_override else None,
        "grade_override_reason": i.grade_override_reason,
        "casualties": [{
            "category": f.category.value, "kind": f.kind, "value": f.value,
            "qualifier": f.qualifier.value, "scope": f.scope, "source": f.source,
            "as_of": _iso(f.as_of), "text": f.text,
        } for f in figures],
        "reports": [{
            "id": r.id, "source": r.source, "kind": r.kind, "received": _iso(r.received),
            "observed_at": _iso(r.observed_at), "summary": r.summary, "corrects": r.corrects,
            "payload": r.payload,
        } for r in sorted(reports, key=lambda r: (r.received, r.id))],
        "sources": [{
            "id": s.id, "name": s.name, "kind": s.kind.value, "affiliation": s.affiliation,
            "url": s.url, "published": _iso(s.published),
        } for s in (sources[k] for k in used if k in sources)],
    }
    return {"type": "Feature", "id": i.id, "geometry": geometry, "properties": properties}


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection of ``features`` (RFC 7946: no ``crs``, WGS84 implied)."""
    return {"type": "FeatureCollection", "features": features}


def _moment(text: Any, field: str) -> datetime:
    """An ISO 8601 time with its offset, within the record's calendar (``domain.bounds``)."""
    if not isinstance(text, str):
        raise ValidationError(f"{str(text)[:40]!r} is not an ISO 8601 time", field=field)
    return parse_moment(text, field)


def _day(text: Any, field: str) -> date:
    try:
        return check_day(date.fromisoformat(text), field)
    except (TypeError, ValueError):
        raise ValidationError(f"{str(text)[:40]!r} is not a date (YYYY-MM-DD)", field=field) from None


def _count(value: Any, field: str) -> int:
    """A count of people as JSON writes it (12, or 12.0), bounded as every count is."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{str(value)[:40]!r} is not a whole number", field=field)
    return check_count(value, field)


def _source_url(value: Any) -> str | None:
    if value in (None, ""):
        return None
    url = http_url(value)
    if url is None:
        raise ValueError(f"source url {str(value)[:80]!r} is not an http(s) address")
    return url


def parse_feature(number: int, raw: Any) -> ImportedEvent | Rejected:
    """One Feature of a truce export back into records; ``number`` counts from 1."""
    try:
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            raise ValueError("is not a GeoJSON Feature")
        p = raw.get("properties")
        if not isinstance(p, dict) or not p.get("id"):
            raise ValueError("has no properties with an id")
        latitude = longitude = None
        geometry = raw.get("geometry")
        if geometry is not None:
            coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if geometry.get("type") != "Point" or not isinstance(coordinates, list) or len(coordinates) < 2:
                raise ValueError("geometry is not a Point [longitude, latitude]")
            longitude, latitude = float(coordinates[0]), float(coordinates[1])
            check_finite(latitude, "latitude")
            check_finite(longitude, "longitude")
            check_coordinates(latitude, longitude)
        check_event_type(p["event_type"], p.get("sub_type"))
        incident = Incident(
            id=p["id"], title=p["title"], event_type=p["event_type"], sub_type=p.get("sub_type"),
            start=_moment(p.get("start"), "start"), end=_moment(p.get("end"), "end"),
            time_precision=TimePrecision(p.get("time_precision", "day")), place=p.get("place_id"),
            place_name=p.get("place_name"), latitude=latitude, longitude=longitude,
            geo_precision=GeoPrecision(p.get("geo_precision", "settlement")), country=p.get("country"),
            weapon_class=WeaponClass(p.get("weapon_class", "unknown")),
            target_type=TargetType(p.get("target_type", "unknown")), damage=p.get("damage"),
            status=Status(p.get("status", "draft")), actor1=p.get("actor1"), actor2=p.get("actor2"),
            grade=Grade(p["grade"]) if p.get("grade") else None,
            grade_reasons=tuple(p.get("grade_reasons") or ()),
            grade_override=Grade(p["grade_override"]) if p.get("grade_override") else None,
            grade_override_reason=p.get("grade_override_reason"),
        )
        incident = dataclasses.replace(incident, location_uncertainty_m=_estimate_radius(incident, p))
        figures = tuple(CasualtyFigure(
            category=CasualtyCategory(f["category"]), kind=f["kind"],
            value=_count(f["value"], f"casualties.{n}.value"),
            qualifier=Qualifier(f.get("qualifier", "exact")), scope=f.get("scope", "incident"),
            source=f.get("source"), as_of=_day(f["as_of"], f"casualties.{n}.as_of") if f.get("as_of") else None,
            text=f.get("text"),
        ) for n, f in enumerate(p.get("casualties") or []))
        reports = tuple(Report(
            id=r["id"], source=r["source"], received=_moment(r.get("received"), "received"),
            summary=r["summary"], kind=r.get("kind", "incident"), corrects=r.get("corrects"),
            observed_at=_moment(r["observed_at"], "observed_at") if r.get("observed_at") else None,
            payload=dict(r.get("payload") or {}),
        ) for r in p.get("reports") or [])
        sources = tuple(Source(
            id=s["id"], name=s["name"], kind=SourceKind(s["kind"]), affiliation=s.get("affiliation"),
            url=_source_url(s.get("url")),
            published=_moment(s["published"], "published") if s.get("published") else None,
        ) for s in p.get("sources") or [])
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as exc:
        reason = f"missing property {exc}" if isinstance(exc, KeyError) else str(exc)
        return Rejected(number, reason)
    return ImportedEvent(line=number, incident=incident, reports=reports, sources=sources,
                         casualties=figures)


def _estimate_radius(incident: Incident, properties: dict[str, Any]) -> float | None:
    """The exported radius of doubt, kept where it is an estimate's (not the
    typical one of the incident's precision, which follows from it)."""
    radius = properties.get("location_uncertainty_m")
    if radius is None or not incident.located or float(radius) == incident.geo_precision.uncertainty_m:
        return None
    return check_finite(float(radius), "location_uncertainty_m", low=0)


def read_geojson(path: Path) -> list[ImportedEvent | Rejected]:
    """Every Feature of a truce GeoJSON export, parsed (``line`` is the feature's
    number, from 1); raises ValidationError if the file is not a FeatureCollection."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path} is not a GeoJSON file: {exc}", field="file") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise ValidationError(f"{path} is not a GeoJSON FeatureCollection", field="file",
                              remedy="give a file written by `truce export geojson`")
    return [parse_feature(n, raw) for n, raw in enumerate(data["features"], start=1)]
