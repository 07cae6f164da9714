"""Reading incidents: lists with filters, and one incident in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from ..domain.actors import Actor, Source
from ..domain.bounds import check_period
from ..domain.claims import Claim
from ..domain.exceptions import NotFound, ValidationError
from ..domain.grades import Grade
from ..domain.incidents import CasualtyFigure, Incident, Report
from ..domain.taxonomy import EVENT_TYPES
from ..store.repositories import IncidentFilter
from ..store.selection import NONE, Selection
from ..store.uow import UnitOfWork
from ..store.visibility import Visibility

__all__ = ["IncidentDetail", "check_filter_names", "check_selection_names", "incident_detail", "list_incidents",
           "make_filter"]


def make_filter(*, start: date | datetime | None = None, end: date | datetime | None = None,
                event_type: str | None = None, party: str | None = None, place: str | None = None,
                grade: str | None = None, published_only: bool = False,
                seen_by: Visibility | None = None,
                limit: int | None = None, offset: int = 0, tz: tzinfo = UTC,
                names: tuple[str, str] = ("from", "to")) -> IncidentFilter:
    """Check filter values and build the filter; ``end`` is exclusive for
    datetimes and inclusive (the whole day in ``tz``) for dates. ``names``:
    how the caller's user names the period's ends (``bounds.check_period``)."""
    check_period(start, end, names=names)

    def moment(value: date | datetime | None, next_day: bool) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        day = value + timedelta(days=1) if next_day else value
        return datetime.combine(day, time(), tzinfo=tz)

    start_m, end_m = moment(start, False), moment(end, True)
    if event_type and event_type not in EVENT_TYPES:
        raise ValidationError(f"unknown event type {event_type!r}; one of: {', '.join(EVENT_TYPES)}",
                              field="type")
    if grade and grade not in {g.value for g in Grade}:
        raise ValidationError(f"unknown grade {grade!r}; one of: {', '.join(g.value for g in Grade)}",
                              field="grade")
    return IncidentFilter(start=start_m, end=end_m, event_type=event_type, party=party,
                          place=place, grade=grade, published_only=published_only, seen_by=seen_by,
                          limit=limit, offset=offset)


def check_filter_names(uow: UnitOfWork, filters: IncidentFilter) -> None:
    """Refuse a filter naming a place or party the record does not know, so
    that a typo is an error rather than an empty list."""
    from .directory import check_party

    place = filters.place
    # an incident's own place name counts only where the reader may see that incident
    known = IncidentFilter(place=place, published_only=filters.published_only, seen_by=filters.seen_by)
    if place and not uow.places.find_exact(place) and not uow.incidents.count(known):
        raise ValidationError(f"unknown place {place!r}: no gazetteer spelling or incident place has "
                              "that name", field="place", remedy="find the spelling with `truce places search`")
    if filters.party:
        check_party(uow, filters.party)


def check_selection_names(uow: UnitOfWork, sel: Selection) -> None:
    """Refuse a dashboard or map selection naming a party (named or found
    responsible) or an agreement the record does not know: an error naming
    the field, as ``check_filter_names`` does for the incident list."""
    from .directory import check_party

    if sel.party:
        check_party(uow, sel.party)
    if sel.responsible and sel.responsible != NONE:
        check_party(uow, sel.responsible, field="responsible")
    if sel.agreement:
        try:
            uow.agreements.get(sel.agreement)
        except NotFound:
            raise ValidationError(f"unknown agreement {sel.agreement!r}", field="agreement",
                                  remedy="see `truce agreements list`") from None


def list_incidents(uow: UnitOfWork, filters: IncidentFilter) -> list[Incident]:
    """The incidents ``filters`` selects; a place or party it names that the
    record does not know is a ``ValidationError`` (the CLI and the API alike)."""
    check_filter_names(uow, filters)
    return uow.incidents.list(filters)


@dataclass(frozen=True)
class IncidentDetail:
    incident: Incident
    reports: list[Report]
    claims: list[Claim]
    casualties: list[CasualtyFigure]
    sources: dict[str, Source]
    actors: dict[str, Actor]


def incident_detail(uow: UnitOfWork, incident_id: str, seen_by: Visibility) -> IncidentDetail:
    """One incident as ``seen_by`` may see it: NotFound (its existence not told)
    if they may not see it; its claims with their status, those they may see."""
    incident = uow.incidents.get(incident_id, seen_by=seen_by)
    reports = uow.reports.for_incident(incident_id)
    claims = uow.claims.for_incidents([incident_id], seen_by=seen_by)[incident_id]
    casualties = uow.incidents.casualties([incident_id])[incident_id]
    source_ids = {r.source for r in reports} | {c.source for c in claims if c.source} | {
        c.refuted_by for c in claims if c.refuted_by} | {
        f.source for f in casualties if f.source}
    sources = uow.directory.sources(source_ids)
    return IncidentDetail(incident, reports, claims, casualties, sources, uow.directory.actors())
