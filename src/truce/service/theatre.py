"""Load the shipped demo theatre (Nagorno-Karabakh 2020) into a store."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..data import DATA_DIR
from ..domain.actors import Actor, Party, Source, SourceKind
from ..domain.agreements import Agreement, Term, TermKind
from ..domain.bounds import parse_moment
from ..domain.claims import Claim, ClaimStatus, Proposition, Stance
from ..domain.exceptions import Conflict, ValidationError
from ..domain.incident_input import incident_from
from ..domain.incidents import (
    CasualtyCategory,
    CasualtyFigure,
    Incident,
    Qualifier,
    Report,
    Status,
)
from ..domain.places import Control
from ..domain.shown_false import refutations
from ..geo.gazetteer import read_gazetteer
from ..store.uow import UnitOfWork, use_case
from .records import (
    add_agreement,
    add_claim,
    add_control,
    add_incident,
    add_party_actor_source,
    add_report,
)

__all__ = ["LoadSummary", "load_theatre", "parse_incident", "parse_moment"]

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class LoadSummary:
    places: int
    incidents: int
    reports: int
    claims: int
    agreements: int
    controls: int


def parse_incident(raw: dict[str, Any]) -> tuple[Incident, list[CasualtyFigure]]:
    """An incident and its casualty figures from the scenario's JSON form."""
    where = f"incidents[{raw.get('id')}]"
    try:
        incident = incident_from(raw, incident_id=raw["id"], status=Status.PUBLISHED, where=where)
        figures = [
            CasualtyFigure(
                category=CasualtyCategory(f["category"]), kind=f["kind"], value=int(f["value"]),
                qualifier=Qualifier(f.get("qualifier", "exact")), scope=f.get("scope", "incident"),
                source=f.get("source"),
                as_of=date.fromisoformat(f["as_of"]) if f.get("as_of") else None,
                text=f.get("text"),
            )
            for f in raw.get("casualty_figures", [])
        ]
    except KeyError as exc:
        raise ValidationError(f"missing {exc.args[0]!r}", field=where) from None
    except ValueError as exc:
        raise ValidationError(str(exc), field=where) from None
    return incident, figures


def _claim(raw: dict[str, Any], *, incident: str | None = None, control: str | None = None,
           default_proposition: str = "happened") -> Claim:
    return Claim(
        id=raw["id"], actor=raw["actor"], stance=Stance(raw["stance"]),
        proposition=Proposition(raw.get("proposition", default_proposition)),
        incident=incident, control=control, source=raw.get("source"),
        value=None if raw.get("value") is None else str(raw["value"]), text=raw.get("text"),
        status=ClaimStatus.DISCOUNTED if raw.get("discounted_by") else ClaimStatus.PUBLISHED,
        refuted_by=raw.get("discounted_by"), status_reason=raw.get("discounted_reason"),
    )


def load_theatre(uow: UnitOfWork, *, data_dir: Path = DATA_DIR, now: datetime | None = None,
                 progress: Progress | None = None) -> LoadSummary:
    """Load gazetteer, geometry and scenario; the caller commits.

    Raises Conflict if the store already holds the theatre.
    """
    now = now or datetime.now(UTC)
    step = progress or (lambda _label, _n: None)
    if uow.places.count():
        raise Conflict("this database already holds a theatre",
                       remedy="use a new database, or `make demo RESET=1`")
    scenario = json.loads((data_dir / "scenario.json").read_text(encoding="utf-8"))

    places = 0
    for origin in ("geonames", "added"):
        batch = [p for p, o in read_gazetteer(data_dir / "gazetteer.csv") if o == origin]
        places += uow.places.add_many(batch, origin=origin)
    uow.record("gazetteer.load", "gazetteer.csv", {"places": places})
    step("gazetteer", places)

    _load_lines(uow, data_dir / "line_of_contact.geojson")

    for p in scenario["parties"]:
        add_party_actor_source(uow, Party(id=p["id"], name=p["name"]))
    for a in scenario["actors"]:
        add_party_actor_source(uow, Actor(id=a["id"], name=a["name"], kind=a["kind"],
                                          party=a.get("party"), aliases=tuple(a.get("aliases", ()))))
    sources: dict[str, Source] = {}
    for s in _sources_in_dependency_order(scenario["sources"]):
        sources[s["id"]] = Source(
            id=s["id"], name=s["name"], kind=SourceKind(s["kind"]),
            published=parse_moment(s["published"], f"sources[{s['id']}].published") if s.get("published") else None,
            actor=s.get("actor"), affiliation=s.get("affiliation"), url=s.get("url"),
            repeats=s.get("repeats"), relays=tuple(s.get("relays", ())),
        )
        add_party_actor_source(uow, sources[s["id"]])
    party_of = {a["id"]: a.get("party") for a in scenario["actors"]}
    step("parties, actors and sources", len(scenario["sources"]))

    for a in scenario["agreements"]:
        terms = tuple(Term(TermKind(t["kind"]), {k: v for k, v in t.items() if k != "kind"})
                      for t in a["terms"])
        add_agreement(uow, Agreement(
            id=a["id"], name=a["name"], parties=tuple(a["parties"]),
            start=parse_moment(a["start"], "agreements.start"),
            end=parse_moment(a["end"], "agreements.end") if a.get("end") else None,
            terms=terms, scope=a.get("scope", "theatre"), source=a.get("source"),
        ))

    reports = claims = 0
    for o in scenario.get("observer_reports", []):
        observed = parse_moment(o["observed_at"], f"observer_reports[{o['id']}].observed_at")
        add_report(uow, Report(
            id=o["id"], source=o["source"], received=observed, observed_at=observed,
            summary=o["summary"], latitude=o.get("latitude"), longitude=o.get("longitude"),
            kind=o.get("kind", "incident"),
            payload={"place_id": o.get("place"), **{k: o[k] for k in ("place_name", "geo_precision", "country",
                                       "weapon_class", "synthetic") if k in o}},
        ))
        reports += 1

    for raw in scenario["incidents"]:
        incident, figures = parse_incident(raw)
        add_incident(uow, incident, now, figures)
        for n, r in enumerate(raw.get("reports", []), start=1):
            report = Report(
                id=f"{incident.id}/r{n}", source=r["source"],
                received=parse_moment(r["received"], f"{incident.id}.reports.received"),
                summary=r["summary"], observed_at=incident.start,
                latitude=incident.latitude, longitude=incident.longitude,
            )
            add_report(uow, report)
            uow.incidents.link_report(incident.id, report.id)
            reports += 1
        for report_id in raw.get("observer_reports", []):
            uow.incidents.link_report(incident.id, report_id)
        _check_shown_false(raw, party_of, sources)
        for c in raw.get("claims", []):
            refuted_by = c.get("discounted_by")
            add_claim(uow, _claim(c, incident=incident.id), now)
            if refuted_by:
                uow.record("claim.discount", c["id"], {"refuted_by": refuted_by})
            claims += 1
    step("incidents", len(scenario["incidents"]))

    for s in scenario.get("situation_reports", []):
        day = date.fromisoformat(s["date"])
        moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        add_report(uow, Report(
            id=s["id"], source=s["source"], received=moment, observed_at=moment,
            summary=s["summary"], kind="situation",
            payload={"place_id": s.get("place"), "place_name": s.get("place_name")},
        ))
        reports += 1

    for c in scenario.get("controls", []):
        control = Control(id=c["id"], place=c.get("place") or "", party=c["party"],
                          start=date.fromisoformat(c["from"]), previous_party=c.get("initial_party"))
        add_control(uow, control, c["place_name"])
        for n, cl in enumerate(c.get("claims", []), start=1):
            cl = {"id": f"{control.id}/c{n}", "proposition": "control", "value": control.party, **cl}
            add_claim(uow, _claim(cl, control=control.id, default_proposition="control"), now)
            claims += 1
    step("control changes", len(scenario.get("controls", [])))

    return LoadSummary(places=places, incidents=len(scenario["incidents"]), reports=reports,
                       claims=claims, agreements=len(scenario["agreements"]),
                       controls=len(scenario.get("controls", [])))


