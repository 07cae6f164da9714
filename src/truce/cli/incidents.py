"""`truce incidents list|show`."""

from __future__ import annotations

from typing import Annotated

import typer

from ..domain.casualties import casualty_ranges
from ..domain.contradictions import propositions
from ..domain.exceptions import ValidationError
from ..domain.restrictions import RESTRICTION_KINDS, restriction_details
from ..geo.incident_place import where_fields
from ..service.curation import find_duplicates, merge_incidents, split_incident
from ..service.curation import publish as published
from ..service.exchange import incident_actor_columns
from ..service.grading import override_grade
from ..service.incidents import incident_detail, list_incidents, make_filter
from ..service.labels import counted, local_time, uncertainty
from ..settings import get_settings
from ..store.visibility import MISSION, Visibility
from .common import (
    PERIOD_OPTIONS,
    DbOption,
    FormatOption,
    OutputFormat,
    TokenOption,
    acting_principal,
    console,
    emit_record,
    emit_rows,
    heading,
    parse_period,
    unit_of_work,
)

app = typer.Typer(help="Incidents: the mission's view of events.", no_args_is_help=True)


def _analyst(db: str | None, token: str) -> str:
    """The analyst behind ``token``, who decides (the curation routes admit analysts)."""
    from ..service.users import Role

    return acting_principal(db, token, roles=(Role.ANALYST,)).name


FromOption = Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day, inclusive (YYYY-MM-DD).")]
TypeOption = Annotated[str | None, typer.Option("--type", help="ACLED event type, e.g. 'Battles'.")]
PartyOption = Annotated[str | None, typer.Option("--party", help="Party id (ARM, AZE, NKR): incidents it is named in.")]
PlaceOption = Annotated[str | None, typer.Option("--place", help="Place name in any spelling.")]
GradeOption = Annotated[str | None, typer.Option(
    "--grade", help="verified, corroborated, single-source, contested or discounted.")]


@app.command("list")
def list_(
    from_: FromOption = None, to: ToOption = None, type_: TypeOption = None,
    party: PartyOption = None, place: PlaceOption = None, grade: GradeOption = None,
    fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None,
) -> None:
    """List incidents, oldest first, with their grade.

    Example: truce incidents list --from 2020-10-14 --to 2020-10-15 --grade contested
    """
    start, end = parse_period(from_, to)
    filters = make_filter(start=start, end=end, event_type=type_, party=party, place=place, grade=grade,
                          tz=get_settings().tz, names=PERIOD_OPTIONS)
    with unit_of_work(db) as uow:
        incidents = list_incidents(uow, filters)
    tz = get_settings().tz
    rows = [{"id": i.id, "date": i.start.astimezone(tz).date(), "type": i.sub_type or i.event_type,
             "place": where_fields(i)["place_label"] or "", "country": i.country,
             "weapon": i.weapon_class,
             "grade": i.effective_grade.value if i.effective_grade else "ungraded", "title": i.title}
            for i in incidents]
    emit_rows(rows, fmt, title=counted(len(incidents), "incident"))


@app.command()
def show(incident_id: Annotated[str, typer.Argument(help="Incident id.")],
         fmt: FormatOption = OutputFormat.TABLE, db: DbOption = None) -> None:
    """Show one incident: its reports, claims side by side, grade and casualties.

    Example: truce incidents show inc-20201014-arm-launchers
    """
    with unit_of_work(db) as uow:
        d = incident_detail(uow, incident_id, MISSION)
        actors = incident_actor_columns(uow, d.incident, d.reports)  # as the ACLED export names them
    emit_record(_detail_record(d, actors), fmt, lambda: _print_detail(d, actors))


def _detail_record(d, actors: dict[str, str]) -> dict:
    i = d.incident
    record = {k: v for k, v in i.__dict__.items()}
    record.update({k: actors.get(k) or None for k in ("actor1", "actor2", "inter1", "inter2", "interaction")})
    record["effective_grade"] = i.effective_grade
    record.update(where_fields(i))
    record["reports"] = [{**r.__dict__, "source_name": d.sources[r.source].name if r.source in d.sources
                          else None} for r in d.reports]
    record["claims"] = [{**c.__dict__, "actor_name": d.actors[c.actor].name if c.actor in d.actors
                         else None, "actor_party": d.actors[c.actor].party if c.actor in d.actors
                         else None} for c in d.claims]
    record["casualties"] = [f.__dict__ for f in d.casualties]
    record["restrictions"] = [r.__dict__ for r in _restrictions(d)]
    return record


def _restrictions(d) -> list:
    """The restriction and jamming details of its reports (``restriction_details``),
    as the daily report and the page show them."""
    return [restriction_details(r.kind, r.payload) for r in d.reports if r.kind in RESTRICTION_KINDS]


