"""A live API server of its own for the casework tests (tests/api/live.py),
seeded by ``casework_seed``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "api"))

from casework_seed import seed_casework  # noqa: E402
from live import LiveServer, start_server  # noqa: E402


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("cases"))
    seed_casework(server)
    yield server
    server.stop()
