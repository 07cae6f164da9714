"""The limit on failed token checks keys on the client's address: `truce serve`
believes X-Forwarded-For only from a proxy named with --trusted-proxy, so a
client cannot dodge the limit by inventing addresses."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from demo_store import run_truce, truce_env
from web_server import _free_port


def _serve(url: str, *extra: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "truce", "serve", "--db", url, "--port", str(port), *extra],
                            env={**truce_env(url), "TRUCE_AUTH_FAILURES_PER_CLIENT": "5"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def _statuses(base: str, forwarded: bool) -> list[int]:
    out = []
    with httpx.Client(base_url=base, timeout=30) as c:
        for n in range(12):
            headers = {"Authorization": f"Bearer truce_nope{n:04d}_wrongsecretwrongsecret"}
            if forwarded:
                headers["X-Forwarded-For"] = f"203.0.113.{n + 1}"
            out.append(c.get("/api/users/me", headers=headers).status_code)
    return out


def test_invented_forwarded_addresses_do_not_escape_the_per_client_limit(sqlite_url):
    run_truce("init", "--db", sqlite_url, url=sqlite_url)
    proc, base = _serve(sqlite_url)
    try:
        seen = _statuses(base, forwarded=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert set(seen) <= {401, 429} and 429 in seen, seen


def test_a_named_proxy_is_believed(sqlite_url):
    run_truce("init", "--db", sqlite_url, url=sqlite_url)
    proc, base = _serve(sqlite_url, "--trusted-proxy", "127.0.0.1")
    try:
        seen = _statuses(base, forwarded=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert seen == [401] * 12, seen  # twelve different clients, each failing once