def _print_detail(d, actors: dict[str, str]) -> None:
    i = d.incident
    heading(i.title)
    console.print(f"id {i.id} · {i.event_type} / {i.sub_type or '-'} · status {i.status.value}")
    console.print(f"when  {local_time(i.start, zone=False)} – {local_time(i.end)} "
                  f"(precision: {i.time_precision.value})")
    placed = where_fields(i)
    where = f"{i.latitude:.4f}, {i.longitude:.4f}" if i.located else "not located"
    doubt = f", uncertain by {uncertainty(placed['location_uncertainty_m'])}" if i.located else ""
    console.print(f"where {placed['place_label'] or '?'} ({i.country or '?'}), {where} "
                  f"(precision: {i.geo_precision.value}{doubt})", highlight=False)
    for restriction in _restrictions(d):
        console.print(f"{restriction.summary()}"
                      + (f": {restriction.description}" if restriction.description else ""), highlight=False)
    if actors.get("actor1") or actors.get("actor2"):
        console.print(f"actors {actors.get('actor1') or '?'} against {actors.get('actor2') or 'no one named'}",
                      highlight=False)
    console.print(f"weapon {i.weapon_class.value} · target {i.target_type.value}"
                  + (f" · damage: {i.damage}" if i.damage else ""))
    grade = i.grade.value if i.grade else "ungraded"
    console.print(f"[bold]grade[/] {grade}")
    for reason in i.grade_reasons:
        console.print(f"  - {reason}")
    if i.grade_override:
        console.print(f"[bold]analyst override[/] {i.grade_override.value}: {i.grade_override_reason}")
    _print_claims(d)
    _print_reports(d)
    if d.casualties:
        emit_rows([{"category": f.category.value, "kind": f.kind, "figure": f"{f.qualifier.value} {f.value}",
                    "scope": f.scope, "source": d.sources[f.source].name if f.source in d.sources else "?"}
                   for f in d.casualties], OutputFormat.TABLE, title="Casualty figures", no_wrap=())
        for (category, kind), rng in casualty_ranges([f for f in d.casualties if f.scope == "incident"]).items():
            high = f"{rng.high}+" if rng.open_ended else str(rng.high)
            console.print(f"{category.value} {kind}: low {rng.low} / best {rng.best} / high {high} "
                          f"(from {_source_names(d, rng.sources)})")


def _source_names(d, source_ids) -> str:
    return ", ".join(d.sources[s].name for s in source_ids if s in d.sources) or "no named source"


def _print_claims(d) -> None:
    if not d.claims:
        console.print("No claims.")
        return

    def who(claims) -> str:
        names = []
        for c in claims:
            actor = d.actors.get(c.actor)
            label = f"{actor.name} ({actor.party or 'no party'})" if actor else c.actor
            value = f" {c.value!r}" if c.value not in (None, "true", "false") else ""
            names.append(f"{label} {c.stance.value}{value}")
        return "\n".join(names)

    counting = [c for c in d.claims if Visibility.counts(c)]  # the rest is listed below with its status
    emit_rows([{"proposition": g.proposition.value, "status": g.status.value, "for": who(g.supporting),
                "against": who(g.opposing)} for g in propositions(counting, d.sources)],
              OutputFormat.TABLE, title="Propositions: who says what", no_wrap=())
    rows = []
    for c in sorted(d.claims, key=lambda c: (c.proposition.value, c.stance.value)):
        actor = d.actors.get(c.actor)
        refuter = d.sources[c.refuted_by].name if c.refuted_by in d.sources else c.refuted_by
        rows.append({"proposition": c.proposition.value,
                     "actor": f"{actor.name} ({actor.party or 'no party'})" if actor else c.actor,
                     "stance": c.stance.value, "value": c.value or "", "says": c.text or "",
                     "source": d.sources[c.source].name if c.source in d.sources else "",
                     "status": c.status.describe(c.status_reason, refuter)})
    emit_rows(rows, OutputFormat.TABLE, title="Claims, side by side", no_wrap=())


def _print_reports(d) -> None:
    rows = []
    for r in d.reports:
        source = d.sources.get(r.source)
        label = r.source
        if source:
            label = f"{source.name} [{source.kind.value}{', ' + source.affiliation if source.affiliation else ''}]"
        rows.append({"id": r.id, "source": label, "kind": r.kind, "received": r.received, "summary": r.summary})
    emit_rows(rows, OutputFormat.TABLE, title="Reports")


