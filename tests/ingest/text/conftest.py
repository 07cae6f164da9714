"""Fixtures for the text pipeline: the fake parser, a small gazetteer, a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from truce.domain.places import Place
from truce.geo.gazetteer import read_gazetteer
from truce.ingest.text import FakeExtractor
from truce.ingest.text.places import PlaceIndex
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

EXAMPLE = Path(__file__).parents[4] / "shared" / "examples" / "article-2020-10-15-karabakh.txt"
GOLD = Path(__file__).parents[2] / "data" / "ingest_gold" / "dev.jsonl"


def make_place(id: str = "gn:584871", name: str = "Tartar", country: str = "AZ",
               alternates: tuple[str, ...] = ("Terter",), population: int = 20400,
               latitude: float = 40.342, longitude: float = 46.932) -> Place:
    return Place(id=id, name=name, latitude=latitude, longitude=longitude, country=country,
                 population=population, alternatenames=alternates)


@pytest.fixture
def fake() -> FakeExtractor:
    return FakeExtractor()


@pytest.fixture(scope="session")
def gazetteer() -> PlaceIndex:
    return PlaceIndex(place for place, _origin in read_gazetteer())


@pytest.fixture
def small_index() -> PlaceIndex:
    return PlaceIndex([make_place(), make_place("gn:146970", "Khankendi", "AZ",
                                                ("Stepanakert", "Step'anakert"), 2100, 39.8, 46.75)])


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database at the newest schema, with the shipped gazetteer."""
    engine = make_engine(str(tmp_path / "t.db"))
    upgrade(engine)
    with UnitOfWork(engine) as uow:
        uow.places.add_many(p for p, _o in read_gazetteer())
        uow.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    """The issue's example article (../shared/examples, or its copy in the gold set)."""
    if EXAMPLE.is_file():
        return EXAMPLE
    import json

    first = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "article-2020-10-15-karabakh.txt"
    path.write_text(first["text"], encoding="utf-8")
    return path
