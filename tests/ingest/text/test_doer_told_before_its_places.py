"""A state named as the doer right before its act ("Pakistan violated the ceasefire"),
and its places told in the next sentence: each place's event is that state's. Through
``extract``, ``truce ingest`` and ``POST /api/ingest``."""

from __future__ import annotations

from datetime import date

import pytest

from truce.ingest.text import extract

PUBLISHED = date(2021, 2, 1)

# name, text, [(place name, perpetrator)]
CASES = [
    ("a state as the doer right before its act",
     "Pakistan violated the ceasefire in Kirni sector on Sunday.",
     [("Kirni", "PAK")]),
    ("the doer in one sentence, the places in the next",
     "Pakistan violated the ceasefire on Sunday. Shelling was reported in the Kirni and "
     "Shahpur sectors of Poonch district.",
     [("Kirni", "PAK"), ("Shahpur", "PAK")]),
    ("a state that shelled, and where else the shells fell",
     "Azerbaijan shelled Martuni overnight. Shells also landed in Askeran.",
     [("Askyaran", "AZE"), ("Khojavend", "AZE")]),
]


def _doers(events) -> list[tuple[str, str | None]]:
    out = []
    for e in events:
        place = e["place"]["name"] if isinstance(e, dict) else e.place.name
        out.append((place, e["perpetrator"] if isinstance(e, dict) else e.perpetrator))
    return sorted(out)


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_extract_names_the_doer_of_each_place(name, text, expected):
    assert _doers(extract(text, PUBLISHED).events) == sorted(expected), name


def test_truce_ingest_and_post_api_ingest_name_the_doer(tmp_path):
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from truce.api.app import create_app
    from truce.cli import app
    from truce.service.review import list_proposals
    from truce.service.tokens import load_token_key, token_key_path
    from truce.service.users import add_user
    from truce.settings import Settings
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'doers.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    text, expected = CASES[1][1], CASES[1][2]
    path = tmp_path / "doers.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--published", "2021-02-01",
                                 "--source", "wire", "--db", url])
    assert result.exit_code == 0, result.output
    with UnitOfWork(make_engine(url)) as uow:
        events = [p.payload for p in list_proposals(uow, status=None) if p.kind == "event"]
    assert _doers(events) == sorted(expected)
    with UnitOfWork(make_engine(url)) as uow:
        _user, token = add_user(uow, "analyst1", "analyst", datetime.now(UTC),
                                token_key=load_token_key(token_key_path(url)))
        uow.commit()
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        response = client.post("/api/ingest", json={
            "text": CASES[2][1], "published": "2021-02-01", "source": "agency",
            "new_source": True})
        assert response.status_code == 201, response.text
        events = [p["payload"] for p in response.json()["data"] if p["kind"] == "event"]
        assert _doers(events) == sorted(CASES[2][2])
