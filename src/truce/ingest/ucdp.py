"""UCDP GED CSV files (Georeferenced Event Dataset, e.g. v23.1) as truce records.

Each row becomes an incident ``ucdp:<id>`` with one report from the UCDP GED
source. Every original column but the coordinates is kept in the report's
payload (low/best/high, source_article, source_office, ...), so nothing UCDP
said is lost and an export can write it back. ``side_a``/``side_b`` become
``actor1``/``actor2`` as UCDP gives them.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path

from ..domain.actors import Source, SourceKind
from ..domain.bounds import check_count, check_day
from ..domain.exceptions import ValidationError
from ..domain.incidents import (
    CasualtyCategory,
    CasualtyFigure,
    Incident,
    Report,
    Status,
    TargetType,
)
from ..domain.places import check_coordinates
from ..domain.precision import GeoPrecision, TimePrecision
from .acled import ImportedEvent, Rejected, country_code, day_span, read_table, whole_number

__all__ = ["REQUIRED", "UCDP_SOURCE", "parse_ucdp_row", "read_ucdp"]

REQUIRED = ("id", "type_of_violence", "date_start", "date_end", "date_prec", "where_prec",
            "latitude", "longitude")
UCDP_SOURCE = Source(id="ucdp-ged", name="UCDP Georeferenced Event Dataset (GED)", kind=SourceKind.NGO,
                     url="https://ucdp.uu.se/downloads/")
_VIOLENCE = {
    "1": ("Battles", "Armed clash", "state-based conflict"),
    "2": ("Battles", "Armed clash", "non-state conflict"),
    "3": ("Violence against civilians", "Attack", "one-sided violence"),
}
_NOT_IN_PAYLOAD = ("latitude", "longitude", "geom_wkt")


def _day(text: str, field: str) -> date:
    """'2009-02-20' or '2009-02-20T00:00:00' (as in GED's GeoJSON-derived files),
    within the record's calendar (``domain.bounds``)."""
    try:
        day = datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"{field} {text[:40]!r} is not a date (YYYY-MM-DD)") from None
    return check_day(day, field)


def _count(row: dict[str, str], field: str) -> int:
    return whole_number(row.get(field) or "", field)


def parse_ucdp_row(line: int, row: dict[str, str], tz: tzinfo) -> ImportedEvent | Rejected:
    """One GED row as an incident with its report and casualty figures; or why not."""
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    missing = [c for c in REQUIRED if not get(c)]
    if missing:
        return Rejected(line, f"missing {', '.join(missing)}")
    try:
        violence = _VIOLENCE.get(get("type_of_violence"))
        if violence is None:
            raise ValueError(f"type_of_violence {get('type_of_violence')!r} is not 1, 2 or 3")
        first, last = _day(get("date_start"), "date_start"), _day(get("date_end"), "date_end")
        if last < first:
            raise ValueError(f"date_end {last} is before date_start {first}")
        time_precision = TimePrecision.from_ucdp(_count(row, "date_prec"))
        geo_precision = GeoPrecision.from_ucdp(_count(row, "where_prec"))
        try:
            latitude, longitude = float(get("latitude")), float(get("longitude"))
        except ValueError:
            raise ValueError(f"coordinates {get('latitude')!r}, {get('longitude')!r} are not numbers") from None
        check_coordinates(latitude, longitude)
        military = check_count(_count(row, "deaths_a") + _count(row, "deaths_b"), "deaths_a + deaths_b")
        civilian, unknown = _count(row, "deaths_civilians"), _count(row, "deaths_unknown")
    except (ValueError, ValidationError) as exc:
        return Rejected(line, str(exc))

    event_type, sub_type, label = violence
    start, _ = day_span(first, tz)
    _, end = day_span(last, tz)
    place_name = get("where_coordinates") or get("adm_2") or get("adm_1") or None
    dyad = get("dyad_name") or " - ".join(s for s in (get("side_a"), get("side_b")) if s)
    incident = Incident(
        id=f"ucdp:{get('id')}", title=f"{dyad or label}: {sub_type.lower()} at {place_name or get('country')}",
        event_type=event_type, sub_type=sub_type, start=start, end=end,
        time_precision=time_precision, place_name=place_name, latitude=latitude,
        longitude=longitude, geo_precision=geo_precision, country=country_code(None, get("country")),
        target_type=TargetType.CIVILIAN if get("type_of_violence") == "3" else TargetType.UNKNOWN,
        status=Status.PUBLISHED, actor1=get("side_a") or None, actor2=get("side_b") or None,
    )
    payload = {"format": "ucdp-ged", **{k: v for k, v in row.items() if k not in _NOT_IN_PAYLOAD and v != ""}}
    report = Report(
        id=f"ucdp-report:{get('id')}", source=UCDP_SOURCE.id, received=end,
        summary=get("source_headline") or get("where_description") or incident.title,
        observed_at=start, latitude=latitude, longitude=longitude, payload=payload,
    )
    figures = tuple(
        CasualtyFigure(category=category, kind="killed", value=value, source=UCDP_SOURCE.id,
                       text=f"UCDP GED {field}")
        for category, value, field in (
            (CasualtyCategory.CIVILIAN, civilian, "deaths_civilians"),
            (CasualtyCategory.MILITARY, military, "deaths_a + deaths_b"),
            (CasualtyCategory.UNKNOWN, unknown, "deaths_unknown"),
        )
    )
    return ImportedEvent(line=line, incident=incident, reports=(report,), sources=(UCDP_SOURCE,),
                         casualties=figures, resolve_place=place_name)


def read_ucdp(path: Path, tz: tzinfo) -> list[ImportedEvent | Rejected]:
    """Every data row of a UCDP GED CSV file, parsed; raises ValidationError if
    the file itself is unusable."""
    _header, rows = read_table(path, REQUIRED, "UCDP GED")
    return [parse_ucdp_row(line, row, tz) if isinstance(row, dict) else Rejected(line, row)
            for line, row in rows]
