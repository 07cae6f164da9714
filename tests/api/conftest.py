"""One real API server over loopback for the API tests (started once: it is
the expensive part); each test makes its own records with fresh UUIDs and
counts rows before and after where it matters."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from live import LiveServer, report_body, start_server  # noqa: E402

from truce.service.signing import sign  # noqa: E402


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("api"))
    yield server
    server.stop()


@pytest.fixture
def signed(live: LiveServer) -> Callable[..., dict[str, Any]]:
    """signed(user="obs1", **overrides) -> a report body signed by that observer."""

    def make(user: str = "obs1", **overrides: Any) -> dict[str, Any]:
        return sign(report_body(**overrides), live.keys[user])

    return make
