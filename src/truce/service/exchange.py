"""Data exchange: ACLED, UCDP GED and GeoJSON files in; GeoJSON and ACLED CSV out.

``import_file`` reads a file (``truce.ingest``), then stores every row that
fits through ``records`` (each write ledgered), in one transaction. Rows already stored are skipped, so a file
imported twice loads nothing twice. Rows that do not fit come back with
their line number and reason.

Whatever a file says of an incident's status and grade is not taken: every
imported incident lands as a draft for an analyst to review, graded here
from the reports it came with, unless the import is asked to publish
(``truce import ... --publish``, an analyst's decision recorded in the
import's ledger entry and in one ``incident.publish`` entry per incident).

Nor does a file speak for the mission: the mission's voice comes only from
signed observer reports. A row whose report rests on a mission source (kind
observer or camera), whether the file declares it so or names a mission
source already stored, is rejected with the source named, and nothing of it
is written. A source id already stored (or declared earlier in the file)
with another kind or affiliation is never merged: its row is rejected too.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO, Any, cast

from ..domain.actors import Party, Source
from ..domain.canonical import canonical_bytes, sha256_hex
from ..domain.exceptions import ValidationError
from ..domain.incidents import CasualtyFigure, Incident, Report, Status, TargetType
from ..ingest.acled import (
    ACLED_COLUMNS,
    COUNTRIES,
    TRUCE_COLUMNS,
    Actors,
    ImportedEvent,
    Rejected,
    acled_row,
    actor_columns,
    read_acled,
)
from ..ingest.geojson_io import feature, feature_collection, read_geojson
from ..ingest.ucdp import read_ucdp
from ..store.repositories import IncidentFilter
from ..store.uow import UnitOfWork, use_case
from .curation import publish_incidents
from .grading import BATCH, regrade
from .places import resolve_place
from .records import add_incident, add_party_actor_source, add_report, report_content

__all__ = [
    "FORMATS", "ImportSummary", "export_csv", "export_geojson", "import_events", "import_file",
    "incident_actor_columns", "incidents_actor_columns",
    "read_file",
]

FORMATS = ("acled", "ucdp", "geojson")
Progress = Callable[[int, int], None]
Bundle = tuple[Incident, list[CasualtyFigure], list[Report], dict[str, Source]]


@dataclass
class ImportSummary:
    """What an import did: ids loaded, rows skipped as already stored, rows rejected."""

    loaded: list[str] = field(default_factory=list)
    skipped: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    parties_added: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)


def read_file(fmt: str, path: Path, tz: tzinfo) -> list[ImportedEvent | Rejected]:
    """Parse ``path`` as ``fmt`` (acled, ucdp or geojson); raises ValidationError
    if the file does not exist or cannot be used at all."""
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", field="format")
    if not path.is_file():
        raise ValidationError(f"no such file: {path}", field="file", remedy="check the path")
    if fmt == "acled":
        return read_acled(path, tz)
    if fmt == "ucdp":
        return read_ucdp(path, tz)
    return read_geojson(path)


def _conflict(uow: UnitOfWork, event: ImportedEvent) -> str | None:
    """Why this event's reports cannot be stored as they are, if they cannot."""
    here: set[str] = set()
    for report in event.reports:
        stored = uow.reports.content_hash(report.id)
        if stored is not None and stored != sha256_hex(canonical_bytes(report_content(report))):
            return f"report {report.id} is already stored with different content"
        if report.corrects and report.corrects not in here and uow.reports.content_hash(report.corrects) is None:
            return f"report {report.id} corrects unknown report {report.corrects}"
        here.add(report.id)
    return None


def _source_conflict(uow: UnitOfWork, event: ImportedEvent, declared: dict[str, Source]) -> str | None:
    """Why this event's sources cannot be taken, if they cannot: a mission
    source (only signed observer reports speak for the mission), or an id
    already known here with another kind or affiliation. ``declared`` holds
    the sources earlier rows of this import brought."""
    where = f"feature {event.incident.id}"
    given = {s.id: s for s in event.sources}
    ids = sorted(set(given) | {r.source for r in event.reports} | {f.source for f in event.casualties if f.source})
    known = {**uow.directory.sources([i for i in ids if i not in declared]), **declared}
    for source_id in ids:
        source, stored = given.get(source_id), known.get(source_id)
        kind = next((s.kind for s in (stored, source) if s is not None and s.kind.is_mission), None)
        if kind is not None:
            return (f"{where}: source {source_id} is of the mission's own kind ({kind.value}); an import "
                    "never speaks for the mission (only signed observer reports do)")
        if source and stored and (source.kind, source.affiliation) != (stored.kind, stored.affiliation):
            return (f"{where}: source {source_id} is already known as {stored.kind.value}"
                    f" (affiliation {stored.affiliation or 'none'}), not {source.kind.value}"
                    f" (affiliation {source.affiliation or 'none'}); sources are not merged")
    return None


