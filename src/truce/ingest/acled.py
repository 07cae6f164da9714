"""ACLED CSV exports: rows in as truce records, incidents out as ACLED rows.

Reading is pure: ``read_acled(path, tz)`` returns one ``ImportedEvent`` or
``Rejected`` per data row (with its line number); the service layer stores
them. Actors are kept verbatim, as ACLED gives them: nothing here infers who
attacked whom. ``acled_row`` writes one incident back in ACLED's layout with
truce's own ``truce_*`` columns at the end.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from ..domain.actors import Source, SourceKind
from ..domain.bounds import check_count, check_day, check_moment
from ..domain.casualties import casualty_ranges
from ..domain.exceptions import ValidationError
from ..domain.incidents import CasualtyCategory, CasualtyFigure, Incident, Report, Status, TargetType
from ..domain.moments import utc_iso
from ..domain.places import check_coordinates, fold_name
from ..domain.precision import GeoPrecision, TimePrecision
from ..domain.taxonomy import check_event_type
from ..geo.incident_place import where_fields
from ..geo.naming import location_name

__all__ = [
    "ACLED_COLUMNS", "COUNTRIES", "REQUIRED", "TRUCE_COLUMNS", "Actors", "ImportedEvent", "Rejected",
    "acled_actors", "acled_row", "actor_columns", "country_code", "day_span", "read_acled", "read_table", "source_id",
    "whole_number",
]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
REQUIRED = ("event_id_cnty", "event_date", "event_type", "latitude", "longitude")
TRUCE_COLUMNS = (
    "truce_id", "truce_title", "truce_start", "truce_end", "truce_time_precision",
    "truce_geo_precision", "truce_place_id", "truce_country", "truce_weapon_class",
    "truce_target_type", "truce_status", "truce_grade", "truce_grade_reasons",
    "truce_place_label", "truce_location_uncertainty_m",
)
# ACLED columns truce has no field for: kept in the report's payload, written back on export.
_PAYLOAD = ("disorder_type", "assoc_actor_1", "inter1", "assoc_actor_2", "inter2", "interaction",
            "iso", "region", "country", "admin1", "admin2", "admin3", "source_scale", "tags",
            "timestamp")
# ISO 3166-1 alpha-2 -> (numeric, name); unknown countries stay None rather than guessed.
COUNTRIES: dict[str, tuple[int, str]] = {
    "AM": (51, "Armenia"), "AZ": (31, "Azerbaijan"), "GE": (268, "Georgia"),
    "TR": (792, "Turkey"), "IR": (364, "Iran"), "RU": (643, "Russia"),
    "CF": (140, "Central African Republic"),
}
_DISORDER = {"Protests": "Demonstrations", "Riots": "Demonstrations",
             "Strategic developments": "Strategic developments"}
_MAX_ID = 64
# ACLED's actor type codes (inter1, inter2) truce can name from its own record.
STATE_FORCES, CIVILIANS = 1, 7


@dataclass(frozen=True)
class Actors:
    """Who acted and on whom, as far as the record says (names; None: not said).

    ``perpetrator`` is the party found or alleged responsible; ``target`` the
    party whose forces were hit (the side holding the ground, when it is not
    the perpetrator's); ``civilians_of`` the country whose civilians were
    targeted.
    """

    perpetrator: str | None = None
    target: str | None = None
    civilians_of: str | None = None


def acled_actors(actors: Actors) -> dict[str, str]:
    """actor1/inter1, actor2/inter2 and the interaction code in ACLED's terms.

    >>> acled_actors(Actors(perpetrator="Azerbaijan", civilians_of="Armenia"))["interaction"]
    '17'
    >>> acled_actors(Actors(perpetrator="Armenia"))["interaction"]
    '10'
    """
    row = {"actor1": "", "inter1": "", "actor2": "", "inter2": "", "interaction": ""}
    if actors.perpetrator:
        row.update(actor1=f"Military Forces of {actors.perpetrator}", inter1=str(STATE_FORCES))
    if actors.civilians_of:
        row.update(actor2=f"Civilians ({actors.civilians_of})", inter2=str(CIVILIANS))
    elif actors.target:
        row.update(actor2=f"Military Forces of {actors.target}", inter2=str(STATE_FORCES))
    if row["inter1"]:  # ACLED: the two codes, lower first; "x0" when acting alone
        codes = sorted(int(c) for c in (row["inter1"], row["inter2"]) if c)
        row["interaction"] = "".join(map(str, codes)) if len(codes) == 2 else f"{codes[0]}0"
    return row


@dataclass(frozen=True)
class ImportedEvent:
    """One incident read from a file, with what it rests on.

    ``resolve_place`` is a name to match exactly against the gazetteer, in
    the incident's country only; unmatched, the incident keeps ``place_name``.
    """

    line: int
    incident: Incident
    reports: tuple[Report, ...]
    sources: tuple[Source, ...]
    casualties: tuple[CasualtyFigure, ...] = ()
    resolve_place: str | None = None


@dataclass(frozen=True)
class Rejected:
    """A row that does not fit, with its line number (1 is the header) and why."""

    line: int
    reason: str


def country_code(iso: str | None, name: str | None) -> str | None:
    """ISO alpha-2 from an ISO numeric code or an English name; None when unknown.

    >>> country_code("51", None), country_code("", "Azerbaijan"), country_code("999", "Atlantis")
    ('AM', 'AZ', None)
    """
    for code, (numeric, known) in COUNTRIES.items():
        if (iso or "").strip().lstrip("0") == str(numeric) or fold_name(name or "") == fold_name(known):
            return code
    return None


def source_id(prefix: str, name: str) -> str:
    """A stable id for a named source, at most 64 characters.

    >>> source_id("acled-source:", "Armenpress; Azatutyun")
    'acled-source:armenpress-azatutyun'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "unnamed"
    if len(prefix) + len(slug) > _MAX_ID:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        slug = slug[:_MAX_ID - len(prefix) - 9].rstrip("-") + "-" + digest
    return prefix + slug


def day_span(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The first and last second of ``day`` in ``tz``."""
    start = datetime.combine(day, time(), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time(), tzinfo=tz) - timedelta(seconds=1)


def read_table(path: Path, required: Sequence[str], what: str
               ) -> tuple[list[str], list[tuple[int, dict[str, str] | str]]]:
    """Read a CSV file: (header, [(line, row or reason it cannot be read)]).

    Raises ValidationError if the file cannot be used at all (not UTF-8 text,
    not CSV, or missing ``required`` columns); blank lines are ignored.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path} cannot be read as a UTF-8 {what} CSV file: {exc}",
                              field="file") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str] | str]] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise ValidationError(
                f"{path} is not a {what} CSV file: missing required columns {', '.join(missing)}",
                field="file", remedy=f"export it again with {what}'s standard columns")
        previous_end = reader.line_num
        for values in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not values:
                continue
            if len(values) != len(header):
                rows.append((line, f"has {len(values)} fields, the header has {len(header)}"))
            else:
                rows.append((line, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        raise ValidationError(f"{path} is not a CSV file: {exc} (line {reader.line_num})",
                              field="file") from None
    return header, rows


def _acled_day(text: str) -> date:
    """The day of ``event_date``, within the record's calendar (``domain.bounds``)."""
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return check_day(day, "event_date")
    raise ValueError(f"event_date {text!r} is not a date (2020-10-14 or 14 October 2020)")


def whole_number(text: str, field: str) -> int:
    """A count of people in a file's column ("12", or "12.0" as some tools
    write it), bounded as every count is (``domain.bounds.check_count``);
    empty is 0. Raises ValidationError naming ``field``.

    >>> whole_number("12.0", "fatalities")
    12
    """
    text = text.strip() or "0"
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number.is_integer()):
            raise ValidationError(f"{text[:40]!r} is not a whole number", field=field) from None
        value = int(number)
    return check_count(value, field)


def _number(text: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{field} {text!r} is not a number") from None


def _code(text: str, field: str, default: int = 1) -> int:
    """A precision code; ACLED leaves it out for the most precise (1)."""
    try:
        return int(text) if text else default
    except ValueError:
        raise ValueError(f"{field} {text!r} is not a number") from None


def _received(text: str) -> datetime | None:
    """When ACLED recorded the row (``timestamp``, Unix seconds), within the
    record's calendar; None when it is not given as a number."""
    try:
        seconds = int(text)
    except ValueError:
        return None
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        raise ValidationError(f"{text[:40]} seconds since 1970 is outside the dates records can have",
                              field="timestamp") from None
    return check_moment(moment, "timestamp")


def parse_acled_row(line: int, row: dict[str, str], tz: tzinfo) -> ImportedEvent | Rejected:
    """One ACLED row as an incident, its report, source and casualty figure; or why not."""
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    own_export = bool(get("truce_id"))  # truce's own CSV may leave unlocated incidents blank
    needed = [c for c in REQUIRED if not (own_export and c in ("latitude", "longitude"))]
    missing = [c for c in needed if not get(c)]
    if missing:
        return Rejected(line, f"missing {', '.join(missing)}")
    event_id = get("event_id_cnty")
    if len(event_id) > _MAX_ID - len("acled-report:"):
        return Rejected(line, f"event_id_cnty {event_id[:20]!r}... is longer than 51 characters")
    try:
        day = _acled_day(get("event_date"))
        event_type, sub_type = get("event_type"), get("sub_event_type") or None
        check_event_type(event_type, sub_type)
        latitude = longitude = None
        if get("latitude") or get("longitude"):
            latitude, longitude = _number(get("latitude"), "latitude"), _number(get("longitude"), "longitude")
            check_coordinates(latitude, longitude)
        time_precision = TimePrecision.from_acled(_code(get("time_precision"), "time_precision"))
        geo_precision = GeoPrecision.from_acled(_code(get("geo_precision"), "geo_precision"))
        if latitude is None:
            geo_precision = GeoPrecision(get("truce_geo_precision") or "country")
        fatalities = whole_number(get("fatalities"), "fatalities")
        received = _received(get("timestamp"))
    except (ValueError, ValidationError) as exc:
        return Rejected(line, str(exc))

    start, end = day_span(day, tz)
    civilian = bool(get("civilian_targeting"))
    location = get("location") or None
    country = country_code(get("iso"), get("country"))
    name = get("source") or "ACLED (no source named)"
    source = Source(id=source_id("acled-source:", name), name=name, kind=SourceKind.NEWS)
    received = received or start
    incident = Incident(
        id=f"acled:{event_id}", title=f"{sub_type or event_type}: {location or get('admin1') or country or '?'}",
        event_type=event_type, sub_type=sub_type, start=start, end=end,
        time_precision=time_precision, place_name=location, latitude=latitude, longitude=longitude,
        geo_precision=geo_precision, country=country,
        target_type=TargetType.CIVILIAN if civilian else TargetType.UNKNOWN,
        status=Status.PUBLISHED, actor1=get("actor1") or None, actor2=get("actor2") or None,
    )
    payload = {"format": "acled", **{k: get(k) for k in _PAYLOAD if get(k)}}
    if civilian:
        payload["civilian_targeting"] = get("civilian_targeting")
    report = Report(
        id=f"acled-report:{event_id}", source=source.id, received=received,
        summary=get("notes") or incident.title, observed_at=start,
        latitude=latitude, longitude=longitude, payload=payload,
    )
    figure = CasualtyFigure(
        category=CasualtyCategory.CIVILIAN if civilian else CasualtyCategory.UNKNOWN,
        kind="killed", value=fatalities, source=source.id,
    )
    if get("truce_place_id"):  # truce's own export: the place it named, not the shown label
        incident = dataclasses.replace(incident, place=get("truce_place_id"))
    return ImportedEvent(line=line, incident=incident, reports=(report,), sources=(source,),
                         casualties=(figure,), resolve_place=location)


def read_acled(path: Path, tz: tzinfo) -> list[ImportedEvent | Rejected]:
    """Every data row of an ACLED CSV file, parsed; raises ValidationError if
    the file itself is unusable."""
    _header, rows = read_table(path, REQUIRED, "ACLED")
    return [parse_acled_row(line, row, tz) if isinstance(row, dict) else Rejected(line, row)
            for line, row in rows]


def actor_columns(incident: Incident, payload: dict, actors: Actors) -> dict[str, str]:
    """actor1/actor2, inter1/inter2 and interaction of an incident, the one rule
    every output names its actors by: as an imported ACLED row (``payload``)
    named them, else as the record says (``actors``, ``acled_actors``)."""
    derived = acled_actors(actors)
    if incident.actor1 or incident.actor2:  # as an imported ACLED row named them
        return {"actor1": incident.actor1 or "", "actor2": incident.actor2 or "",
                **{k: str(payload.get(k, "")) for k in ("inter1", "inter2", "interaction")}}
    return derived


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def acled_row(incident: Incident, figures: Sequence[CasualtyFigure], reports: Sequence[Report],
              sources: dict[str, Source], tz: tzinfo, actors: Actors | None = None) -> dict[str, str]:
    """One incident in ACLED's column layout, then the ``truce_*`` columns.

    Columns truce has no field for come back from an ACLED report's payload;
    ``fatalities`` is the sum of the best killed estimate in each category.
    Actors an ACLED row gave are kept as given; otherwise ``actors`` (what the
    record says) fills actor1/actor2, their types and the interaction code.
    """
    i = incident
    payload: dict = next((r.payload for r in reports if r.payload.get("format") == "acled"), {})
    day = i.start.astimezone(tz).date()
    numeric, name = COUNTRIES.get(i.country or "", (None, None))
    killed = sum(r.best for (_c, kind), r in casualty_ranges(
        f for f in figures if f.scope == "incident").items() if kind == "killed")
    names = list(dict.fromkeys(sources[r.source].name if r.source in sources else r.source
                               for r in reports))
    row = {column: str(payload.get(column, "")) for column in ACLED_COLUMNS}
    row.update({
        "event_id_cnty": i.id.removeprefix("acled:"), "event_date": day.isoformat(),
        "year": str(day.year), "time_precision": str(i.time_precision.to_acled()),
        "disorder_type": payload.get("disorder_type") or _DISORDER.get(i.event_type, "Political violence"),
        "event_type": i.event_type, "sub_event_type": i.sub_type or "",
        **actor_columns(i, payload, actors or Actors()),
        "civilian_targeting": (payload.get("civilian_targeting") or "Civilian targeting")
        if i.target_type is TargetType.CIVILIAN else "",
        "iso": payload.get("iso") or (str(numeric) if numeric else ""),
        "country": payload.get("country") or name or "",
        "location": location_name(i.place, i.place_name, i.latitude, i.longitude),
        "latitude": _num(i.latitude), "longitude": _num(i.longitude),
        "geo_precision": str(i.geo_precision.to_acled()), "source": "; ".join(names),
        "notes": " | ".join(r.summary for r in reports), "fatalities": str(killed),
        "timestamp": payload.get("timestamp")
        or (str(int(min(r.received for r in reports).timestamp())) if reports else ""),
    })
    grade, where = i.effective_grade, where_fields(i)
    row.update({
        "truce_id": i.id, "truce_title": i.title, "truce_start": utc_iso(i.start),
        "truce_end": utc_iso(i.end), "truce_time_precision": i.time_precision.value,
        "truce_geo_precision": i.geo_precision.value, "truce_place_id": i.place or "",
        "truce_country": i.country or "", "truce_weapon_class": i.weapon_class.value,
        "truce_target_type": i.target_type.value, "truce_status": i.status.value,
        "truce_grade": grade.value if grade else "", "truce_grade_reasons": "; ".join(i.grade_reasons),
        "truce_place_label": where["place_label"] or "",
        "truce_location_uncertainty_m": _num(where["location_uncertainty_m"]),
    })
    return row
