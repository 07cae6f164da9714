"""Nothing leaks: every output, read by every kind of reader, over one record
of each kind and status.

``MARKERS`` are strings seeded into records (a draft's title, a statement
awaiting review, an observer's position ...), each with who may see it and
who must see it somewhere. ``OUTPUTS`` lists, for every GET route of the
app (its route table), the addresses to read; a route added without an entry
fails ``test_every_route_has_an_output_entry``. The daily report is read as
HTML and as PDF text (pdftotext); the public exports and report of the CLI,
and webhook payloads, are read too, and every CLI command must say whom it
serves (``CLI``), so a new command without an entry fails as well.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from live import LiveServer, report_body, start_server

from cli_main import run_main
from truce.api.middleware import api_routes
from truce.domain.actors import Source, SourceKind
from truce.domain.agreements import Agreement
from truce.domain.alerts import Alert, AlertKind
from truce.domain.claims import Claim, ClaimStatus, Proposition, Stance
from truce.domain.incidents import Incident, Report
from truce.service import cases, findings
from truce.service.curation import create_from_reports, merge_incidents, publish
from truce.service.records import add_agreement, add_claim, add_party_actor_source, add_report
from truce.service.signing import sign
from truce.service.statements import reject_statement, submit_statement
from truce.service.users import Principal, Role
from truce.service.webhooks import alert_body
from truce.store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
READERS = ("public", "obs1", "obs2", "liaison-arm", "liaison-aze", "analyst1", "admin1")
STAFF = frozenset({"analyst1", "admin1"})
EVERYONE = frozenset(READERS)


@dataclass(frozen=True)
class Marker:
    may_see: frozenset[str]
    must_see: frozenset[str] = field(default_factory=frozenset)  # somewhere, in some output


@dataclass
class Seeded:
    live: LiveServer
    day: str
    incidents: list[str]
    reports: list[str]
    statements: list[str]
    markers: dict[str, Marker]
    cases: list[str] = field(default_factory=list)


def _principal(live: LiveServer, name: str, role: Role, party: str | None = None) -> Principal:
    return Principal(id=live.ids[name], name=name, role=role, party=party)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    live = start_server(tmp_path_factory.mktemp("leaks"))
    moment = datetime.now(UTC) - timedelta(hours=3)
    day = moment.astimezone(live.settings.tz).date().isoformat()
    # an observer report behind the published incident, one behind nothing, a restriction
    linked = sign(report_body(summary="Two impacts NE, seen from the post."), live.keys["obs1"])
    unlinked = sign(report_body(summary="zq-unlinked-summary"), live.keys["obs1"])
    restriction = sign(report_body(
        kind="restriction", summary="zq-restriction-summary", observations=[],
        restriction={"place_name": "zq-checkpoint", "imposed_by": "ARM", "description": "turned back"}),
        live.keys["obs1"])
    with live.client("obs1") as c:
        for body in (linked, unlinked, restriction):
            assert c.post("/api/reports", json=body).status_code == 201
    analyst = _principal(live, "analyst1", Role.ANALYST)
    arm = _principal(live, "liaison-arm", Role.LIAISON, "ARM")
    with UnitOfWork(live.engine, actor="seed") as uow:
        add_party_actor_source(uow, Source("s-zq-news", "Wire agency zq", SourceKind.NEWS, published=moment))
        add_party_actor_source(uow, Source("s-zq-refuter", "zq-refuting-inquiry", SourceKind.NGO,
                                           published=moment))
        add_agreement(uow, Agreement(id="agr-zq", name="zq truce", parties=("ARM", "AZE"),
                                     start=moment - timedelta(days=10), end=None, terms=()))

        def incident(iid: str, title: str, report_ids: list[str]) -> None:
            for rid in report_ids:
                if rid.startswith("rep-"):
                    add_report(uow, Report(id=rid, source="s-zq-news", received=moment,
                                           summary=f"News of {title}.", observed_at=moment))
            create_from_reports(uow, Incident(
                id=iid, title=title, event_type="Explosions/Remote violence",
                sub_type="Shelling/artillery/missile attack", start=moment, end=moment + timedelta(minutes=30),
                place_name="Tartar", latitude=40.31, longitude=46.95, country="AZ"), report_ids, moment)

        incident("inc-zq-published", "Shelling of Tartar outskirts", [linked["id"], "rep-zq-p"])
        incident("inc-zq-draft", "zq-draft-title", ["rep-zq-d"])
        incident("inc-zq-merged", "zq-merged-title", ["rep-zq-m"])
        incident("inc-zq-keeper", "zq-keeper-title", ["rep-zq-k"])
        merge_incidents(uow, "inc-zq-keeper", "inc-zq-merged", "the same shelling")
        publish(uow, "inc-zq-published")
        claim = dict(actor="aze-mod", incident="inc-zq-published", source="s-aze")
        add_claim(uow, Claim("c-zq-pub", stance=Stance.ASSERTS, proposition=Proposition.HAPPENED,
                             text="zq-published-claim", **claim), moment)
        add_claim(uow, Claim("c-zq-disc", stance=Stance.DISPUTES, proposition=Proposition.TARGET_TYPE,
                             value="military", text="zq-discounted-claim", status=ClaimStatus.DISCOUNTED,
                             refuted_by="s-zq-refuter", status_reason="zq-refutation-reason", **claim), moment)
        add_claim(uow, Claim("c-zq-draft", "aze-mod", Stance.ASSERTS, Proposition.HAPPENED,
                             incident="inc-zq-draft", source="s-aze", text="zq-draft-claim"), moment)
        submitted, _ = submit_statement(uow, arm, incident_id="inc-zq-published", actor_id="arm-mod",
                                        stance=Stance.DENIES, proposition=Proposition.HAPPENED,
                                        text="zq-submitted-statement", now=moment)
        rejected, _ = submit_statement(uow, arm, incident_id="inc-zq-published", actor_id="arm-mod",
                                       stance=Stance.DISPUTES, proposition=Proposition.HAPPENED,
                                       text="zq-rejected-statement", now=moment)
        reject_statement(uow, analyst, rejected.id, "zq-rejection-reason")
        cases_seeded = _seed_cases(live, uow, moment)
        uow.monitoring.add_alert(Alert(
            id="alert-zq", kind=AlertKind.CIVILIAN_HARM, raised_at=moment, message="zq-alert-message",
            incident_ids=("inc-zq-published",)))
        uow.commit()
    obs1_only = STAFF | {"obs1"}
    arm_only = STAFF | {"liaison-arm"}
    markers = {
        "zq-draft-title": Marker(STAFF, STAFF), "inc-zq-draft": Marker(STAFF, STAFF),
        "zq-merged-title": Marker(STAFF, STAFF), "zq-keeper-title": Marker(STAFF, STAFF),
        "zq-draft-claim": Marker(STAFF, STAFF),
        "zq-published-claim": Marker(EVERYONE, EVERYONE),
        "zq-discounted-claim": Marker(EVERYONE, EVERYONE),
        "zq-refutation-reason": Marker(EVERYONE, EVERYONE),
        "zq-submitted-statement": Marker(arm_only, arm_only),
        "zq-rejected-statement": Marker(arm_only, arm_only),
        "zq-rejection-reason": Marker(arm_only, arm_only),
        live.ids["obs1"]: Marker(obs1_only, obs1_only),
        "40.3412": Marker(obs1_only, obs1_only), "46.9317": Marker(obs1_only, obs1_only),
        linked["signature"]: Marker(obs1_only, obs1_only),
        "zq-unlinked-summary": Marker(obs1_only, obs1_only),
        "zq-restriction-summary": Marker(obs1_only, obs1_only),
        "zq-alert-message": Marker(STAFF, STAFF),
        # casework: an open case with a draft and both replies, a published one
        "zq-case-summary": Marker(STAFF | {"liaison-arm", "liaison-aze"}, STAFF | {"liaison-arm", "liaison-aze"}),
        "zq-arm-case-reply": Marker(arm_only, arm_only),
        "zq-aze-case-reply": Marker(STAFF | {"liaison-aze"}, STAFF | {"liaison-aze"}),
        "zq-case-task-title": Marker(obs1_only, obs1_only),
        "zq-published-finding-reasons": Marker(EVERYONE, EVERYONE),
        "zq-published-case-reply": Marker(EVERYONE, EVERYONE),
    }
    with live.client("obs1") as c:  # the observer answers the case's task
        answer = sign(report_body(summary="zq-case-answer", task=cases_seeded["task"]), live.keys["obs1"])
        assert c.post("/api/reports", json=answer).status_code == 201
    markers["zq-case-answer"] = Marker(obs1_only, obs1_only)
    yield Seeded(live, day, ["inc-zq-published", "inc-zq-draft", "inc-zq-merged", "inc-zq-keeper"],
                 [linked["id"], unlinked["id"], restriction["id"], "rep-zq-p", "rep-zq-d", "rep-zq-m"],
                 [submitted.id, rejected.id], markers, cases=[cases_seeded["open"], cases_seeded["published"]])
    live.stop()


def _seed_cases(live: LiveServer, uow: UnitOfWork, moment: datetime) -> dict[str, str]:
    """A case still open (draft finding, both parties' replies, a task for obs1)
    and a published one, on the zq truce."""
    arm = _principal(live, "liaison-arm", Role.LIAISON, "ARM")
    aze = _principal(live, "liaison-aze", Role.LIAISON, "AZE")
    analyst = _principal(live, "analyst1", Role.ANALYST)
    admin = _principal(live, "admin1", Role.ADMIN)
    for user, seat in (("liaison-arm", "ARM"), ("liaison-aze", "AZE"), ("admin1", "mediator")):
        findings.add_member(uow, "agr-zq", user, seat, moment)
    made = {}
    for key, summary in (("open", "zq-case-summary"), ("published", "Strike on Tartar outskirts")):
        case_id = cases.file_complaint(uow, arm, agreement_id="agr-zq", accused="AZE", term="no_fire",
                                       summary=summary, incident_ids=["inc-zq-published"], now=moment)
        cases.open_case(uow, analyst, moment, case_id=case_id)
        cases.add_evidence(uow, case_id, "incident", "inc-zq-published", None, "analyst1", moment)
        reasons = "zq-published-finding-reasons" if key == "published" else "zq-draft-finding-reasons"
        findings.draft_finding(uow, case_id, outcome="confirmed", party="AZE", reasons=reasons,
                               cites=["inc-zq-published"], now=moment, by="analyst1")
        made[key] = case_id
    cases.reply(uow, arm, made["open"], "zq-arm-case-reply", moment)
    cases.reply(uow, aze, made["open"], "zq-aze-case-reply", moment)
    made["task"] = cases.task_observer(uow, made["open"], moment, "analyst1", title="zq-case-task-title",
                                       look_for="craters", window_start=moment - timedelta(hours=1),
                                       window_end=moment + timedelta(days=2), observer="obs1").id
    cases.reply(uow, aze, made["published"], "zq-published-case-reply", moment)
    for who in (arm, aze, admin):
        findings.approve(uow, who, made["published"], moment + timedelta(days=3))
    findings.publish(uow, made["published"], moment + timedelta(days=3), "analyst1")
    return made


def _each(template: str, key: str):
    return lambda s: [template.format(x) for x in getattr(s, key)]


# Every GET route of the app: the addresses that read it (with the seeded ids).
OUTPUTS = {
    "/api/health": lambda s: ["/api/health"],
    "/api/health/ready": lambda s: ["/api/health/ready"],
    "/api/review/reports": lambda s: ["/api/review/reports"],
    "/api/ledger/checkpoint": lambda s: ["/api/ledger/checkpoint"],
    "/api/ledger/proof/inclusion": lambda s: ["/api/ledger/proof/inclusion?seq=1&size=2"],
    "/api/ledger/proof/consistency": lambda s: ["/api/ledger/proof/consistency?from=1&to=2"],
    "/api/incidents": lambda s: ["/api/incidents?limit=10000"],
    "/api/incidents/{incident_id}": _each("/api/incidents/{}", "incidents"),
    "/api/control": lambda s: [f"/api/control?on={s.day}"],
    "/api/control/history/{place}": lambda s: ["/api/control/history/Tartar"],
    "/api/casualties": lambda s: ["/api/casualties"],
    "/api/reports": lambda s: ["/api/reports?limit=1000"],
    "/api/reports/{report_id}": _each("/api/reports/{}", "reports"),
    "/api/statements": lambda s: ["/api/statements"],
    "/api/statements/{statement_id}": _each("/api/statements/{}", "statements"),
    "/api/users/me": lambda s: ["/api/users/me"],
    "/api/users": lambda s: ["/api/users"],
    "/api/users/{name}/keys": lambda s: ["/api/users/obs1/keys"],  # staff only
    "/api/users/changes": lambda s: ["/api/users/changes"],  # staff only
    "/api/ledger/head": lambda s: ["/api/ledger/head"],
    "/api/ledger/verify": lambda s: ["/api/ledger/verify"],
    "/api/agreements": lambda s: ["/api/agreements"],
    "/api/agreements/{agreement_id}": lambda s: ["/api/agreements/agr-zq"],
    "/api/agreements/{agreement_id}/violations": lambda s: ["/api/agreements/agr-zq/violations"],
    "/api/alerts": lambda s: ["/api/alerts"],
    "/api/proposals": lambda s: ["/api/proposals"],
    "/api/map/geometry": lambda s: [f"/api/map/geometry?date={s.day}"],
    "/api/map/incidents": lambda s: [f"/api/map/incidents?from={s.day}&to={s.day}"],
    "/reports": lambda s: ["/reports"],
    "/reports/{day}.html": lambda s: [f"/reports/{s.day}.html"],
    "/reports/{day}.pdf": lambda s: [f"/reports/{s.day}.pdf"],
    "/charts/violations.svg": lambda s: [f"/charts/violations.svg?to={s.day}"],
    "/charts/casualties.svg": lambda s: [f"/charts/casualties.svg?to={s.day}"],
    "/charts/control.svg": lambda s: [f"/charts/control.svg?to={s.day}"],
    "/signin": lambda s: ["/signin"],
    "/analyst/review": lambda s: ["/analyst/review"],  # an empty shell: data comes from the API
    "/analyst/alerts": lambda s: ["/analyst/alerts"],
    "/static/{path:path}": lambda s: [],  # files shipped with the app, no records
    "/": lambda s: ["/"],
    "/incidents": lambda s: [f"/incidents?from={s.day}&to={s.day}", "/incidents"],
    "/incidents/{incident_id}": _each("/incidents/{}", "incidents"),
    "/api/field/receipts": lambda s: ["/api/field/receipts"],
    "/api/field/rules": lambda s: ["/api/field/rules"],
    "/api/tasks": lambda s: ["/api/tasks"],
    "/api/tasks/{task_id}": lambda s: [],  # no task seeded: the list above reads every task
    "/api/uploads/{upload_id}": lambda s: [],  # an upload's progress, to its own observer only
    "/api/cases": lambda s: ["/api/cases"],
    "/api/cases/{case_id}": _each("/api/cases/{}", "cases"),
    "/api/cases/commission/{agreement_id}": lambda s: ["/api/cases/commission/agr-zq"],
    "/cases": lambda s: ["/cases"],
    "/cases/{case_id}": _each("/cases/{}", "cases"),
    "/field": lambda s: ["/field"],
    "/field/{path:path}": lambda s: [],  # the field app's files, no records
}

# Every CLI command and whom it serves. The CLI runs as the mission's operator
# on the mission's own database ("mission": it reads everything), except
# where it writes something meant for the public: those are read as the
# public in test_cli_public_outputs.
MISSION_CLI = "mission"
CLI = {
    **{c: MISSION_CLI for c in (
        "truce init", "truce serve", "truce casualties", "truce violations", "truce db upgrade",
        "truce db revision", "truce demo load", "truce places search", "truce places unresolved",
        "truce incidents list", "truce incidents show", "truce incidents duplicates", "truce incidents merge",
        "truce incidents split", "truce incidents grade", "truce incidents publish", "truce incidents add",
        "truce control on", "truce control history", "truce import acled", "truce import ucdp",
        "truce import geojson", "truce agreements list", "truce agreements add", "truce alerts list",
        "truce alerts ack", "truce alerts evaluate", "truce alerts deliver", "truce webhooks add",
        "truce ingest text", "truce ingest evaluate", "truce review list", "truce review accept",
        "truce review reject", "truce users add", "truce users list", "truce users key", "truce users token",
        "truce users deactivate", "truce observer keygen", "truce observer submit", "truce observer sync",
        "truce ledger verify", "truce ledger head", "truce actors list", "truce sources list",
        "truce tasks add", "truce tasks close", "truce tasks list", "truce users enrol", "truce users revoke",
        "truce ledger check", "truce ledger checkpoint", "truce ledger cosign", "truce ledger keygen",
        "truce verify", "truce review incident", "truce review attach", "truce review dismiss",
        "truce users keys", "truce users rekey", "truce users role", "truce users changes",
        "truce users approve", "truce users reject", "truce observer rekey",
        "truce cases list", "truce cases show", "truce cases file", "truce cases open",
        "truce cases evidence", "truce cases task", "truce cases request", "truce cases reply",
        "truce cases finding", "truce cases approve", "truce cases publish", "truce cases rules",
        "truce cases member")},
    "truce report": "public with --edition public (checked below)",
    "truce export": "public with --public (checked below)",
}


def _text(response) -> str:
    if response.headers.get("content-type", "").startswith("application/pdf"):
        done = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)
        return done.stdout.decode()
    return response.text


def test_every_route_has_an_output_entry(seeded):
    from truce.api.app import create_app

    gets = {path for path, methods, _ in api_routes(create_app(seeded.live.settings)) if "GET" in methods}
    missing = sorted(gets - OUTPUTS.keys())
    assert not missing, f"GET routes with no entry in OUTPUTS: {missing}"
    assert not sorted(OUTPUTS.keys() - gets), "OUTPUTS entries for routes that no longer exist"


def _read_everything(seeded: Seeded) -> dict[str, dict[str, str]]:
    """{reader: {address: text}} of every output the reader may read (200)."""
    seen: dict[str, dict[str, str]] = {}
    for reader in READERS:
        seen[reader] = {}
        with seeded.live.client(None if reader == "public" else reader) as c:
            c.timeout = httpx.Timeout(300)  # the first PDF of a day is rendered on demand, slow on a busy machine
            for make in OUTPUTS.values():
                for url in make(seeded):
                    response = c.get(url)
                    assert response.status_code < 500, (reader, url, response.text)
                    if response.status_code == 200:
                        seen[reader][url] = _text(response)
    return seen


@pytest.fixture(scope="module")
def everything(seeded):
    return _read_everything(seeded)


@pytest.mark.parametrize("reader", READERS)
def test_no_output_shows_a_reader_what_they_may_not_see(seeded, everything, reader):
    leaks = [(url, marker) for url, text in everything[reader].items()
             for marker, rule in seeded.markers.items() if reader not in rule.may_see and marker in text]
    assert not leaks, f"{reader} reads what they may not: {leaks}"


def test_every_marker_reaches_those_who_must_see_it(seeded, everything):
    """The check above could pass by showing nothing: each record shows where it should."""
    missing = [(marker, reader) for marker, rule in seeded.markers.items() for reader in rule.must_see
               if not any(marker in text for text in everything[reader].values())]
    assert not missing, missing


def test_statuses_are_named_for_what_they_are(seeded, everything):
    page = everything["public"]["/incidents/inc-zq-published"]
    assert "shown false by zq-refuting-inquiry (zq-refutation-reason)" in page
    with seeded.live.client("liaison-arm") as c:
        words = {s["text"]: s["status_words"] for s in c.get("/api/statements").json()["data"]}
    assert words["zq-submitted-statement"] == "submitted, awaiting review"
    assert words["zq-rejected-statement"] == "rejected by an analyst (zq-rejection-reason)"


def test_an_unreviewed_statement_neither_counts_nor_contests_in_public(seeded, everything):
    report = everything["public"][f"/reports/{seeded.day}.html"]
    assert "Shelling of Tartar outskirts" in report
    assert "Denying or disputing" not in report or "zq-submitted-statement" not in report


def _public_reader(seeded: Seeded) -> set[str]:
    return {m for m, rule in seeded.markers.items() if "public" not in rule.may_see}


def test_webhook_payloads_carry_the_alert_and_nothing_else(seeded):
    from truce.service.alerts import list_alerts

    with UnitOfWork(seeded.live.engine) as uow:
        (stored,) = [a for a in list_alerts(uow) if a.alert.id == "alert-zq"]
    payload = alert_body(stored, 1, datetime.now(UTC)).decode()
    assert "zq-alert-message" in payload  # webhooks are the mission's own receivers of alerts
    leaks = [m for m in _public_reader(seeded) - {"zq-alert-message"} if m in payload]
    assert not leaks, leaks


def _cli(seeded: Seeded, *args: str) -> str:
    env = {"TRUCE_DATABASE_URL": seeded.live.settings.database_url,
           "TRUCE_TIMEZONE": seeded.live.settings.timezone, "TRUCE_LOG_KEY": str(seeded.live.settings.log_key)}
    done = run_main(*args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_cli_command_says_whom_it_serves():
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    commands = {path for path, _ in module.commands()}
    missing = sorted(commands - CLI.keys())
    assert not missing, f"CLI commands with no entry in CLI: {missing}"
    assert not sorted(CLI.keys() - commands), "CLI entries for commands that no longer exist"


def test_cli_public_outputs(seeded, tmp_path):
    _cli(seeded, "report", "--date", seeded.day, "--edition", "public", "-o", str(tmp_path))
    html = (tmp_path / f"{seeded.day}.html").read_text()
    pdf = subprocess.run(["pdftotext", str(tmp_path / f"{seeded.day}.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    geojson = _cli(seeded, "export", "geojson", "--public")
    csv = _cli(seeded, "export", "csv", "--public")
    _cli(seeded, "export", "bundle", "--date", seeded.day, "-o", str(tmp_path / "bundle.json"))
    bundle = (tmp_path / "bundle.json").read_text()
    assert json.loads(bundle)["records"], "the day's bundle holds the published incident"
    assert "Shelling of Tartar outskirts" in html and "inc-zq-published" in geojson + csv
    for name, text in (("html", html), ("pdf", pdf), ("geojson", geojson), ("csv", csv), ("bundle", bundle)):
        leaks = [m for m in _public_reader(seeded) if m in text]
        assert not leaks, (name, leaks)
    ids = {f["properties"]["id"] for f in json.loads(geojson)["features"]}
    assert "inc-zq-published" in ids and not {i for i in ids if re.match(r"inc-zq-(draft|merged|keeper)", i)}
