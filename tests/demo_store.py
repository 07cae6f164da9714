"""The demo theatre in a fresh SQLite store, built through the real CLI,
with violations evaluated; shared by the report and browser tests."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from cli_main import run_main
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
    """Run `truce ARGS` (the console entry point, in this process, output to a
    pipe) against ``url``; its stdout, or a failure naming stderr."""
    done = run_main(*args, env={"TRUCE_DATABASE_URL": url, "TRUCE_TIMEZONE": THEATRE_TZ})
    assert done.returncode == 0, f"truce {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def file_observer_report(url: str, at: datetime, observer: str = "obs-test", **overrides) -> str:
    """An observer report signed by ``observer`` (enrolled with a fresh key the
    first time) and stored through the submission service at ``at``; the body
    is two artillery impacts 3 km NE of an observer at Tartar, observed ten
    minutes earlier, with ``overrides``. Returns the report's id."""
    import uuid
    from datetime import timedelta

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from truce.service.observer_reports import submit_observer_report
    from truce.service.report_format import ObserverReport
    from truce.service.signing import public_key_text, sign
    from truce.service.users import Principal, Role, add_user
    from truce.store.users import UserRepository

    engine = make_engine(url)
    key_file = Path(url.removeprefix("sqlite:///") + f".{observer}.key")
    if key_file.exists():
        key = Ed25519PrivateKey.from_private_bytes(key_file.read_bytes())
    else:
        key = Ed25519PrivateKey.generate()
        with UnitOfWork(engine, actor="setup") as uow:
            add_user(uow, observer, "observer", at - timedelta(days=30), public_key=public_key_text(key))
            uow.commit()
        key_file.write_bytes(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
    body = sign({
        "id": str(uuid.uuid4()), "kind": "incident",
        "observed_at": (at - timedelta(minutes=10)).isoformat(timespec="seconds"),
        "position": {"latitude": 40.3412, "longitude": 46.9317, "accuracy_m": 10},
        "summary": "Two explosions to the north-east, impacts seen.",
        "observations": [{"what": "impact", "how": "seen_and_heard", "count": 2, "bearing_deg": 45,
                          "distance_m": 3000, "distance_uncertainty_m": 500, "weapon_class": "artillery"}],
        **overrides}, key)
    with engine.connect() as c:
        u = UserRepository(c).get(observer)
    principal = Principal(id=u.id, name=u.name, role=Role(u.role), party=u.party, public_key=u.public_key)
    with UnitOfWork(engine, actor=observer) as uow:
        submit_observer_report(uow, principal, body, ObserverReport.model_validate(body), at)
        uow.commit()
    engine.dispose()
    return body["id"]


def build_demo_store(path: Path) -> str:
    """The demo theatre at ``path`` (a SQLite file), as `truce init` + `truce
    demo load` leave it, with violations evaluated if the loader did not.
    Returns the database URL; what the loader printed (the demo credentials
    among it) is kept beside the file as ``<name>.load.txt``. The theatre is
    built once per test process and copied."""
    template = _demo_template()
    with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
        source.backup(target)
    path.with_suffix(".load.txt").write_text(template.with_suffix(".load.txt").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    key = Path(f"{template}.token-key")  # the tokens `demo load` printed are keyed with it
    if key.exists():
        shutil.copy2(key, f"{path}.token-key")
    return f"sqlite:///{path}"


@functools.cache
def _demo_template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="truce-demo-")) / "demo.db"
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
    return path
