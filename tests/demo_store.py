"""The demo theatre in a fresh SQLite store, built through the real CLI,
with violations evaluated; shared by the report and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

THEATRE_TZ = "Asia/Baku"


def truce_env(url: str) -> dict[str, str]:
    return {**os.environ, "TRUCE_DATABASE_URL": url, "TRUCE_TIMEZONE": THEATRE_TZ}


def serve_truce(url: str, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `truce serve --db URL ARGS` on a free loopback port; (process, base URL) once healthy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "truce", "serve", "--db", url, "--port", str(port), *args],
                            env={**truce_env(url), **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"truce serve did not start: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)


def run_truce(*args: str, url: str) -> str:
    """Run `truce ARGS` in a child process; its stdout, or a failure naming stderr."""
    done = subprocess.run([sys.executable, "-m", "truce", *args], env=truce_env(url),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"truce {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_demo_store(path: Path) -> str:
    """`truce init` + `truce demo load` at ``path``; evaluates violations if the
    loader did not. Returns the database URL; what the loader printed (the demo
    credentials among it) is kept beside the file as ``<name>.load.txt``."""
    url = f"sqlite:///{path}"
    run_truce("init", "--db", url, url=url)
    loaded = run_truce("demo", "load", "--db", url, url=url)
    path.with_suffix(".load.txt").write_text(loaded, encoding="utf-8")  # what `demo load` printed
    engine = make_engine(url)
    with engine.connect() as c:
        evaluated = c.exec_driver_sql("SELECT count(*) FROM violations").scalar_one()
    with UnitOfWork(engine, actor="test") as uow:
        if not evaluated:
            from truce.service.violations import evaluate_all

            evaluate_all(uow, datetime.now(UTC))
            uow.commit()
    engine.dispose()
    return url
