"""The limit on failed token checks keys on the client's address: `truce serve`
believes X-Forwarded-For only from a proxy named with --trusted-proxy, so a
client cannot dodge the limit by inventing addresses."""

from __future__ import annotations

import httpx

from demo_store import run_truce, serve_truce

LOW_LIMIT = {"TRUCE_AUTH_FAILURES_PER_CLIENT": "5"}


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
    proc, base = serve_truce(sqlite_url, env=LOW_LIMIT)
    try:
        seen = _statuses(base, forwarded=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert set(seen) <= {401, 429} and 429 in seen, seen


def test_a_named_proxy_is_believed(sqlite_url):
    run_truce("init", "--db", sqlite_url, url=sqlite_url)
    proc, base = serve_truce(sqlite_url, "--trusted-proxy", "127.0.0.1", env=LOW_LIMIT)
    try:
        seen = _statuses(base, forwarded=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert seen == [401] * 12, seen  # twelve different clients, each failing once