def _check_shown_false(raw: dict[str, Any], party_of: dict[str, str | None],
                       sources: dict[str, Source]) -> None:
    """Every claim marked ``discounted_by`` is shown false by that source under
    the one rule of ``truce.domain.shown_false``, and every claim the rule shows
    false is so marked: the demo cannot hold one side to a different standard."""
    claims = [_claim(c, incident=raw["id"]) for c in raw.get("claims", [])]
    expected = refutations(claims, party_of, sources)
    for c in raw.get("claims", []):
        declared, due = c.get("discounted_by"), expected.get(c["id"])
        if declared != due:
            raise ValidationError(
                f"claim {c['id']} is marked shown false by {declared!r}, but the rule "
                f"(truce.domain.shown_false) gives {due!r}", field=f"incidents[{raw['id']}].claims")


def _sources_in_dependency_order(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources that repeat another come after the one they repeat."""
    by_id = {s["id"]: s for s in sources}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(source: dict[str, Any], trail: tuple[str, ...] = ()) -> None:
        if source["id"] in placed:
            return
        if source["id"] in trail:
            raise ValidationError(f"sources repeat each other in a cycle: {' -> '.join(trail)}",
                                  field="sources.repeats")
        for parent in (source.get("repeats"), *source.get("relays", ())):
            if parent in by_id:
                place(by_id[parent], (*trail, source["id"]))
        ordered.append(source)
        placed.add(source["id"])

    for s in sources:
        place(s)
    return ordered


def _load_lines(uow: UnitOfWork, path: Path) -> None:
    collection = json.loads(path.read_text(encoding="utf-8"))
    rows = [{
        "valid_from": date.fromisoformat(f["properties"]["valid_from"]),
        "sector": f["properties"].get("sector", "line of contact"),
        "geojson": f["geometry"],
    } for f in collection["features"]]
    uow.monitoring.add_line_versions(rows)
    uow.record("line_of_contact.load", path.name, {"sectors": len(rows)})


@use_case
def load_demo(uow: UnitOfWork, *, progress: Progress | None = None,
              now: datetime | None = None) -> tuple[LoadSummary, int, Any, list[Any]]:
    """Load the demo theatre, grade every incident, evaluate every agreement
    (violations and alerts), add the demo users and the demo observer's
    reports waiting for review (``demo_reports``), in one transaction: (load
    summary, incidents graded, evaluation summary, the demo users' credentials)."""
    from .demo_access import add_demo_users
    from .demo_reports import DEMO_REPORTS, file_demo_reports
    from .grading import regrade_all
    from .violations import evaluate_all

    step = progress or (lambda _label, _count: None)
    summary = load_theatre(uow, progress=progress)
    graded = regrade_all(uow)
    step("graded incidents", graded)
    evaluation = evaluate_all(uow, now or datetime.now(UTC))
    step("evaluated agreements and alerts", 0)
    credentials = add_demo_users(uow, now or datetime.now(UTC), theatre_loaded=True)
    file_demo_reports(uow, now or datetime.now(UTC))
    step("observer reports waiting for review", len(DEMO_REPORTS))
    return summary, graded, evaluation, credentials
