"""Fixtures shared by the import and export tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from truce.store.engine import make_engine
from truce.store.schema import upgrade


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh, empty SQLite database at the newest schema."""
    path = tmp_path / "truce.db"
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()
    return path
