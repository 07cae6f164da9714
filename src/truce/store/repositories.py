"""Repositories: domain objects in, domain objects out.

Each takes the unit of work's connection; none commits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from ..domain.actors import Actor, Party, Source, SourceKind
from ..domain.agreements import Agreement, Term, TermKind
from ..domain.claims import Claim, ClaimStatus, Proposition, Stance
from ..domain.exceptions import NotFound
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
from ..domain.places import Control, Place, fold_name
from ..domain.precision import GeoPrecision, TimePrecision
from ..domain.taxonomy import WeaponClass
from . import tables as t
from .direct import DirectInsert, DirectSelect
from .rules import effective_grade
from .visibility import Visibility

__all__ = [
    "AgreementRepository",
    "ClaimRepository",
    "ControlRepository",
    "DirectoryRepository",
    "IncidentFilter",
    "IncidentRepository",
    "PlaceRepository",
    "ReportRepository",
]


class _Repository:
    def __init__(self, connection: Connection):
        self.connection = connection


class PlaceRepository(_Repository):
    def add_many(self, places: Iterable[Place], origin: str = "geonames") -> int:
        rows, names = [], []
        for place in places:
            rows.append({
                "id": place.id, "name": place.name, "latitude": place.latitude,
                "longitude": place.longitude, "country": place.country, "admin1": place.admin1,
                "population": place.population, "alternatenames": list(place.alternatenames),
                "origin": origin,
            })
            names.extend(spellings(place))
        if rows:
            self.connection.execute(insert(t.places), rows)
        if names:
            self.connection.execute(insert(t.place_names), names)
        return len(rows)

    def get(self, place_id: str) -> Place:
        row = self.connection.execute(select(t.places).where(t.places.c.id == place_id)).mappings().first()
        if row is None:
            raise NotFound(f"no place with id {place_id!r}", field="place")
        return _place(row)

    def find_exact(self, name: str) -> list[Place]:
        """Places with ``name`` among their spellings, largest population first."""
        key = fold_name(name)
        named = select(t.place_names.c.place_id).where(t.place_names.c.key == key)
        query = (
            select(t.places).where(t.places.c.id.in_(named))
            .order_by(t.places.c.population.desc().nulls_last(), t.places.c.id)
        )
        return [_place(row) for row in self.connection.execute(query).mappings()]

    def all_names(self) -> list[tuple[str, str, str]]:
        """Every (key, name, place id) of a place that exists, for fuzzy
        matching (a spelling written with SQL for no place is left out;
        `truce ledger verify` names it)."""
        query = (select(t.place_names.c.key, t.place_names.c.name, t.place_names.c.place_id)
                 .join(t.places, t.places.c.id == t.place_names.c.place_id))
        return [tuple(row) for row in self.connection.execute(query)]

    def get_many(self, ids: Sequence[str]) -> dict[str, Place]:
        if not ids:
            return {}
        rows = self.connection.execute(select(t.places).where(t.places.c.id.in_(list(ids)))).mappings()
        return {row["id"]: _place(row) for row in rows}

    def count(self) -> int:
        return self.connection.execute(select(func.count()).select_from(t.places)).scalar_one()

    def fingerprint(self) -> tuple:
        """A cheap summary that changes whenever a place or a name is added (places are only
        ever added): row counts, the highest id and sums of coordinates and name lengths.
        Lets a caller keep an index built from the places until the fingerprint moves."""
        places = self.connection.execute(select(
            func.count(), func.max(t.places.c.id), func.min(t.places.c.id),
            func.sum(t.places.c.latitude), func.sum(t.places.c.longitude),
            func.sum(t.places.c.population), func.sum(func.length(t.places.c.name)))).one()
        names = self.connection.execute(select(
            func.count(), func.sum(func.length(t.place_names.c.key)))).one()
        return tuple(places) + tuple(names)

    def in_countries(self, countries: Sequence[str]) -> list[Place]:
        """Every place of ``countries`` (ISO 3166-1 alpha-2)."""
        query = select(t.places).where(t.places.c.country.in_(list(countries)))
        return [_place(row) for row in self.connection.execute(query).mappings()]

    def all(self) -> list[Place]:
        return [_place(r) for r in self.connection.execute(select(t.places).order_by(t.places.c.id)).mappings()]

    def admin1_by_id(self) -> dict[str, str | None]:
        return dict(self.connection.execute(select(t.places.c.id, t.places.c.admin1)).all())

    def largest(self, countries: Sequence[str], min_population: int, limit: int) -> list[Place]:
        """Places of ``countries`` with at least ``min_population``, largest first."""
        p = t.places.c
        query = (select(t.places).where(p.population >= min_population, p.country.in_(list(countries)))
                 .order_by(p.population.desc(), p.id).limit(limit))
        return [_place(row) for row in self.connection.execute(query).mappings()]


def spellings(place: Place) -> list[dict[str, str]]:
    """The ``place_names`` rows a place gives: each of its names folded, once
    per folded key (the one rule: `truce ledger verify` re-derives them)."""
    rows, seen = [], set()
    for name in place.names:
        key = fold_name(name)
        if key and key not in seen:
            seen.add(key)
            rows.append({"place_id": place.id, "key": key, "name": name})
    return rows


def _place(row: Any) -> Place:
    return Place(
        id=row["id"], name=row["name"], latitude=row["latitude"], longitude=row["longitude"],
        country=row["country"], admin1=row["admin1"], population=row["population"],
        alternatenames=tuple(row["alternatenames"] or ()),
    )


_SOURCE_EXISTS = select(t.sources.c.id).where(t.sources.c.id == bindparam("id"))


class DirectoryRepository(_Repository):
    """Parties, actors and sources: who is who."""

    def __init__(self, connection: Connection):
        super().__init__(connection)
        self._sources_found: set[str] = set()  # sources seen stored in this unit of work

    def add_party(self, party: Party) -> None:
        self.connection.execute(insert(t.parties).values(id=party.id, name=party.name))

    def parties(self) -> list[Party]:
        rows = self.connection.execute(select(t.parties).order_by(t.parties.c.id))
        return [Party(id=r.id, name=r.name) for r in rows]

    def party_exists(self, party_id: str) -> bool:
        query = select(t.parties.c.id).where(t.parties.c.id == party_id)
        return self.connection.execute(query).first() is not None

    def add_actor(self, actor: Actor) -> None:
        self.connection.execute(insert(t.actors).values(
            id=actor.id, name=actor.name, kind=actor.kind, party_id=actor.party,
            aliases=list(actor.aliases),
        ))

    def actors(self) -> dict[str, Actor]:
        rows = self.connection.execute(select(t.actors)).mappings()
        return {r["id"]: Actor(id=r["id"], name=r["name"], kind=r["kind"], party=r["party_id"],
                               aliases=tuple(r["aliases"] or ())) for r in rows}

    def add_source(self, source: Source) -> None:
        self.connection.execute(insert(t.sources).values(
            id=source.id, name=source.name, kind=source.kind.value, published=source.published,
            actor_id=source.actor, affiliation=source.affiliation, url=source.url,
            repeats=source.repeats, relays=list(source.relays) or None,
        ))

    def get_source(self, source_id: str) -> Source:
        row = self.connection.execute(select(t.sources).where(t.sources.c.id == source_id)).mappings().first()
        if row is None:
            raise NotFound(f"no source with id {source_id!r}", field="source")
        return _source(row)

    def sources(self, ids: Iterable[str] | None = None) -> dict[str, Source]:
        query = select(t.sources)
        if ids is not None:
            query = query.where(t.sources.c.id.in_(list(ids)))
        return {r["id"]: _source(r) for r in self.connection.execute(query).mappings()}

    def source_exists(self, source_id: str) -> bool:
        """Whether the source is stored; one found is remembered for this unit
        of work (a group commit asks once per batch, not once per report)."""
        if source_id in self._sources_found:
            return True
        found = self.connection.execute(_SOURCE_EXISTS, {"id": source_id}).first() is not None
        if found:
            self._sources_found.add(source_id)
        return found


def _source(row: Any) -> Source:
    return Source(
        id=row["id"], name=row["name"], kind=SourceKind(row["kind"]), published=row["published"],
        actor=row["actor_id"], affiliation=row["affiliation"], url=row["url"], repeats=row["repeats"],
        relays=tuple(row["relays"] or ()),
    )


class IncidentFilter:
    """What ``incidents list`` and the API can filter on."""

    def __init__(self, *, start: datetime | None = None, end: datetime | None = None,
                 event_type: str | None = None, party: str | None = None,
                 place: str | None = None, grade: str | None = None,
                 published_only: bool = False, seen_by: Visibility | None = None,
                 limit: int | None = None, offset: int = 0):
        self.start, self.end = start, end
        self.event_type, self.party, self.place, self.grade = event_type, party, place, grade
        self.published_only, self.limit, self.offset = published_only, limit, offset
        self.seen_by = seen_by  # the reader, for outputs; None in the mission's own computations

    def where(self) -> list[Any]:
        c = t.incidents.c
        clauses: list[Any] = []
        if self.start is not None:
            clauses.append(c.end >= self.start)
        if self.end is not None:
            clauses.append(c.start < self.end)
        if self.event_type:
            clauses.append(c.event_type == self.event_type)
        if self.grade:
            clauses.append(effective_grade() == self.grade)
        if self.published_only:
            clauses.append(c.status == Status.PUBLISHED.value)
        if self.seen_by is not None:
            clauses.append(self.seen_by.incidents_sql())
        if self.place:
            key = fold_name(self.place)
            named = select(t.place_names.c.place_id).where(t.place_names.c.key == key)
            clauses.append(or_(c.place_id.in_(named), func.lower(c.place_name) == self.place.lower()))
        if self.party:
            blamed = select(t.claims.c.incident_id).where(
                t.claims.c.proposition == Proposition.PERPETRATOR.value,
                t.claims.c.value == self.party,
            )
            spoke = select(t.claims.c.incident_id).join(
                t.actors, t.actors.c.id == t.claims.c.actor_id
            ).where(t.actors.c.party_id == self.party)
            clauses.append(or_(c.id.in_(blamed), c.id.in_(spoke),
                               c.actor1 == self.party, c.actor2 == self.party))
        return clauses


class IncidentRepository(_Repository):
    def add(self, incident: Incident, created_at: datetime) -> None:
        self.connection.execute(insert(t.incidents).values(**_incident_row(incident), created_at=created_at))

    def add_many(self, incidents: Sequence[Incident], created_at: datetime) -> None:
        if incidents:
            self.connection.execute(
                insert(t.incidents), [dict(_incident_row(i), created_at=created_at,
                                           location_uncertainty_m=i.location_uncertainty_m)
                                      if any(j.location_uncertainty_m is not None for j in incidents)
                                      else dict(_incident_row(i), created_at=created_at)
                                      for i in incidents]
            )

    def get(self, incident_id: str, *, seen_by: Visibility | None = None) -> Incident:
        """The incident; with ``seen_by``, NotFound unless that reader may see it
        (the message does not tell whether it exists)."""
        query = select(t.incidents).where(t.incidents.c.id == incident_id)
        if seen_by is not None:
            query = query.where(seen_by.incidents_sql())
        row = self.connection.execute(query).mappings().first()
        if row is None:
            mine = "" if seen_by is None or seen_by.staff else " that you may read"
            raise NotFound(f"no incident with id {incident_id!r}{mine}", field="incident_id"
                           if seen_by is not None else "incident")
        return _incident(row)

    def exists(self, incident_id: str) -> bool:
        query = select(t.incidents.c.id).where(t.incidents.c.id == incident_id)
        return self.connection.execute(query).first() is not None

    def list(self, filters: IncidentFilter | None = None) -> list[Incident]:
        filters = filters or IncidentFilter()
        query = select(t.incidents).where(and_(True, *filters.where()))
        query = query.order_by(t.incidents.c.start, t.incidents.c.id).offset(filters.offset)
        if filters.limit is not None:
            query = query.limit(filters.limit)
        return [_incident(r) for r in self.connection.execute(query).mappings()]

    def count(self, filters: IncidentFilter | None = None) -> int:
        filters = filters or IncidentFilter()
        query = select(func.count()).select_from(t.incidents).where(and_(True, *filters.where()))
        return self.connection.execute(query).scalar_one()

    def ids(self) -> list[str]:
        return [i for (i,) in self.connection.execute(select(t.incidents.c.id).order_by(t.incidents.c.id))]

    def grades(self, incident_ids: Sequence[str]) -> dict[str, str | None]:
        """The computed grade of each incident, by id."""
        query = select(t.incidents.c.id, t.incidents.c.grade).where(t.incidents.c.id.in_(list(incident_ids)))
        return dict(self.connection.execute(query).all())

    def set_grades(self, updates: Sequence[dict[str, Any]]) -> None:
        """Each ``{"key": id, "grade": value, "grade_reasons": [...]}`` at once."""
        if updates:
            self.connection.execute(
                update(t.incidents).where(t.incidents.c.id == bindparam("key"))
                .values(grade=bindparam("grade"), grade_reasons=bindparam("grade_reasons")), list(updates))

    def located_page(self, after: str, limit: int) -> list[tuple[str, float, float, datetime]]:
        """Located incidents (id, longitude, latitude, start) after id ``after``, by id."""
        c = t.incidents.c
        query = (select(c.id, c.longitude, c.latitude, c.start)
                 .where(c.latitude.is_not(None), c.id > after).order_by(c.id).limit(limit))
        return [tuple(r) for r in self.connection.execute(query)]  # type: ignore[misc]

    def unresolved_place_rows(self) -> list[tuple[str, str | None, str, str]]:
        """(place name, country, precision, incident id) of incidents named at a place
        the gazetteer lacks, by name."""
        c = t.incidents.c
        query = (select(c.place_name, c.country, c.geo_precision, c.id)
                 .where(c.place_id.is_(None), c.place_name.is_not(None)).order_by(c.place_name, c.id))
        return [tuple(row) for row in self.connection.execute(query)]

    def set_grade(self, incident_id: str, grade: Grade, reasons: Sequence[str]) -> None:
        self.connection.execute(update(t.incidents).where(t.incidents.c.id == incident_id).values(
            grade=grade.value, grade_reasons=list(reasons)))

    def set_override(self, incident_id: str, grade: Grade | None, reason: str | None) -> None:
        self.connection.execute(update(t.incidents).where(t.incidents.c.id == incident_id).values(
            grade_override=grade.value if grade else None, grade_override_reason=reason))

    def set_span(self, incident_id: str, start: datetime, end: datetime) -> None:
        """When the event happened: its first and last moment."""
        self.connection.execute(update(t.incidents).where(t.incidents.c.id == incident_id).values(
            start=start, end=end))

    def set_status(self, incident_id: str, status: Status) -> None:
        self.connection.execute(update(t.incidents).where(t.incidents.c.id == incident_id).values(
            status=status.value))

    def add_casualties(self, incident_id: str, figures: Iterable[CasualtyFigure]) -> None:
        rows = [{
            "incident_id": incident_id, "category": f.category.value, "kind": f.kind,
            "value": f.value, "qualifier": f.qualifier.value, "scope": f.scope,
            "source_id": f.source, "as_of": f.as_of, "text": f.text,
        } for f in figures]
        if rows:
            self.connection.execute(insert(t.casualty_figures), rows)

    def casualties(self, incident_ids: Sequence[str]) -> dict[str, list[CasualtyFigure]]:
        found: dict[str, list[CasualtyFigure]] = {i: [] for i in incident_ids}
        if not incident_ids:
            return found
        query = select(t.casualty_figures).where(t.casualty_figures.c.incident_id.in_(list(incident_ids)))
        for r in self.connection.execute(query.order_by(t.casualty_figures.c.id)).mappings():
            found[r["incident_id"]].append(CasualtyFigure(
                category=CasualtyCategory(r["category"]), kind=r["kind"], value=r["value"],
                qualifier=Qualifier(r["qualifier"]), scope=r["scope"], source=r["source_id"],
                as_of=r["as_of"], text=r["text"],
            ))
        return found

    def link_report(self, incident_id: str, report_id: str) -> None:
        self.connection.execute(insert(t.incident_reports).values(incident_id=incident_id, report_id=report_id))

    def move_claims_and_figures(self, from_id: str, to_id: str,
                                claim_ids: Sequence[str] | None = None) -> None:
        """Re-point claims (all, or ``claim_ids``) and, when moving all, casualty figures."""
        query = update(t.claims).where(t.claims.c.incident_id == from_id)
        if claim_ids is not None:
            query = query.where(t.claims.c.id.in_(list(claim_ids)))
        self.connection.execute(query.values(incident_id=to_id))
        if claim_ids is None:
            self.connection.execute(update(t.casualty_figures).where(
                t.casualty_figures.c.incident_id == from_id).values(incident_id=to_id))

    def unlink_report(self, incident_id: str, report_id: str) -> None:
        self.connection.execute(delete(t.incident_reports).where(
            t.incident_reports.c.incident_id == incident_id, t.incident_reports.c.report_id == report_id))

    def report_ids(self, incident_id: str) -> list[str]:
        query = select(t.incident_reports.c.report_id).where(t.incident_reports.c.incident_id == incident_id)
        return [r for (r,) in self.connection.execute(query)]


def _incident_row(i: Incident) -> dict[str, Any]:
    return {
        "id": i.id, "title": i.title, "event_type": i.event_type, "sub_type": i.sub_type,
        "start": i.start, "end": i.end, "time_precision": i.time_precision.value,
        "place_id": i.place, "place_name": i.place_name, "latitude": i.latitude,
        "longitude": i.longitude, "geo_precision": i.geo_precision.value, "country": i.country,
        "weapon_class": i.weapon_class.value, "target_type": i.target_type.value,
        "damage": i.damage, "status": i.status.value, "actor1": i.actor1, "actor2": i.actor2,
        "grade": i.grade.value if i.grade else None, "grade_reasons": list(i.grade_reasons),
        "grade_override": i.grade_override.value if i.grade_override else None,
        "grade_override_reason": i.grade_override_reason,
        # written only when known, so an incident without one fits a schema before 0006
        **({"location_uncertainty_m": i.location_uncertainty_m}
           if i.location_uncertainty_m is not None else {}),
    }


def _incident(r: Any) -> Incident:
    return Incident(
        id=r["id"], title=r["title"], event_type=r["event_type"], sub_type=r["sub_type"],
        start=r["start"], end=r["end"], time_precision=TimePrecision(r["time_precision"]),
        place=r["place_id"], place_name=r["place_name"], latitude=r["latitude"],
        longitude=r["longitude"], geo_precision=GeoPrecision(r["geo_precision"]),
        country=r["country"], weapon_class=WeaponClass(r["weapon_class"]),
        target_type=TargetType(r["target_type"]), damage=r["damage"], status=Status(r["status"]),
        actor1=r["actor1"], actor2=r["actor2"],
        grade=Grade(r["grade"]) if r["grade"] else None,
        grade_reasons=tuple(r["grade_reasons"] or ()),
        grade_override=Grade(r["grade_override"]) if r["grade_override"] else None,
        grade_override_reason=r["grade_override_reason"],
        location_uncertainty_m=r.get("location_uncertainty_m"),
    )


# Built once: reports arrive one by one, often, and each submission looks its id up.
_INSERT_REPORT = DirectInsert(t.reports)
_STORED_AS = DirectSelect(select(t.reports.c.observer_id, t.reports.c.content_hash, t.reports.c.signature)
                          .where(t.reports.c.id == bindparam("id")))


class StoredReport(NamedTuple):
    observer_id: str | None
    content_hash: str
    signature: str | None


class ReportRepository(_Repository):
    """Reports are only ever inserted; the database refuses updates and deletes."""

    def add(self, report: Report, content_hash: str, signature: str | None = None) -> None:
        """Insert a new report (``records.add_report`` checks the id first;
        the primary key refuses a second row all the same)."""
        _INSERT_REPORT.insert(self.connection, dict(
            id=report.id, source_id=report.source, kind=report.kind, received=report.received,
            observed_at=report.observed_at, summary=report.summary,
            place_id=report.payload.get("place_id"), latitude=report.latitude,
            longitude=report.longitude, observer_id=report.observer, corrects=report.corrects,
            payload=report.payload, content_hash=content_hash, signature=signature,
        ))

    def get(self, report_id: str) -> Report:
        row = self.connection.execute(select(t.reports).where(t.reports.c.id == report_id)).mappings().first()
        if row is None:
            raise NotFound(f"no report with id {report_id!r}", field="report")
        return _report(row)

    def content_hash(self, report_id: str) -> str | None:
        query = select(t.reports.c.content_hash).where(t.reports.c.id == report_id)
        return self.connection.execute(query).scalar_one_or_none()

    def stored_as(self, report_id: str) -> Any:
        """(observer_id, content_hash, signature) of a stored report, or None."""
        row = _STORED_AS.first(self.connection, {"id": report_id})
        return None if row is None else StoredReport(row["observer_id"], row["content_hash"], row["signature"])

    def of_kinds_for_incidents(self, incident_ids: Sequence[str],
                               kinds: Sequence[str]) -> list[tuple[str, str, dict[str, Any]]]:
        """(incident id, report kind, payload) of each report of one of ``kinds``
        that ``incident_ids`` rest on."""
        if not incident_ids:
            return []
        query = (select(t.incident_reports.c.incident_id, t.reports.c.kind, t.reports.c.payload)
                 .join(t.reports, t.reports.c.id == t.incident_reports.c.report_id)
                 .where(t.incident_reports.c.incident_id.in_(list(incident_ids)),
                        t.reports.c.kind.in_(list(kinds))))
        return [tuple(r) for r in self.connection.execute(query)]

    def evidence(self, report_id: str) -> list[dict[str, Any]]:
        query = select(t.evidence).where(t.evidence.c.report_id == report_id).order_by(t.evidence.c.received)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def reviewed_ids(self) -> set[str]:
        """Reports an analyst decided on at the desk (incident, attached, no incident)."""
        return {r for (r,) in self.connection.execute(select(t.report_reviews.c.report_id))}

    def answered_tasks(self, report_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """{report id: the observer tasks it answered, each {task_id, title, case_id}} for
        those of ``report_ids`` that answered one, oldest link first."""
        tr, tk = t.task_reports.c, t.tasks.c
        query = (select(tr.report_id, tk.id, tk.title, tk.case_id).join(t.tasks, tk.id == tr.task_id)
                 .where(tr.report_id.in_(list(report_ids))).order_by(tr.linked_at, tk.id))
        found: dict[str, list[dict[str, Any]]] = {}
        for report_id, task_id, title, case_id in self.connection.execute(query):
            found.setdefault(report_id, []).append({"task_id": task_id, "title": title, "case_id": case_id})
        return found

    def linked_ids(self, report_ids: Sequence[str]) -> set[str]:
        """Those of ``report_ids`` that some incident rests on."""
        query = select(t.incident_reports.c.report_id).where(t.incident_reports.c.report_id.in_(list(report_ids)))
        return {r for (r,) in self.connection.execute(query)}

    def add_reviews(self, rows: Sequence[dict[str, Any]]) -> None:
        """Desk decisions: report_id, decision, incident_id, reason, decided_by, decided_at."""
        self.connection.execute(insert(t.report_reviews), list(rows))

    def add_evidence(self, **row: Any) -> None:
        self.connection.execute(insert(t.evidence).values(**row))

    def for_incident(self, incident_id: str, *, seen_by: Visibility | None = None) -> list[Report]:
        """The incident's reports; with ``seen_by``, as that reader may see them
        (without the observer's identity and position unless in full)."""
        return self.for_incidents([incident_id], seen_by=seen_by)[incident_id]

    def for_incidents(self, incident_ids: Sequence[str], *,
                      seen_by: Visibility | None = None) -> dict[str, list[Report]]:
        found: dict[str, list[Report]] = {i: [] for i in incident_ids}
        if not incident_ids:
            return found
        query = (select(t.reports, t.incident_reports.c.incident_id.label("linked_incident"))
                 .join(t.incident_reports, t.incident_reports.c.report_id == t.reports.c.id)
                 .where(t.incident_reports.c.incident_id.in_(list(incident_ids)))
                 .order_by(t.reports.c.received, t.reports.c.id))
        if seen_by is not None:
            query = query.where(seen_by.reports_sql())
        for r in self.connection.execute(query).mappings():
            # read through the incident: the report names it (the reader sees the incident already)
            report = dataclasses.replace(_report(r), incident=r["linked_incident"])
            found[r["linked_incident"]].append(_seen(report, seen_by))
        return found

    def list(self, *, seen_by: Visibility | None, kind: str | None = None, observer: str | None = None,
             start: datetime | None = None, end: datetime | None = None,
             unlinked: bool = False) -> list[Report]:
        """Reports, oldest first; ``seen_by`` None only for the mission's own computations."""
        query = select(t.reports)
        if seen_by is not None:
            query = query.where(seen_by.reports_sql())
        if kind:
            query = query.where(t.reports.c.kind == kind)
        if observer:
            query = query.where(t.reports.c.observer_id == observer)
        if start is not None:
            query = query.where(func.coalesce(t.reports.c.observed_at, t.reports.c.received) >= start)
        if end is not None:
            query = query.where(func.coalesce(t.reports.c.observed_at, t.reports.c.received) < end)
        if unlinked:
            query = query.where(t.reports.c.id.not_in(select(t.incident_reports.c.report_id)))
        rows = self.connection.execute(query.order_by(t.reports.c.received)).mappings()
        return [_seen(_report(r), seen_by) for r in rows]

    def page(self, seen_by: Visibility, *, kind: str | None = None, limit: int = 100,
             offset: int = 0) -> tuple[list[tuple[Report, str | None]], int]:
        """The reports ``seen_by`` may read, newest first, each with its signature
        (None unless read in full), and how many in all."""
        condition = and_(seen_by.reports_sql(), t.reports.c.kind == kind if kind else True)
        total = self.connection.execute(
            select(func.count()).select_from(t.reports).where(condition)).scalar_one()
        query = (select(t.reports).where(condition)
                 .order_by(t.reports.c.received.desc(), t.reports.c.id).limit(limit).offset(offset))
        out = []
        for r in self.connection.execute(query).mappings():
            report = _report(r)
            full = seen_by.report_in_full(report)
            out.append((_seen(report, seen_by), r["signature"] if full else None))
        return out, total

    def read(self, report_id: str, seen_by: Visibility) -> tuple[Report, str | None]:
        """One report and its signature as ``seen_by`` may read it (NotFound
        otherwise: its existence is not told)."""
        query = select(t.reports).where(t.reports.c.id == report_id, seen_by.reports_sql())
        r = self.connection.execute(query).mappings().first()
        if r is None:
            raise NotFound(f"no report {report_id!r} that you may read", field="report_id")
        report = _report(r)
        return _seen(report, seen_by), r["signature"] if seen_by.report_in_full(report) else None

    def incident_ids(self, report_id: str, seen_by: Visibility) -> list[str]:
        """The incidents this report backs, those ``seen_by`` may see."""
        query = (select(t.incident_reports.c.incident_id)
                 .join(t.incidents, t.incidents.c.id == t.incident_reports.c.incident_id)
                 .where(t.incident_reports.c.report_id == report_id, seen_by.incidents_sql())
                 .order_by(t.incident_reports.c.incident_id))
        return [i for (i,) in self.connection.execute(query)]


_OBSERVER_ONLY = ("report", "estimates", "position", "observations", "observer")


def _seen(report: Report, seen_by: Visibility | None) -> Report:
    """The report as ``seen_by`` may read it: in full, or without who observed
    and from where (the signed body, positions and estimates are dropped)."""
    if seen_by is None or seen_by.report_in_full(report):
        return report
    observed = report.observer is not None or "report" in report.payload
    payload = {k: v for k, v in report.payload.items() if k not in _OBSERVER_ONLY}
    signed = report.payload.get("report") or {}
    for what in ("restriction", "jamming"):  # where, by whom, how long: no identity or position
        if isinstance(signed.get(what), dict):
            payload[what] = signed[what]
    return dataclasses.replace(
        report, observer=None,
        latitude=None if observed else report.latitude, longitude=None if observed else report.longitude,
        payload=payload)


def _report(r: Any) -> Report:
    return Report(
        id=r["id"], source=r["source_id"], received=r["received"], summary=r["summary"],
        observed_at=r["observed_at"], corrects=r["corrects"], latitude=r["latitude"],
        longitude=r["longitude"], observer=r["observer_id"], kind=r["kind"],
        payload=dict(r["payload"] or {}),
    )


class ClaimRepository(_Repository):
    def add(self, claim: Claim, created_at: datetime, *, status: str | None = None,
            submitted_by: str | None = None) -> None:
        self.connection.execute(insert(t.claims).values(
            id=claim.id, incident_id=claim.incident, control_id=claim.control, actor_id=claim.actor,
            source_id=claim.source, stance=claim.stance.value, proposition=claim.proposition.value,
            value=claim.value, text=claim.text, status=ClaimStatus(status or claim.status).value,
            status_reason=claim.status_reason, refuted_by=claim.refuted_by,
            submitted_by=submitted_by, created_at=created_at,
        ))

    def _by(self, column: Any, ids: Sequence[str], where: Any) -> dict[str, list[Claim]]:
        found: dict[str, list[Claim]] = {i: [] for i in ids}
        if not ids:
            return found
        query = select(t.claims).where(column.in_(list(ids)), where)
        for r in self.connection.execute(query.order_by(t.claims.c.created_at, t.claims.c.id)).mappings():
            found[r[column.name]].append(_claim(r))
        return found

    def for_incidents(self, incident_ids: Sequence[str], *, seen_by: Visibility) -> dict[str, list[Claim]]:
        """The claims on these incidents that ``seen_by`` may see, each with its status."""
        return self._by(t.claims.c.incident_id, incident_ids, seen_by.claims_sql())

    def counted_for_incidents(self, incident_ids: Sequence[str]) -> dict[str, list[Claim]]:
        """The claims that count towards these incidents' grades and attributions
        (published ones: not those awaiting review, rejected or shown false)."""
        return self._by(t.claims.c.incident_id, incident_ids, Visibility.counted_sql())

    def for_controls(self, control_ids: Sequence[str], *, seen_by: Visibility) -> dict[str, list[Claim]]:
        return self._by(t.claims.c.control_id, control_ids, seen_by.claims_sql())

    def counted_for_controls(self, control_ids: Sequence[str]) -> dict[str, list[Claim]]:
        return self._by(t.claims.c.control_id, control_ids, Visibility.counted_sql())

    def count(self) -> int:
        return self.connection.execute(select(func.count()).select_from(t.claims)).scalar_one()

    def exists(self, claim_id: str) -> bool:
        return self.connection.execute(select(t.claims.c.id).where(t.claims.c.id == claim_id)).first() is not None

    def statements(self, seen_by: Visibility | None, statement_id: str | None = None) -> list[dict[str, Any]]:
        """Claims a liaison submitted (statements), with the speaking actor's
        party, oldest first; those ``seen_by`` may see (None: all)."""
        query = (select(t.claims, t.actors.c.party_id.label("party"))
                 .join(t.actors, t.actors.c.id == t.claims.c.actor_id)
                 .where(t.claims.c.submitted_by.is_not(None)))
        if seen_by is not None:
            query = query.where(seen_by.claims_sql())
        if statement_id is not None:
            query = query.where(t.claims.c.id == statement_id)
        query = query.order_by(t.claims.c.created_at, t.claims.c.id)
        return [dict(r) for r in self.connection.execute(query).mappings()]

    def set_status(self, claim_id: str, status: ClaimStatus, reason: str | None = None) -> None:
        self.connection.execute(update(t.claims).where(t.claims.c.id == claim_id).values(
            status=status.value, status_reason=reason))


def _claim(r: Any) -> Claim:
    return Claim(
        id=r["id"], actor=r["actor_id"], stance=Stance(r["stance"]),
        proposition=Proposition(r["proposition"]), incident=r["incident_id"],
        control=r["control_id"], source=r["source_id"], value=r["value"], text=r["text"],
        status=ClaimStatus(r["status"]), status_reason=r["status_reason"], refuted_by=r["refuted_by"],
    )


class ControlRepository(_Repository):
    def add(self, control: Control, place_name: str, grade: Grade | None = None) -> None:
        self.connection.execute(insert(t.controls).values(
            id=control.id, place_id=control.place or None, place_name=place_name,
            party_id=control.party, previous_party=control.previous_party, start=control.start,
            grade=grade.value if grade else None,
        ))

    def list(self, *, on: date | None = None) -> list[tuple[Control, str, Grade | None]]:
        query = select(t.controls).order_by(t.controls.c.start, t.controls.c.id)
        if on is not None:
            query = query.where(t.controls.c.start <= on)
        return [
            (Control(id=r["id"], place=r["place_id"] or "", party=r["party_id"], start=r["start"],
                     previous_party=r["previous_party"]),
             r["place_name"], Grade(r["grade"]) if r["grade"] else None)
            for r in self.connection.execute(query).mappings()
        ]

    def set_grade(self, control_id: str, grade: Grade) -> None:
        self.connection.execute(update(t.controls).where(t.controls.c.id == control_id).values(grade=grade.value))


class AgreementRepository(_Repository):
    def add(self, agreement: Agreement) -> None:
        self.connection.execute(insert(t.agreements).values(
            id=agreement.id, name=agreement.name, parties=list(agreement.parties),
            start=agreement.start, end=agreement.end, scope=agreement.scope,
            source_id=agreement.source,
            terms=[{"kind": term.kind.value, **term.params} for term in agreement.terms],
        ))

    def list(self) -> list[Agreement]:
        rows = self.connection.execute(select(t.agreements).order_by(t.agreements.c.start)).mappings()
        return [_agreement(r) for r in rows]

    def get(self, key: str) -> Agreement:
        """By id or by exact name."""
        query = select(t.agreements).where(or_(t.agreements.c.id == key, t.agreements.c.name == key))
        row = self.connection.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"no agreement named {key!r}", field="agreement",
                           remedy="`truce agreements list` shows the names")
        return _agreement(row)


def _agreement(r: Any) -> Agreement:
    terms = []
    for raw in r["terms"]:
        params = {k: v for k, v in raw.items() if k != "kind"}
        terms.append(Term(kind=TermKind(raw["kind"]), params=params))
    return Agreement(
        id=r["id"], name=r["name"], parties=tuple(r["parties"]), start=r["start"], end=r["end"],
        terms=tuple(terms), scope=r["scope"], source=r["source_id"],
    )
