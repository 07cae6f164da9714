"""One real server for the field tests: `uvicorn truce.api.app` in a child
process over a copy of the demo theatre, on a fixed loopback port for the
whole module run, so that a test can stop it and start it again at the
same origin (the field app's storage and service worker belong to it)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from truce.service.users import add_user  # noqa: E402
from truce.store.engine import make_engine  # noqa: E402
from truce.store.uow import UnitOfWork  # noqa: E402
from web_server import _free_port  # noqa: E402

MAX_UPLOAD = 3_000_000


@dataclass
class FieldServer:
    url: str
    db_url: str
    evidence_dir: Path
    port: int
    tokens: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "TRUCE_DATABASE_URL": self.db_url, "TRUCE_TIMEZONE": "Asia/Baku",
                "TRUCE_EVIDENCE_DIR": str(self.evidence_dir), "TRUCE_MAX_UPLOAD_BYTES": str(MAX_UPLOAD)}

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "truce.api.app:create_app", "--factory", "--host",
             "127.0.0.1", "--port", str(self.port), "--log-level", "warning"], env=self.env())
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, "the server exited at start"
            assert time.monotonic() < deadline, "the server did not answer within 120 s"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)
        self.proc = None

    def client(self, user: str | None = None, token: str | None = None) -> httpx.Client:
        headers = {}
        if user or token:
            headers["Authorization"] = f"Bearer {token or self.tokens[user]}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def engine(self):
        return make_engine(self.db_url)


@pytest.fixture(scope="session")
def field_server(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FieldServer]:
    tmp = tmp_path_factory.mktemp("field")
    db = tmp / "field.db"
    with sqlite3.connect(demo_db_path) as source, sqlite3.connect(db) as target:
        source.backup(target)
    db_url = f"sqlite:///{db}"
    port = _free_port()
    server = FieldServer(url=f"http://127.0.0.1:{port}", db_url=db_url, evidence_dir=tmp / "evidence",
                         port=port)
    engine = make_engine(db_url)
    with UnitOfWork(engine, actor="test") as uow:
        for name, role in (("field-admin", "admin"), ("field-admin-2", "admin"), ("field-analyst", "analyst"),
                           ("field-liaison", "liaison")):
            party = "ARM" if role == "liaison" else None
            _user, server.tokens[name] = add_user(uow, name, role, datetime.now(UTC), party=party)
        uow.commit()
    engine.dispose()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for a test module (Debian's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    from web_server import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
