"""The ledger's Merkle tree: append rate with and without it, proofs at
10,000,000 entries, full reconciliation at 1,000,000 records.

Usage: .venv/bin/python benchmarks/ledger.py [--entries 10000000] [--records 10000,100000,1000000]
       [--only append|proofs|reconcile ...]
Writes its figures to benchmarks/out/ledger.json and prints them.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, update

from truce.domain.canonical import canonical_bytes, sha256_hex
from truce.store import ledger, merkle
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.row_ledger import record_id, row_content, row_image
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork
from truce.verifier import entry_bytes, leaf_hash, verify_consistency, verify_inclusion

OUT = Path("benchmarks/out")


def _fresh(path: Path):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


# -- 1. append rate -------------------------------------------------------------------

_BUMP = (update(t.ledger_head).where(t.ledger_head.c.id == 1).values(seq=t.ledger_head.c.seq + 1)
         .returning(t.ledger_head.c.seq, t.ledger_head.c.entry_hash))
_SET = update(t.ledger_head).where(t.ledger_head.c.id == 1)


def append_chain_only(connection, action, record_id, content, actor=None):
    """The append as it was before the tree: hash chain and head only."""
    at = datetime.now(UTC)
    seq, prev_hash = connection.execute(_BUMP).one()
    content_hash = sha256_hex(canonical_bytes(content))
    entry_hash = sha256_hex(entry_bytes(ledger.entry_of(seq, at, actor, action, record_id, content_hash, prev_hash)))
    connection.execute(insert(t.ledger), {
        "seq": seq, "at": at, "actor": actor, "action": action, "record_id": record_id, "content": content,
        "content_hash": content_hash, "prev_hash": prev_hash, "entry_hash": entry_hash})
    connection.execute(_SET.values(entry_hash=entry_hash))


def append_rate(path: Path, appends: int, per_transaction: int, fn) -> float:
    engine = _fresh(path)
    content = {"table": "claims", "key": ["c-1"], "row": {"id": "c-1", "stance": "asserts", "text": "x" * 200}}
    t0 = time.perf_counter()
    for start in range(0, appends, per_transaction):
        with engine.begin() as c:
            for n in range(start, min(start + per_transaction, appends)):
                fn(c, "row.insert", f"claims/c-{n}", content, actor="benchmark")
    rate = appends / (time.perf_counter() - t0)
    engine.dispose()
    return rate


# -- 2. proofs at 10M entries ---------------------------------------------------------

def build_tree(path: Path, entries: int) -> tuple[float, bytes]:
    """Ledger rows (minimal content) and every stored node, written directly."""
    engine = _fresh(path)
    engine.dispose()
    t0 = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    frontier = merkle.Frontier(0, [])
    batch = 200_000
    for start in range(0, entries, batch):
        rows, nodes = [], []
        for i in range(start, min(start + batch, entries)):
            leaf = leaf_hash(b"entry %d" % i)
            rows.append((i + 1, "2020-10-14 00:00:00.000000", "b", "b", "{}", "x", "x", "x", leaf))
            nodes.extend(frontier.append(leaf))
        db.executemany("INSERT INTO ledger (seq, at, action, record_id, content, content_hash, prev_hash, "
                       "entry_hash, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO ledger_nodes (key, hash) VALUES (?, ?)", nodes)
        db.commit()
    db.execute("UPDATE ledger_head SET seq = ?, frontier = ?", (entries, frontier.encode()))
    db.commit()
    db.close()
    return time.perf_counter() - t0, frontier.root()


def _ms(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {"median_ms": round(statistics.median(samples) * 1000, 3),
            "p99_ms": round(samples[int(len(samples) * 0.99) - 1] * 1000, 3)}


def proofs(path: Path, entries: int, root: bytes, samples: int) -> dict:
    engine = make_engine(f"sqlite:///{path}")
    rng = random.Random(7)
    gen_inc, ver_inc, gen_con, ver_con = [], [], [], []
    with engine.connect() as c:
        assert merkle.root_at(c, entries) == root
        for _ in range(samples):
            index = rng.randrange(entries)
            t0 = time.perf_counter()
            proof = merkle.inclusion_proof(c, index, entries)
            gen_inc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            verify_inclusion(index, entries, leaf_hash(b"entry %d" % index), proof, root)
            ver_inc.append(time.perf_counter() - t0)
        for _ in range(samples // 10):
            first = rng.randrange(1, entries)
            old_root = merkle.root_at(c, first)
            t0 = time.perf_counter()
            proof = merkle.consistency_proof(c, first, entries)
            gen_con.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            verify_consistency(first, entries, old_root, root, proof)
            ver_con.append(time.perf_counter() - t0)
    engine.dispose()
    return {"inclusion_generate": _ms(gen_inc), "inclusion_verify": _ms(ver_inc),
            "consistency_generate": _ms(gen_con), "consistency_verify": _ms(ver_con),
            "inclusion_samples": samples, "consistency_samples": samples // 10}


# -- 3. reconciliation at 1M records --------------------------------------------------

def _place(i: int) -> dict:
    return {"id": f"p-{i}", "name": f"Place {i}", "latitude": 40 + i * 1e-6, "longitude": 46 + i * 1e-6,
            "country": "AZ", "admin1": None, "population": i % 5000, "alternatenames": [f"P{i}"],
            "origin": "analyst"}


def row_ledger_rate(path: Path, records: int) -> float:
    """Places added through a unit of work, each row ledgered by the listener as it is written."""
    engine = _fresh(path)
    t0 = time.perf_counter()
    for start in range(0, records, 1000):
        with UnitOfWork(engine, actor="benchmark") as uow:
            uow.connection.execute(insert(t.places), [_place(i) for i in range(start, min(start + 1000, records))])
            uow.commit()
    engine.dispose()
    return records / (time.perf_counter() - t0)


def build_records(path: Path, records: int, batch: int = 20_000) -> float:
    """The same rows and the same ledger entries a unit of work leaves, written
    in large transactions (faster to build): per transaction one action entry,
    then the row entries, each with it as its ``cause``, exactly as
    ``row_ledger.flush`` appends them; so the store verifies clean."""
    engine = _fresh(path)
    t0 = time.perf_counter()
    for start in range(0, records, batch):
        rows = [_place(i) for i in range(start, min(start + batch, records))]
        with engine.begin() as c:
            c.execute(insert(t.places), rows)
            cause, _hash = ledger.append(c, "place.import", f"places/batch-{start}", {"rows": len(rows)},
                                         actor="benchmark")
            ledger.append_many(c, [("row.insert", record_id(t.places, (r["id"],)),
                                    row_content(t.places, (r["id"],), row_image(t.places, r))) for r in rows],
                               actor="benchmark", cause=cause)
    engine.dispose()
    return time.perf_counter() - t0


def reconcile(path: Path) -> dict:
    """`truce ledger verify` in a child process: wall and CPU time, peak memory of that process."""
    script = ("import resource, runpy, sys; sys.argv = ['truce', 'ledger', 'verify', '--db', sys.argv[1]]\n"
              "try:\n    runpy.run_module('truce', run_name='__main__')\n"
              "finally:\n    r = resource.getrusage(resource.RUSAGE_SELF)\n"
              "    print(f'@@ {r.ru_maxrss} {r.ru_utime + r.ru_stime}', file=sys.stderr)\n")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    assert done.returncode == 0, done.stdout + done.stderr
    peak, cpu = done.stderr.rsplit("@@ ", 1)[1].split()
    return {"wall_s": round(elapsed, 1), "cpu_s": round(float(cpu), 1), "peak_rss_mib": round(int(peak) / 1024),
            "output": done.stdout.strip()[-200:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appends", type=int, default=5_000)
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--records", default="1000000",
                        help="Record counts to reconcile, comma-separated (e.g. 10000,100000,1000000).")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--only", choices=("append", "proofs", "reconcile"), action="append",
                        help="Run only these parts (repeatable; default: all).")
    args = parser.parse_args()
    parts = set(args.only or ("append", "proofs", "reconcile"))
    OUT.mkdir(parents=True, exist_ok=True)
    saved = OUT / "ledger.json"
    figures: dict = json.loads(saved.read_text()) if saved.exists() else {}

    if "append" in parts:
        rates = {}
        for label, fn in (("without tree", append_chain_only), ("with tree", ledger.append)):
            rates[label] = [append_rate(OUT / "ledger-append.db", args.appends, 10, fn) for _ in range(3)]
        figures["append"] = {
            "appends": args.appends, "per_transaction": 10,
            "without_tree_per_s": round(statistics.median(rates["without tree"])),
            "with_tree_per_s": round(statistics.median(rates["with tree"])),
            "ratio": round(statistics.median(rates["with tree"]) / statistics.median(rates["without tree"]), 3),
        }
        print(json.dumps(figures["append"]), flush=True)

    if "proofs" in parts:
        built, root = build_tree(OUT / "ledger-10m.db", args.entries)
        figures["proofs"] = {"entries": args.entries, "build_s": round(built, 1),
                             **proofs(OUT / "ledger-10m.db", args.entries, root, args.samples)}
        print(json.dumps(figures["proofs"]), flush=True)

    if "reconcile" in parts:
        figures["rows_ledgered_per_s_through_a_unit_of_work"] = round(row_ledger_rate(OUT / "ledger-rows.db", 20_000))
        runs = figures.setdefault("reconcile", {})
        for records in (int(n) for n in args.records.split(",")):
            path = OUT / f"ledger-reconcile-{records}.db"
            built = build_records(path, records)
            runs[str(records)] = {"records": records, "build_s": round(built, 1), **reconcile(path)}
            print(json.dumps(runs[str(records)]), flush=True)
            saved.write_text(json.dumps(figures, indent=1) + "\n")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    saved.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