class _Importer:
    """Stores events in one unit of work, remembering what it has looked up."""

    def __init__(self, uow: UnitOfWork, now: datetime, summary: ImportSummary):
        self.uow, self.now, self.summary = uow, now, summary
        self.sources: set[str] = set()
        self.places: dict[tuple[str, str], str | None] = {}
        self.known_places: dict[str, bool] = {}

    def _place_exists(self, place_id: str) -> bool:
        if place_id not in self.known_places:
            self.known_places[place_id] = bool(self.uow.places.get_many([place_id]))
        return self.known_places[place_id]

    def place(self, event: ImportedEvent) -> Incident:
        """The incident with its place resolved by exact name in its own country,
        or its place id dropped when this store's gazetteer lacks it."""
        incident = event.incident
        if incident.place:
            return incident if self._place_exists(incident.place) else dataclasses.replace(incident, place=None)
        if not event.resolve_place or not incident.country:
            return incident
        key = (event.resolve_place, incident.country)
        if key not in self.places:
            found = resolve_place(self.uow, event.resolve_place, incident.country)  # two Martunis: unresolved
            self.places[key] = found.id if found else None
        return dataclasses.replace(incident, place=self.places[key])

    def source(self, source: Source) -> None:
        if source.id in self.sources:
            return
        self.sources.add(source.id)
        if self.uow.directory.source_exists(source.id):
            return
        if source.affiliation and not self.uow.directory.party_exists(source.affiliation):
            add_party_actor_source(self.uow, Party(id=source.affiliation, name=source.affiliation))
            self.summary.parties_added.append(source.affiliation)
        add_party_actor_source(self.uow, source)

    def report(self, report: Report) -> Report:
        place_id = report.payload.get("place_id")
        if place_id and not self._place_exists(place_id):
            report = dataclasses.replace(report, payload={**report.payload, "place_id": None})
        return report

    def store(self, event: ImportedEvent) -> None:
        for source in event.sources:
            self.source(source)
        incident = self.place(event)
        add_incident(self.uow, incident, self.now, list(event.casualties))
        for report in event.reports:
            add_report(self.uow, self.report(report))
            self.uow.incidents.link_report(incident.id, report.id)


def _as_draft(event: ImportedEvent) -> ImportedEvent:
    """The event with the file's status and grades dropped: they are decided here."""
    incident = dataclasses.replace(event.incident, status=Status.DRAFT, grade=None,
                                   grade_reasons=(), grade_override=None,
                                   grade_override_reason=None)
    return dataclasses.replace(event, incident=incident)


@use_case
def import_events(uow: UnitOfWork, events: Sequence[ImportedEvent | Rejected], *, origin: str,
                  name: str, now: datetime, publish: bool = False,
                  progress: Progress | None = None) -> ImportSummary:
    """Store the events that fit, as graded drafts (published with ``publish``),
    in one transaction; returns the summary.

    ``origin`` and ``name`` (the format and the file) go into one ledger entry
    for the import as a whole, with whether it was published.
    """
    summary = ImportSummary()
    importer = _Importer(uow, now, summary)
    first_line: dict[str, int] = {}
    declared: dict[str, Source] = {}
    for done, event in enumerate(events, start=1):
        if isinstance(event, Rejected):
            summary.rejected.append(event)
        elif event.incident.id in first_line:
            summary.rejected.append(Rejected(
                event.line, f"{event.incident.id} repeats the row on line {first_line[event.incident.id]}"))
        elif uow.incidents.exists(event.incident.id):
            first_line[event.incident.id] = event.line
            summary.skipped += 1
        elif (reason := _conflict(uow, event) or _source_conflict(uow, event, declared)) is not None:
            summary.rejected.append(Rejected(event.line, reason))
        else:
            declared.update({s.id: s for s in event.sources if s.id not in declared})
            first_line[event.incident.id] = event.line
            importer.store(_as_draft(event))
            summary.loaded.append(event.incident.id)
        if progress and (done % 100 == 0 or done == len(events)):
            progress(done, len(events))
    if not summary.loaded:  # a file that adds nothing leaves the store, ledger included, untouched
        return summary
    graded: list[str] = []
    for start in range(0, len(summary.loaded), BATCH):
        grades = regrade(uow, summary.loaded[start:start + BATCH])
        graded += [i for i in summary.loaded[start:start + BATCH] if grades.get(i) is not None]
    uow.record(f"import.{origin}", name, {
        "loaded": len(summary.loaded), "skipped": summary.skipped,
        "rejected": [{"line": r.line, "reason": r.reason} for r in summary.rejected],
        "status": "published" if publish else "draft",
    })
    if publish:  # an incident nothing grades stays a draft
        publish_incidents(uow, graded, now)
        summary.published = graded
    return summary


def import_file(uow: UnitOfWork, fmt: str, path: Path, *, tz: tzinfo, now: datetime,
                publish: bool = False, progress: Progress | None = None) -> ImportSummary:
    """Read ``path`` as ``fmt`` and store what fits, as graded drafts (or
    published, with ``publish``), in one transaction."""
    events = read_file(fmt, path, tz)
    return import_events(uow, events, origin=fmt, name=path.name, now=now, publish=publish,
                         progress=progress)


