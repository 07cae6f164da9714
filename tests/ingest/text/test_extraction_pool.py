"""The server extracts in a child process: the same proposals as in the
calling thread, and a database the child cannot open is for the caller."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from truce.ingest.text.pipeline import extract
from truce.service.extraction_pool import can_isolate, extract_isolated, shutdown
from truce.store.engine import make_engine
from truce.store.schema import upgrade

ARTICLE = Path(__file__).parents[2] / "data" / "article-2020-10-15.txt"


def test_extraction_in_the_child_process_equals_extraction_in_the_thread(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    text = ("Azerbaijan's defence ministry said Armenian forces shelled Tartar overnight on "
            "14 October, killing two civilians. Armenia denied it. " + ARTICLE.read_text("utf-8"))
    try:
        isolated = extract_isolated(url, text, date(2020, 10, 15), "Wire", zone=None, language=None)
    finally:
        shutdown()
    here = extract(text, date(2020, 10, 15), "Wire")
    assert isolated == here
    assert isolated.events


def test_sqlite_in_memory_cannot_be_isolated():
    assert not can_isolate("sqlite://")
    assert not can_isolate("sqlite:///:memory:")
    assert can_isolate("sqlite:////tmp/truce.db")
    assert can_isolate("postgresql+psycopg://u@h/truce")
