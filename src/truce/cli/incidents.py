"""`truce incidents list|show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..domain.casualties import casualty_ranges
from ..service.incidents import incident_detail, list_incidents, make_filter
from ..settings import get_settings
from .common import DbOption, console, parse_day, unit_of_work

app = typer.Typer(help="Incidents: the mission's view of events.", no_args_is_help=True)

FromOption = Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day, inclusive (YYYY-MM-DD).")]
TypeOption = Annotated[str | None, typer.Option("--type", help="ACLED event type, e.g. 'Battles'.")]
PartyOption = Annotated[str | None, typer.Option("--party", help="Party id (ARM, AZE, NKR): incidents it is named in.")]
PlaceOption = Annotated[str | None, typer.Option("--place", help="Place name in any spelling.")]
GradeOption = Annotated[str | None, typer.Option("--grade", help="verified, corroborated, single-source, contested or discounted.")]


@app.command("list")
def list_(
    from_: FromOption = None, to: ToOption = None, type_: TypeOption = None,
    party: PartyOption = None, place: PlaceOption = None, grade: GradeOption = None,
    db: DbOption = None,
) -> None:
    """List incidents, oldest first, with their grade.

    Example: truce incidents list --from 2020-10-14 --to 2020-10-15 --grade contested
    """
    filters = make_filter(start=parse_day(from_, "from"), end=parse_day(to, "to"),
                          event_type=type_, party=party, place=place, grade=grade,
                          tz=get_settings().tz)
    with unit_of_work(db) as uow:
        incidents = list_incidents(uow, filters)
    tz = get_settings().tz
    table = Table(title=f"{len(incidents)} incidents")
    for column in ("id", "date", "type", "place", "country", "weapon", "grade", "title"):
        table.add_column(column, overflow="fold")
    for i in incidents:
        grade_text = i.effective_grade.value if i.effective_grade else "ungraded"
        table.add_row(i.id, i.start.astimezone(tz).date().isoformat(), i.sub_type or i.event_type,
                      i.place_name or "", i.country or "", i.weapon_class.value, grade_text, i.title)
    console.print(table)


@app.command()
def show(incident_id: Annotated[str, typer.Argument(help="Incident id.")], db: DbOption = None) -> None:
    """Show one incident: its reports, claims side by side, grade and casualties.

    Example: truce incidents show inc-20201014-arm-launchers
    """
    with unit_of_work(db) as uow:
        d = incident_detail(uow, incident_id)
    i = d.incident
    console.rule(f"[bold]{i.title}[/]")
    console.print(f"id {i.id} · {i.event_type} / {i.sub_type or '-'} · status {i.status.value}")
    tz = get_settings().tz
    console.print(f"when  {i.start.astimezone(tz).isoformat()} – {i.end.astimezone(tz).isoformat()} "
                  f"(precision: {i.time_precision.value})")
    where = f"{i.latitude:.4f}, {i.longitude:.4f}" if i.located else "not located"
    console.print(f"where {i.place_name or '?'} ({i.country or '?'}), {where} (precision: {i.geo_precision.value})")
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
        table = Table(title="Casualty figures")
        for column in ("category", "kind", "figure", "scope", "source"):
            table.add_column(column)
        for f in d.casualties:
            source = d.sources[f.source].name if f.source in d.sources else "?"
            table.add_row(f.category.value, f.kind, f"{f.qualifier.value} {f.value}", f.scope, source)
        console.print(table)
        for (category, kind), rng in casualty_ranges([f for f in d.casualties if f.scope == "incident"]).items():
            high = f"{rng.high}+" if rng.open_ended else str(rng.high)
            console.print(f"{category.value} {kind}: low {rng.low} / best {rng.best} / high {high} "
                          f"(from {', '.join(d.sources[s].name for s in rng.sources if s in d.sources) or 'no named source'})")


def _print_claims(d) -> None:
    if not d.claims:
        console.print("No claims.")
        return
    table = Table(title="Claims, side by side")
    for column in ("proposition", "actor", "stance", "value", "says", "source"):
        table.add_column(column, overflow="fold")
    for c in sorted(d.claims, key=lambda c: (c.proposition.value, c.stance.value)):
        actor = d.actors.get(c.actor)
        who = f"{actor.name} ({actor.party or 'no party'})" if actor else c.actor
        source = d.sources[c.source].name if c.source in d.sources else ""
        table.add_row(c.proposition.value, who, c.stance.value, c.value or "", c.text or "", source)
    console.print(table)


def _print_reports(d) -> None:
    table = Table(title="Reports")
    for column in ("id", "source", "kind", "received", "summary"):
        table.add_column(column, overflow="fold")
    for r in d.reports:
        source = d.sources.get(r.source)
        label = f"{source.name} [{source.kind.value}{', ' + source.affiliation if source.affiliation else ''}]" if source else r.source
        table.add_row(r.id, label, r.kind, r.received.astimezone(get_settings().tz).isoformat(), r.summary)
    console.print(table)
