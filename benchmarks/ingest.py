"""Sustained signed observer-report ingest over loopback, against the same
server's bare /api/health rate in the same run.

Usage: .venv/bin/python benchmarks/ingest.py [--seconds 15] [--clients 8] [--observers 8]

Starts `truce serve` (one worker, SQLite in WAL mode) on a fresh database in
a temporary directory, then drives it from this process with --clients
concurrent HTTP/1.1 keep-alive connections (httpx, asyncio): first
GET /api/health for --seconds, then POST /api/reports for --seconds, each
request a new report signed beforehand by one of --observers observers (so
the client spends no time signing during the run). Each accepted report is
verified (Ed25519), its target position computed (pyproj), stored, ledgered
and committed before the 201 is sent. Writes a section to
benchmarks/out/ingest.md and prints it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from truce.service.signing import generate_key, sign
from truce.service.users import add_user
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bodies(keys, count: int) -> list[tuple[str, bytes]]:
    """(token, JSON bytes) of ``count`` signed reports, round-robin over observers."""
    observed = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="seconds")
    out = []
    for n in range(count):
        token, key = keys[n % len(keys)]
        body = {
            "id": str(uuid.uuid4()), "kind": "incident", "observed_at": observed,
            "position": {"latitude": 40.3412, "longitude": 46.9317, "accuracy_m": 10},
            "summary": f"Benchmark report {n}: two impacts to the north-east.",
            "observations": [{"what": "impact", "how": "seen_and_heard", "count": 2,
                              "bearing_deg": 45, "distance_m": 3000,
                              "distance_uncertainty_m": 500, "weapon_class": "artillery"}],
        }
        out.append((token, json.dumps(sign(body, key)).encode()))
    return out


async def _drive(base: str, clients: int, seconds: float, request) -> tuple[int, list[float], int]:
    """Run ``request(client, n)`` from ``clients`` connections for ``seconds``;
    returns (completed, latencies in s, non-2xx count)."""
    latencies: list[float] = []
    errors = 0
    counter = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal counter, errors
            while time.perf_counter() < deadline:
                n = counter
                counter += 1
                t0 = time.perf_counter()
                response = await request(client, n)
                latencies.append(time.perf_counter() - t0)
                if response.status_code >= 300:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return len(latencies), latencies, errors


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--observers", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "ingest.md")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="truce-ingest-"))
    db = tmp / "ingest.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    keys = []
    with UnitOfWork(engine, actor="benchmark") as uow:
        for n in range(args.observers):
            private, public = generate_key()
            _user, token = add_user(uow, f"bench-obs-{n}", "observer", datetime.now(UTC),
                                    public_key=public)
            keys.append((token, private))
        uow.commit()

    port = _free_port()
    env = dict(os.environ, TRUCE_EVIDENCE_DIR=str(tmp / "evidence"))
    server = subprocess.Popen(
        [sys.executable, "-c", "from truce.cli import main; main()", "serve", "--db", str(db),
         "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("server did not start: " + server.stderr.read().decode()[-2000:])

        pool = _bodies(keys, 40_000)

        async def health(client, _n):
            return await client.get("/api/health")

        async def report(client, n):
            token, payload = pool[n % len(pool)]
            return await client.post("/api/reports", content=payload, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})

        # warm up: argon2 token checks are cached after the first request per token
        asyncio.run(_drive(base, args.clients, 1.0, health))
        for token, payload in _bodies(keys, len(keys)):
            httpx.post(f"{base}/api/reports", content=payload, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})

        h_n, h_lat, h_err = asyncio.run(_drive(base, args.clients, args.seconds, health))
        r_n, r_lat, r_err = asyncio.run(_drive(base, args.clients, args.seconds, report))
    finally:
        server.terminate()
        server.wait(timeout=10)
    with engine.connect() as c:
        from sqlalchemy import func, select

        stored = c.execute(select(func.count()).select_from(t.reports)).scalar_one()
        from truce.store import ledger

        chain_ok = ledger.verify(c).ok
    engine.dispose()

    h_rate, r_rate = h_n / args.seconds, r_n / args.seconds
    cores = os.cpu_count()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    ratio = r_rate / h_rate
    p99 = _pct(r_lat, 99)
    verdict = ("meets" if ratio >= 0.5 and p99 < 100 else "misses")
    section = f"""## Signed observer-report ingest over loopback (issue 3)

Command: `.venv/bin/python benchmarks/ingest.py --seconds {args.seconds:g} \
--clients {args.clients} --observers {args.observers}`

Machine: {cores} cores, {mem_gib:.1f} GiB memory, Python {platform.python_version()},
{platform.system()} {platform.release()}; server `truce serve` with one Uvicorn worker,
SQLite in WAL mode (synchronous=NORMAL) on local disk; the load generator
(httpx, asyncio, {args.clients} keep-alive connections) runs on the same cores.
Each report is a new signed body (signed before the run): the server checks
the bearer token, verifies the Ed25519 signature over the canonical form,
computes the target position with pyproj, and stores the report, its
pseudonymous source and ledger entry in one committed transaction before
answering 201.

| figure | GET /api/health | POST /api/reports |
|---|---|---|
| requests/s, sustained over {args.seconds:g} s | {h_rate:,.0f} | {r_rate:,.0f} |
| p50 latency | {_pct(h_lat, 50):.1f} ms | {_pct(r_lat, 50):.1f} ms |
| p99 latency | {_pct(h_lat, 99):.1f} ms | {p99:.1f} ms |
| non-2xx answers | {h_err} | {r_err} |

Report ingest runs at **{ratio:.2f}x** the bare health-check rate, p99
{p99:.1f} ms: this run {verdict} the target (at least 0.5x, p99 under
100 ms on 2 cores). Reports stored: {stored:,}; the ledger verifies
afterwards: {"yes" if chain_ok else "NO"}.

Durability: a 201 means the transaction committed in SQLite's WAL; with
synchronous=NORMAL that survives a crash of the server process, not
necessarily a power cut of the host (synchronous=FULL would).
"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(section, "utf-8")
    print(section)


if __name__ == "__main__":
    main()
