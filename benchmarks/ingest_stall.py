"""How long `/api/health` waits while the server extracts a large text.

Usage: .venv/bin/python benchmarks/ingest_stall.py [--chars 200000] [--runs 2]

A fresh store (the demo theatre's gazetteer, one analyst), a server
(``benchmarks/bench_app.py``, one worker); a client polls ``GET /api/health``
every 10 ms throughout, while another posts an article of --chars characters
(the English articles of tests/data/ingest_gold) to ``POST /api/ingest``.
Prints the ingest's wall time and the health latencies (median, p99, worst)
measured while it ran, and the same figures with the server idle.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import Server, Store  # noqa: E402
from truce.service.theatre import load_theatre  # noqa: E402
from truce.service.tokens import load_token_key, token_key_path  # noqa: E402
from truce.service.users import add_user  # noqa: E402
from truce.store.engine import make_engine  # noqa: E402
from truce.store.schema import upgrade  # noqa: E402
from truce.store.uow import UnitOfWork  # noqa: E402

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "ingest_gold"


def long_text(chars: int) -> str:
    """``chars`` characters of real English news: the gold sets' articles, each
    once (then again from the first, with a number changed so no sentence repeats)."""
    import json

    texts = [json.loads(line)["text"] for name in ("real_dev.jsonl", "real_test.jsonl", "dev.jsonl")
             for line in (GOLD / name).read_text("utf-8").splitlines()
             if line.strip() and json.loads(line).get("lang", "en") == "en"]
    out, n = [], 0
    while sum(map(len, out)) < chars:
        out.append(texts[n % len(texts)].replace(" 2020", f" {2020 - n // len(texts)}"))
        n += 1
    return "\n\n".join(out)[:chars]


def make_store(folder: Path) -> tuple[Store, str]:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "stall.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    upgrade(engine)
    key = load_token_key(token_key_path(url))
    with UnitOfWork(engine, actor="benchmark") as uow:
        load_theatre(uow)
        _user, token = add_user(uow, "bench-analyst", "analyst", datetime.now(UTC), token_key=key)
        uow.commit()
    engine.dispose()
    return Store(db, []), token


def poll(base: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            began = time.perf_counter()
            client.get("/api/health").raise_for_status()
            out.append((time.perf_counter() - began) * 1000)
            time.sleep(0.01)


def figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    slow = sum(1 for x in ordered if x > 50)
    return (f"{len(ordered)} polls, median {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, "
            f"worst {ordered[-1]:.1f} ms, {slow} over 50 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="py-spy the server (GIL holder only) during the runs, "
                                                     "collapsed stacks to this file")
    args = parser.parse_args()
    text = long_text(args.chars)
    with tempfile.TemporaryDirectory() as tmp:
        store, token = make_store(Path(tmp))
        server = Server(store)
        try:
            with httpx.Client(base_url=server.base, timeout=600,
                              headers={"Authorization": f"Bearer {token}"}) as client:
                # warm-up: the extraction model loads on first use
                client.post("/api/ingest", json={"text": text[:2000], "published": date(2020, 10, 15).isoformat(),
                                                 "source": "Bench wire", "new_source": True}).raise_for_status()
                idle: list[float] = []
                stop = threading.Event()
                poller = threading.Thread(target=poll, args=(server.base, stop, idle))
                poller.start()
                time.sleep(2)
                stop.set()
                poller.join()
                print(f"idle: {figures(idle)}")
                spy = None
                if args.profile:
                    import shutil
                    import subprocess

                    spy = subprocess.Popen([shutil.which("py-spy") or "py-spy", "record", "--gil", "-r", "250",
                                            "-f", "raw", "-o", str(args.profile), "-p", str(server.process.pid)],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    time.sleep(1)
                for run in range(args.runs):
                    busy: list[float] = []
                    stop = threading.Event()
                    poller = threading.Thread(target=poll, args=(server.base, stop, busy))
                    poller.start()
                    began = time.perf_counter()
                    response = client.post("/api/ingest", json={
                        "text": text, "published": "2020-10-15", "source": "Bench wire", "new_source": True})
                    took = time.perf_counter() - began
                    stop.set()
                    poller.join()
                    response.raise_for_status()
                    print(f"run {run + 1}: ingest of {len(text):,} characters {took:.1f} s "
                          f"({response.json()['count']} proposals); health during it: {figures(busy)}")
                if spy is not None:
                    spy.send_signal(2)
                    spy.wait(timeout=60)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
