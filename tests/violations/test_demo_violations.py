"""On the demo theatre: tallies per truce, the 14 Oct strike in Armenia, a spike;
through the service, the CLI and the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.domain.alerts import AlertKind
from truce.service.alerts import acknowledge_alert, list_alerts
from truce.service.violations import evaluate_all, tallies
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

NOW = datetime(2020, 12, 5, tzinfo=UTC)
TRUCES = ("truce-2020-10-10", "truce-2020-10-18", "truce-2020-10-26")


@pytest.fixture
def evaluated(db_url) -> str:
    runner = CliRunner()
    for args in (["init", "--db", db_url], ["demo", "load", "--db", db_url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(db_url), actor="test") as uow:
        evaluate_all(uow, NOW)
        uow.commit()
    return db_url


def test_demo_truces_have_tallies_and_the_strike_inside_armenia_is_new_geography(evaluated):
    with UnitOfWork(make_engine(evaluated)) as uow:
        for truce in TRUCES:
            rows = tallies(uow, truce, ["party", "day"]).rows
            assert rows and all(r["confirmed"] + r["unconfirmed"] == r["total"] for r in rows)
        alerts = [s.alert for s in list_alerts(uow)]
        assert uow.verify_ledger().ok
    geography = [a for a in alerts if a.kind is AlertKind.NEW_GEOGRAPHY]
    armenia = [a for a in geography if a.incident_ids == ("inc-20201014-arm-launchers",)]
    assert armenia and "Armenia's own territory" in armenia[0].message
    assert armenia[0].agreement == "truce-2020-10-10"
    assert any(a.kind is AlertKind.SPIKE for a in alerts)


def test_evaluating_again_raises_no_duplicate_alerts(evaluated):
    with UnitOfWork(make_engine(evaluated)) as uow:
        before = len(list_alerts(uow))
        assert evaluate_all(uow, NOW).alerts == []
        assert len(list_alerts(uow)) == before


def test_acknowledge_needs_a_note_and_happens_once(evaluated):
    from truce.domain.exceptions import Conflict, ValidationError

    with UnitOfWork(make_engine(evaluated), actor="analyst1") as uow:
        alert = list_alerts(uow)[0].alert
        with pytest.raises(ValidationError):
            acknowledge_alert(uow, alert.id, "  ", "analyst1", NOW)
        done = acknowledge_alert(uow, alert.id, "Raised with liaison officers", "analyst1", NOW)
        assert (done.acknowledged_by, done.note) == ("analyst1", "Raised with liaison officers")
        with pytest.raises(Conflict):
            acknowledge_alert(uow, alert.id, "again", "analyst1", NOW)


def test_cli_prints_tallies_and_alerts(sqlite_url):
    runner = CliRunner()
    for args in (["init", "--db", sqlite_url], ["demo", "load", "--db", sqlite_url],
                 ["alerts", "evaluate", "--db", sqlite_url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["violations", "--agreement", "Humanitarian truce of 10 October 2020",
                                 "--by", "party", "--by", "day", "--db", sqlite_url],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "confirmed" in result.output and "unconfirmed" in result.output
    assert "2020-10-14" in result.output and "AZE" in result.output
    shown = runner.invoke(app, ["alerts", "--db", sqlite_url], env={"COLUMNS": "200"})
    assert "inc-20201014-arm-launchers" in shown.output and "spike" in shown.output
    bad = runner.invoke(app, ["violations", "--agreement", "No such truce", "--db", sqlite_url])
    assert bad.exit_code != 0


def test_api_gives_violation_tallies_by_party_and_day(sqlite_url):
    from truce.api.app import create_app
    from truce.settings import Settings

    runner = CliRunner()
    for args in (["init", "--db", sqlite_url], ["demo", "load", "--db", sqlite_url],
                 ["alerts", "evaluate", "--db", sqlite_url]):
        assert runner.invoke(app, args).exit_code == 0
    async def calls() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=create_app(Settings(database_url=sqlite_url)))
        async with httpx.AsyncClient(transport=transport, base_url="http://truce") as client:
            return [
                await client.get("/api/agreements"),
                await client.get("/api/agreements/truce-2020-10-10/violations",
                                 params=[("by", "party"), ("by", "day")]),
                await client.get("/api/agreements/truce-2020-10-10/violations",
                                 params={"by": "colour"}),
                await client.get("/api/alerts"),
            ]

    with ThreadPoolExecutor(1) as pool:  # a browser test's event loop may still run on this thread
        listed, response, wrong, alerts = pool.submit(asyncio.run, calls()).result()
    assert listed.json()["count"] >= 4
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["by"] == ["party", "day"] and body["rows"]
    assert {"party", "day", "confirmed", "unconfirmed", "total"} <= set(body["rows"][0])
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith("application/problem+json")
    assert alerts.status_code == 401  # mission staff only
