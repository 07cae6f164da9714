"""Regrade every incident of a store of N reports; time and peak memory.

Usage: .venv/bin/python benchmarks/grading.py [--reports 1000000]
Writes its figures to benchmarks/out/grading.json and prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from truce.service.grading import regrade_all  # noqa: E402
from truce.store.engine import make_engine  # noqa: E402
from truce.store.uow import UnitOfWork  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--per-incident", type=int, default=4)
    parser.add_argument("--db", type=Path, default=Path("benchmarks/out/grading.db"))
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    incidents = args.reports // args.per_incident
    # Build in a child process so the peak memory below is the regrade's alone.
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", (
        "import sys; sys.path.insert(0, 'benchmarks'); from pathlib import Path; "
        f"from synthetic import build_store; build_store(Path({str(args.db)!r}), {incidents}, {args.per_incident})"
    )], check=True)
    url = f"sqlite:///{args.db}"
    built = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = make_engine(url)
    t0 = time.perf_counter()
    with UnitOfWork(engine, actor="benchmark") as uow:
        graded = regrade_all(uow)
        uow.commit()
    elapsed = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "reports": args.reports, "incidents": incidents, "graded": graded,
        "build_s": round(built, 1), "regrade_s": round(elapsed, 1),
        "incidents_per_s": round(graded / elapsed), "peak_rss_mib": round(peak_kib / 1024),
        "rss_before_regrade_mib": round(rss_before / 1024),
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }
    (args.db.parent / "grading.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