def _bundles(uow: UnitOfWork, filters: IncidentFilter) -> list[Bundle]:
    """The filtered incidents with their figures, reports and sources, as the
    filter's reader (``filters.seen_by``; None: the mission) may see them. A
    filter naming a place or party the record does not know is an error."""
    from .incidents import check_filter_names

    check_filter_names(uow, filters)
    incidents = uow.incidents.list(filters)
    ids = [i.id for i in incidents]
    # cast: IncidentRepository.list shadows the builtin in its own annotations (mypy)
    figures = cast(dict[str, list[CasualtyFigure]], uow.incidents.casualties(ids))
    reports = uow.reports.for_incidents(ids, seen_by=filters.seen_by)
    used = {r.source for rs in reports.values() for r in rs} | {
        f.source for fs in figures.values() for f in fs if f.source}
    sources = uow.directory.sources(used)
    return [(i, figures[i.id], sorted(reports[i.id], key=lambda r: (r.received, r.id)), sources)
            for i in incidents]


def export_geojson(uow: UnitOfWork, filters: IncidentFilter) -> dict[str, Any]:
    """The incidents that pass ``filters`` as a GeoJSON FeatureCollection (a dict)."""
    bundles = _bundles(uow, filters)
    actors = incidents_actor_columns(uow, [b[0] for b in bundles], {b[0].id: b[2] for b in bundles})
    return feature_collection([feature(*bundle, actors=actors[bundle[0].id]) for bundle in bundles])


def export_csv(uow: UnitOfWork, filters: IncidentFilter, handle: IO[str], tz: tzinfo) -> int:
    """Write the incidents that pass ``filters`` to ``handle`` as ACLED-layout CSV
    (then the ``truce_*`` columns); returns the number of rows written. Days are
    calendar days in ``tz``."""
    writer = csv.DictWriter(handle, fieldnames=[*ACLED_COLUMNS, *TRUCE_COLUMNS], lineterminator="\n")
    writer.writeheader()
    count = 0
    bundles = _bundles(uow, filters)
    named = record_actors(uow, [b[0] for b in bundles])
    for incident, figures, reports, sources in bundles:
        writer.writerow(acled_row(incident, figures, reports, sources, tz, named[incident.id]))
        count += 1
    return count


def incident_actor_columns(uow: UnitOfWork, incident: Incident, reports: Sequence[Report]) -> dict[str, str]:
    """An incident's actor1/actor2, their types and interaction code exactly as
    the ACLED export writes them (``acled.actor_columns``)."""
    return incidents_actor_columns(uow, [incident], {incident.id: reports})[incident.id]


def incidents_actor_columns(uow: UnitOfWork, incidents: Sequence[Incident],
                            reports: Mapping[str, Sequence[Report]] | None = None) -> dict[str, dict[str, str]]:
    """``incident_actor_columns`` for many incidents at once, by id: the one
    rule the API, the GeoJSON and CSV exports and the CLI name actors by.
    ``reports`` (by incident id) are read when not given."""
    if reports is None:
        reports = uow.reports.for_incidents([i.id for i in incidents])
    named = record_actors(uow, incidents)
    return {i.id: actor_columns(i, _acled_payload(reports.get(i.id, ())), named[i.id]) for i in incidents}


def _acled_payload(reports: Sequence[Report]) -> dict:
    return next((r.payload for r in reports if r.payload.get("format") == "acled"), {})


def record_actors(uow: UnitOfWork, incidents: Sequence[Incident]) -> dict[str, Actors]:
    """For each incident, who acted and on whom as the record says: the party
    found or alleged responsible (``domain.violations.acted_by``, the
    violations rule: who the observers saw impose a restriction, else the
    perpetrator claims), the side holding the ground it hit when that is
    another side, and the country whose civilians were targeted."""
    from ..domain.taxonomy import is_territory_change
    from ..domain.violations import acted_by
    from ..settings import get_settings
    from .violations import MISSION_ACTOR_KINDS, restricted_by

    ids = [i.id for i in incidents]
    parties = {p.id: p.name for p in uow.directory.parties()}
    mission = {a.id for a in uow.directory.actors().values() if a.kind in MISSION_ACTOR_KINDS}
    claims = uow.claims.counted_for_incidents(ids)  # who is responsible: the claims that count
    geo = uow.monitoring.geo(ids)
    restricted = restricted_by(uow, ids)
    sides = get_settings().party_sides
    out: dict[str, Actors] = {}
    for i in incidents:
        party = acted_by(claims[i.id], parties, mission, restricted.get(i.id, ()),
                         territory_change=is_territory_change(i.event_type, i.sub_type)).party
        ground = geo[i.id].side if i.id in geo else None
        target = None
        if party and ground and ground in parties and sides.get(ground, ground) != sides.get(party, party):
            target = parties[ground]
        civilians = COUNTRIES.get(i.country or "", (None, None))[1] if i.target_type is TargetType.CIVILIAN else None
        out[i.id] = Actors(perpetrator=parties.get(party or ""), target=target, civilians_of=civilians)
    return out
