"""A party's spokesman relayed by a wire is the party's actor, not a new,
neutral origin: an accepted proposal resolves the origin its sentence names
through the directory's names and aliases (service.actor_names), so the same
ministry is counted once and keeps its affiliation."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from truce.cli import app
from truce.domain.actors import Actor
from truce.service.actor_names import known_actor

ARTICLE = Path(__file__).parents[2] / "data" / "article-2020-10-15.txt"
BUKHARLI = "inc-20201014-bukharli-bombardment"
runner = CliRunner()

MOD = Actor(id="aze-mod", name="Ministry of Defence of Azerbaijan", kind="ministry", party="AZE",
            aliases=("Azerbaijani Defence Ministry", "Baku"))
ARM = Actor(id="arm-mod", name="Ministry of Defence of Armenia", kind="ministry", party="ARM")
SPOKESMAN = Actor(id="aze-mod-eyvazov", name="Anar Eyvazov", kind="person", party="AZE",
                  aliases=("spokesman for the Azerbaijani Defense Ministry",))
ACTORS = {a.id: a for a in (MOD, ARM, SPOKESMAN)}


def _cli(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchall()


def test_a_possessive_country_names_the_same_ministry_whatever_the_word_order():
    assert known_actor(ACTORS, "Azerbaijan's defence ministry") == "aze-mod"
    assert known_actor(ACTORS, "Armenia’s Defense Ministry") == "arm-mod"
    assert known_actor(ACTORS, "the spokesman for Azerbaijan's defence ministry") == "aze-mod-eyvazov"


def test_an_unknown_or_one_word_speaker_is_not_guessed():
    assert known_actor(ACTORS, "Azerbaijan") is None  # the alias "Baku" is matched exactly only
    assert known_actor(ACTORS, "Azerbaijan's interior ministry") is None
    twins = {**ACTORS, "x": Actor(id="x", name="Defence Ministry of Azerbaijan", kind="ministry")}
    assert known_actor(twins, "Azerbaijan's defence ministry") is None  # two actors: no guess


def test_an_ingested_relay_of_the_ministry_counts_it_once_with_its_affiliation(demo_db: Path):
    _cli("ingest", str(ARTICLE), "--published", "2020-10-15", "--source", "AFP", "--db", str(demo_db))
    (event,) = _rows(demo_db, "SELECT id FROM proposals WHERE kind = 'event'")
    claims = [r[0] for r in _rows(demo_db, "SELECT id FROM proposals WHERE kind = 'claim'")]
    _cli("review", "accept", event[0], "--db", str(demo_db))
    for claim in claims:
        _cli("review", "accept", claim, "--db", str(demo_db))

    assert not _rows(demo_db, "SELECT id FROM sources WHERE id LIKE 'src-origin-actor-%'")
    assert not _rows(demo_db, "SELECT id FROM actors WHERE id LIKE 'actor-%'")
    assert {r[0] for r in _rows(demo_db, "SELECT actor_id FROM claims WHERE id IN (SELECT result_id "
                                         "FROM proposals WHERE kind = 'claim')")} == {"aze-mod", "arm-mod"}
    origins = {o for (relays,) in _rows(demo_db, "SELECT relays FROM sources WHERE id LIKE 'src-afp-via-%'")
               for o in json.loads(relays)}
    assert set(_rows(demo_db, f"SELECT DISTINCT kind, affiliation FROM sources WHERE id IN "
                              f"({', '.join(repr(o) for o in origins)})")) == \
        {("party_statement", "AZE"), ("party_statement", "ARM")}
    ((reasons,),) = _rows(demo_db, f"SELECT grade_reasons FROM incidents WHERE id = '{BUKHARLI}'")
    (counted,) = [r for r in json.loads(reasons) if "independent origin" in r]
    assert counted.startswith("2 independent origins:")
    assert counted.count("(party statement)") == 1 and "(as relayed) (news)" not in counted
