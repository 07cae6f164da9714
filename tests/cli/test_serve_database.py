"""`truce serve --db PATH` serves that database, wherever it is started from
and with no database named in the environment."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_uses_the_database_named_by_db(demo_db: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = tmp_path / "mission" / "r.db"
    store.parent.mkdir()
    shutil.copy(demo_db, store)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUCE_")}
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "truce", "serve", "--db", str(store), "--port", str(port)],
                            cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                ready = httpx.get(base + "/api/health/ready", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()[-2000:]
                time.sleep(0.3)
        assert ready.status_code == 200, ready.text
        incidents = httpx.get(base + "/api/incidents", params={"limit": 1}, timeout=30)
        assert incidents.status_code == 200 and incidents.json()["count"] > 0
        assert list(elsewhere.iterdir()) == []  # no stray empty truce.db where it was started
    finally:
        proc.terminate()
        proc.wait(timeout=20)