@app.command()
def duplicates(from_: FromOption = None, to: ToOption = None, fmt: FormatOption = OutputFormat.TABLE,
               db: DbOption = None) -> None:
    """Propose pairs of incidents that may be one event (close in time, place and type).

    Example: truce incidents duplicates --from 2020-10-01 --to 2020-10-05
    """
    start, end = parse_period(from_, to)
    with unit_of_work(db) as uow:
        found = find_duplicates(uow, start=start, end=end)
    rows = [{"keep": c.a, "merge": c.b, "score": round(c.score, 2), "why": list(c.reasons)} for c in found]
    emit_rows(rows, fmt, title=f"{len(found)} possible duplicates (confirm with `truce incidents merge`)",
              columns=("keep", "merge", "score", "why"), no_wrap=("keep", "merge"))


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="Incident that stays.")],
    other: Annotated[str, typer.Argument(help="Incident folded into it (kept on record as merged).")],
    reason: Annotated[str, typer.Option(help="Why these are one event.")],
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Merge two incidents an analyst judges to be one event; every report is kept.

    Example: truce incidents merge inc-20201004-ganja-strike inc-20201005-ganja-shelling --reason
        "same strike, two reports" --token $TA
    """
    with unit_of_work(db, actor=_analyst(db, token)) as uow:
        merged = merge_incidents(uow, keep, other, reason)
    console.print(f"Merged {other} into {keep}; grade now {merged.grade.value if merged.grade else 'ungraded'}.")


@app.command()
def split(
    incident_id: Annotated[str, typer.Argument(help="Incident to split.")],
    reports: Annotated[str, typer.Option(help="Comma-separated report ids to move out.")],
    new_id: Annotated[str, typer.Option(help="Id of the new incident.")],
    title: Annotated[str, typer.Option(help="Title of the new incident.")],
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Move some reports of an incident to a new draft incident.

    Example: truce incidents split inc-20200927-loc-outbreak --reports inc-20200927-loc-outbreak/r4 --new-id
        inc-20200927-loc-outbreak-2 --title "Second clash" --token $TA
    """
    from datetime import UTC, datetime

    with unit_of_work(db, actor=_analyst(db, token)) as uow:
        new = split_incident(uow, incident_id, [r.strip() for r in reports.split(",") if r.strip()],
                             new_id, title, datetime.now(UTC))
    console.print(f"Split {new.id} from {incident_id}.")


@app.command()
def grade(
    incident_id: Annotated[str, typer.Argument(help="Incident id.")],
    override: Annotated[str | None, typer.Option(help="Grade to set; omit to clear an override.")] = None,
    reason: Annotated[str | None, typer.Option(help="Written reason (required with --override).")] = None,
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Override an incident's computed grade with a written reason (both are kept).

    Example: truce incidents grade inc-20201015-ordubad-missile --override corroborated --reason "ICRC confirmed"
        --token $TA
    """
    from datetime import UTC, datetime

    from ..domain.grades import Grade

    chosen = None
    if override is not None:
        try:
            chosen = Grade(override)
        except ValueError:
            raise ValidationError(f"unknown grade {override!r}", field="override") from None
    with unit_of_work(db, actor=_analyst(db, token)) as uow:
        result = override_grade(uow, incident_id, chosen, reason, datetime.now(UTC))
    console.print(f"{incident_id}: {result.grade.value} ({result.reasons[-1] if result.reasons else ''})")


@app.command()
def publish(incident_id: Annotated[str, typer.Argument(help="Incident id.")], token: TokenOption = "",
            db: DbOption = None) -> None:
    """Publish an incident: liaisons and the public can then read it.

    Example: truce incidents publish inc-20201004-beylagan-shelling --token $TA
    """
    with unit_of_work(db, actor=_analyst(db, token)) as uow:
        published(uow, incident_id)
    console.print(f"Published {incident_id}.")


@app.command()
def add(
    title: Annotated[str, typer.Option(help="What happened, in a line.")],
    type_: Annotated[str, typer.Option("--type", help="ACLED event type.")],
    start: Annotated[str, typer.Option(help="When it began, ISO 8601 with offset (or a date).")],
    source: Annotated[str, typer.Option(help="Source id the account comes from.")],
    summary: Annotated[str, typer.Option(help="The source's account, in a sentence.")],
    end: Annotated[str | None, typer.Option(help="When it ended (default: the start).")] = None,
    sub_type: Annotated[str | None, typer.Option(help="ACLED sub-event type.")] = None,
    place: Annotated[str | None, typer.Option(help="Place name in any spelling, or gazetteer id.")] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude, WGS84.")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude, WGS84.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code; keeps an unknown place unresolved.")] = None,
    weapon: Annotated[str, typer.Option(help="Weapon class, e.g. artillery.")] = "unknown",
    token: TokenOption = "",
    db: DbOption = None,
) -> None:
    """Record a new draft incident from one source's account; it is graded at once.

    Example: truce incidents add --title "Shelling of Tartar" --type Battles --start 2020-10-20
    --place Tartar --source s-azemod-20201014 --summary "MoD reports shelling" --token $TA
    """
    from datetime import UTC, date, datetime, time

    from ..domain.bounds import check_finite, check_moment, parse_moment
    from ..service.recording import NewIncident, record_incident

    tz = get_settings().tz

    def moment(text: str, field: str) -> datetime:
        """A day alone is its first moment in the theatre; a time needs its UTC offset."""
        try:
            day = date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is not None:
            return check_moment(datetime.combine(day, time(), tzinfo=tz), field)
        return parse_moment(text, field)

    if lat is not None:
        check_finite(lat, "lat")
    if lon is not None:
        check_finite(lon, "lon")
    began = moment(start, "start")
    new = NewIncident(title=title, event_type=type_, sub_type=sub_type, start=began,
                      end=moment(end, "end") if end else began, source=source, summary=summary,
                      place=place, latitude=lat, longitude=lon, country=country, weapon_class=weapon)
    with unit_of_work(db, actor=_analyst(db, token)) as uow:
        incident = record_incident(uow, new, datetime.now(UTC))
    console.print(f"Recorded {incident.id} (draft), grade {incident.grade.value if incident.grade else 'ungraded'}.")
