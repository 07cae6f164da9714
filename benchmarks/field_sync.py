"""The field app syncing a full outbox over loopback, beside the CLI client.

Usage: .venv/bin/python benchmarks/field_sync.py [--reports 1000] [--photos 100] [--photo-mb 2]

Starts `truce serve`'s app (one Uvicorn worker, SQLite in WAL mode) on a
fresh database in a temporary directory. Then, in Debian's Chromium:
enrols a device through /field/ (a one-time code, a WebCrypto Ed25519 key),
cuts the network, queues --reports reports through the app's own outbox
(signed on the device; --photos of them with a random --photo-mb MB photo,
hashed on the device), restores the network and times until every report
shows "received" with its receipt (photos uploaded in 1 MiB resumable
chunks, hashes checked by the server). Then the reference CLI client
(`truce observer sync`) sends --reports signed reports (no photos: it
uploads none) from its outbox file to the same server. Server-side rate:
reports stored per second between the first and the last report's
received time. Writes benchmarks/out/field_sync.md and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select

from truce.service.enrolment import create_enrolment
from truce.service.signing import generate_key, sign
from truce.service.users import add_user
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

QUEUE = """async ([count, photos, photoBytes]) => {
  const db = await import('/field/js/db.js');
  const outbox = await import('/field/js/outbox.js');
  const { signReport, sha256Hex } = await import('/field/js/crypto.js');
  const device = await db.get('device', 'self');
  const observed = new Date(Date.now() - 600000).toISOString().replace(/\\.\\d+Z$/, '+00:00');
  const every = Math.max(1, Math.floor(count / Math.max(1, photos)));
  for (let n = 0; n < count; n++) {
    const report = { id: crypto.randomUUID(), kind: 'situation', observed_at: observed,
      position: { latitude: 40 + (n % 100) / 1000, longitude: 46.8, accuracy_m: 10 },
      summary: `Calm at post ${n}; nothing observed.` };
    const files = [];
    if (photos > 0 && n % every === 0 && n / every < photos) {
      const bytes = new Uint8Array(photoBytes);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      const blob = new Blob([bytes], { type: 'image/jpeg' });
      const sha256 = await sha256Hex(blob);
      files.push({ blob, sha256, size: blob.size, type: 'image/jpeg', name: `photo-${n}.jpg` });
      report.evidence = [sha256];
    }
    await outbox.enqueue(await signReport(report, device.privateKey), files);
  }
  return (await outbox.items()).length;
}"""

STATES = """async () => {
  const outbox = await import('/field/js/outbox.js');
  const items = await outbox.items();
  const s = { queued: 0, sending: 0, received: 0, refused: 0 };
  for (const i of items) s[i.state] += 1;
  s.with_receipt = items.filter((i) => i.state === 'received' && i.receipt && i.receipt.ledger_seq).length;
  s.evidence_ok = items.filter((i) => i.evidence.length && i.evidenceMatches).length;
  return s;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_rate(engine, ids: list[str]) -> tuple[int, float]:
    with engine.connect() as c:
        r = t.reports.c
        n, first, last = c.execute(select(func.count(), func.min(r.received), func.max(r.received))
                                   .where(r.id.in_(ids))).one()
    span = (last - first).total_seconds() if n > 1 else 0.0
    return n, (n - 1) / span if span > 0 else float("nan")


def _browser_sync(url: str, db_url: str, reports: int, photos: int, photo_bytes: int) -> dict:
    from playwright.sync_api import sync_playwright

    engine = make_engine(db_url)
    with UnitOfWork(engine, actor="bench") as uow:
        _user, code, _expires = create_enrolment(uow, "bench-field", datetime.now(UTC))
        uow.commit()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{url}/field/#enrol={code}")
        page.wait_for_selector("body[data-ready=true]")
        page.click("#enrol-form button[type=submit]")
        page.wait_for_selector("#screen-report:not([hidden])")
        context.set_offline(True)
        started = time.perf_counter()
        queued = page.evaluate(QUEUE, [reports, photos, photo_bytes])
        queue_s = time.perf_counter() - started
        assert queued == reports, queued
        context.set_offline(False)
        started = time.perf_counter()
        page.evaluate("import('/field/js/outbox.js').then((o) => o.sendNow())")
        while True:
            states = page.evaluate(STATES)
            if states["received"] + states["refused"] == reports:
                break
            if time.perf_counter() - started > 3600:
                raise RuntimeError(f"not synced within an hour: {states}")
            time.sleep(0.5)
        sync_s = time.perf_counter() - started
        ids = page.evaluate("import('/field/js/outbox.js').then(async (o) => (await o.items()).map((i) => i.id))")
        browser.close()
    stored, rate = _server_rate(engine, ids)
    with engine.connect() as c:
        evidence = c.execute(select(func.count(), func.sum(t.evidence.c.size))).one()
    engine.dispose()
    return {"queue_s": queue_s, "sync_s": sync_s, "states": states, "stored": stored, "server_rate": rate,
            "evidence_files": evidence[0], "evidence_bytes": evidence[1] or 0}


def _cli_sync(url: str, db_url: str, reports: int, work: Path) -> dict:
    private, public = generate_key()
    engine = make_engine(db_url)
    with UnitOfWork(engine, actor="bench") as uow:
        _user, token = add_user(uow, "bench-cli", "observer", datetime.now(UTC), public_key=public)
        uow.commit()
    observed = (datetime.now(UTC) - timedelta(minutes=10)).isoformat(timespec="seconds")
    bodies = [sign({"id": str(uuid.uuid4()), "kind": "situation", "observed_at": observed,
                    "position": {"latitude": 40 + (n % 100) / 1000, "longitude": 46.8, "accuracy_m": 10},
                    "summary": f"Calm at post {n}; nothing observed."}, private) for n in range(reports)]
    outbox = work / "cli-outbox.jsonl"
    outbox.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies), "utf-8")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "truce", "observer", "sync", "--server", url, "--token", token,
                           "--outbox", str(outbox)], capture_output=True, text=True, timeout=3600)
    sync_s = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    stored, rate = _server_rate(engine, [b["id"] for b in bodies])
    engine.dispose()
    return {"sync_s": sync_s, "stored": stored, "server_rate": rate, "output": done.stdout.strip().splitlines()[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--photo-mb", type=float, default=2.0)
    args = parser.parse_args()
    photo_bytes = int(args.photo_mb * 1_000_000)
    with tempfile.TemporaryDirectory(prefix="truce-field-bench-") as tmp:
        work = Path(tmp)
        db_url = f"sqlite:///{work / 'bench.db'}"
        upgrade(make_engine(db_url))
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "TRUCE_DATABASE_URL": db_url, "TRUCE_EVIDENCE_DIR": str(work / "evidence")}
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "truce.api.app:create_app", "--factory",
                                   "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
            field = _browser_sync(url, db_url, args.reports, args.photos, photo_bytes)
            cli = _cli_sync(url, db_url, args.reports, work)
        finally:
            server.terminate()
            server.wait(timeout=30)
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    text = f"""## Field app outbox sync over loopback (issue 13)

Command: `.venv/bin/python benchmarks/field_sync.py --reports {args.reports} --photos {args.photos} --photo-mb {args.photo_mb:g}`

Machine: {machine}; one Uvicorn worker, SQLite (WAL); Debian's Chromium
(headless) on the same cores. Field app: {args.reports} reports queued
offline in its IndexedDB outbox (signed on the device), {args.photos} of
them with a {args.photo_mb:g} MB photo (hashed on the device, uploaded in
1 MiB resumable chunks); then the network restored and every report sent,
its photo uploaded and its receipt fetched, one after another. CLI:
`truce observer sync` sending {args.reports} signed reports (no photos)
from its outbox file to the same server, right after.

| figure | field app | CLI (`truce observer sync`) |
|---|---|---|
| reports | {args.reports} ({args.photos} with a photo) | {args.reports} (no photos) |
| queueing offline (sign, hash, IndexedDB) | {field['queue_s']:.1f} s | — |
| sync wall time, until every receipt | {field['sync_s']:.1f} s | {cli['sync_s']:.1f} s |
| reports stored (exactly once) | {field['stored']} | {cli['stored']} |
| server-side rate, reports/s | {field['server_rate']:.1f} | {cli['server_rate']:.1f} |
| evidence received | {field['evidence_files']} files, {field['evidence_bytes'] / 1e6:.0f} MB | — |
| states at the end | {field['states']['received']} received, {field['states']['refused']} refused, {field['states']['with_receipt']} with a ledger receipt | {cli['output']} |
"""
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "field_sync.md").write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
