"""Who speaks when a statement is made together or issued by someone: "India and Pakistan
said they have agreed" is one joint claim by both ("which Ankara and Baku deny" stays a
claim each); "a statement issued by X" and "In a statement issued by X, ..." are X's
claims. Through ``extract``, ``truce ingest`` and ``POST /api/ingest``."""

from __future__ import annotations

from datetime import date

import pytest

from truce.ingest.text import extract

PUBLISHED = date(2021, 2, 25)

# name, text, [(actor, stance)]
CASES = [
    ("two states saying they have agreed: one joint claim",
     "India and Pakistan said on Thursday they have agreed to strictly observe all agreements "
     "on the ceasefire along the Line of Control.",
     [("India and Pakistan", "asserts")]),
    ("a joint statement: one claim by all of its authors",
     "Russia, France and the United States said in a joint statement that the sides must "
     "respect the humanitarian truce.",
     [("Russia, France and United States", "asserts")]),
    ("two speakers each denying: a claim each",
     "The international community fears the conflict will be internationalized, with Turkey "
     "accused of sending pro-Turkish fighters from Syria to fight in the ranks of the "
     "Azerbaijani forces, which Ankara and Baku deny.",
     [("Ankara", "denies"), ("Baku", "denies")]),
    ("the issuer of a statement speaks at the end of the sentence",
     "A civilian was injured after Indian troops opened fire along the Line of Control, a "
     "statement issued by the Inter-Services Public Relations stated on Tuesday.",
     [("Inter-Services Public Relations", "asserts")]),
    ("the issuer of a statement after 'according to'",
     "Armenian forces shelled Tartar overnight, according to a statement issued by the "
     "Azerbaijani Defence Ministry.",
     [("Azerbaijani Defence Ministry", "asserts")]),
    ("the issuer of a statement that opens the sentence, with no speech verb",
     "In a statement issued by the Azerbaijani Defence Ministry, Armenian forces were said to "
     "have shelled Tartar overnight.",
     [("Azerbaijani Defence Ministry", "asserts")]),
]


def _spoken(claims) -> list[tuple[str, str]]:
    return sorted((c["actor"], c["stance"]) if isinstance(c, dict) else (c.actor, c.stance)
                  for c in claims if (c["basis"] if isinstance(c, dict) else c.basis) == "speech")


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_extract_reads_who_speaks(name, text, expected):
    assert _spoken(extract(text, PUBLISHED).claims) == sorted(expected), name


def test_a_joint_claim_is_no_one_party_s():
    claim = next(c for c in extract(CASES[0][1], PUBLISHED).claims if c.basis == "speech")
    assert claim.actor == "India and Pakistan" and claim.party is None


def test_truce_ingest_and_post_api_ingest_read_who_speaks(tmp_path):
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
    url = f"sqlite:///{tmp_path / 'speakers.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    for n, (name, text, expected) in enumerate(CASES):
        path = tmp_path / f"speakers-{n}.txt"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["ingest", str(path), "--published", "2021-02-25",
                                     "--source", f"wire {n}", "--db", url])
        assert result.exit_code == 0, result.output
        with UnitOfWork(make_engine(url)) as uow:
            claims = [p.payload for p in list_proposals(uow, status=None)
                      if p.kind == "claim" and p.sentence == text]
        assert _spoken(claims) == sorted(expected), name
    with UnitOfWork(make_engine(url)) as uow:
        _user, token = add_user(uow, "analyst1", "analyst", datetime.now(UTC),
                                token_key=load_token_key(token_key_path(url)))
        uow.commit()
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        for n, (name, text, expected) in enumerate(CASES):
            response = client.post("/api/ingest", json={
                "text": text, "published": "2021-02-25", "source": f"agency {n}",
                "new_source": True})
            assert response.status_code == 201, response.text
            claims = [p["payload"] for p in response.json()["data"] if p["kind"] == "claim"]
            assert _spoken(claims) == sorted(expected), name
