"""Time to produce one day's daily report from stores of 10,000 and 1,000,000 incidents.

    .venv/bin/python benchmarks/report.py                 # 10,000 and 1,000,000
    .venv/bin/python benchmarks/report.py --sizes 10000   # just one size

Each store is built fresh in ``benchmarks/out/`` (schema by Alembic, rows by
``executemany`` in SQLite): incidents spread over the 45 days of the 2020
war, stored in the order they happened (as a live system records them),
each with its geometry facts (a sector), 60 % of them violations of a truce
in force, 5 % with a casualty figure (a quarter of those with a second,
"at least" figure from a party), 20 % with a claim and a denial.
The figure is the wall time of ``build_report`` + HTML (charts and static
map) + PDF for 14 October 2020, median of 3 runs after one warm-up run of
another day; the section is written to ``benchmarks/out/report.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from truce.data import DATA_DIR
from truce.report.build import build_report
from truce.report.html import render_html
from truce.report.pdf import render_pdf
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

OUT = Path(__file__).parent / "out"
START = datetime(2020, 9, 26, 20, tzinfo=UTC)  # midnight of 27 Sep in Baku
DAYS = 45
DAY = date(2020, 10, 14)
SECTORS = ["Kalbajar-Murovdag (north)", "Tartar-Aghdara (north)", "Aghdam", "Khojavend-Martuni", "Fuzuli",
           "Jabrayil (south)"]
TYPES = [("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash"),
         ("Explosions/Remote violence", "Air/drone strike")]
GRADES = ["verified", "corroborated", "single-source", "contested", None]
console = Console()


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build_store(path: Path, n: int, seed: int = 7) -> str:
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    now = _ts(datetime.now(UTC))
    con.executemany("INSERT INTO parties (id, name) VALUES (?, ?)", [("ARM", "Armenia"), ("AZE", "Azerbaijan")])
    con.executemany("INSERT INTO actors (id, name, kind, party_id, aliases) VALUES (?, ?, 'ministry', ?, '[]')",
                    [("arm-mod", "MoD Armenia", "ARM"), ("aze-mod", "MoD Azerbaijan", "AZE")])
    con.executemany("INSERT INTO sources (id, name, kind, affiliation, actor_id) VALUES (?, ?, ?, ?, ?)",
                    [("s-arm", "ARM statement", "party_statement", "ARM", "arm-mod"),
                     ("s-aze", "AZE statement", "party_statement", "AZE", "aze-mod"),
                     ("s-news", "Correspondent", "news", None, None)])
    con.execute("INSERT INTO agreements (id, name, parties, start, \"end\", scope, terms) VALUES "
                "('truce', 'Synthetic truce', '[\"ARM\", \"AZE\"]', ?, NULL, 'theatre', '[{\"kind\": \"no_fire\"}]')",
                (_ts(START),))
    lines = json.loads((DATA_DIR / "line_of_contact.geojson").read_text())["features"]
    con.executemany("INSERT INTO line_versions (valid_from, sector, geojson) VALUES (?, ?, ?)",
                    [(f["properties"]["valid_from"], f["properties"]["sector"], json.dumps(f["geometry"]))
                     for f in lines])
    # stored roughly in the order things happened, as a live system records them
    offsets = sorted(rng.randrange(DAYS * 86400) for _ in range(n))
    chunk = 50_000
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"Generating {n:,} incidents", total=n)
        for first in range(0, n, chunk):
            inc, geo, vio, cas, cla = [], [], [], [], []
            for k in range(first, min(first + chunk, n)):
                start = START + timedelta(seconds=offsets[k])
                event_type, sub_type = rng.choice(TYPES)
                grade = rng.choice(GRADES)
                iid, sector = f"i{k}", rng.choice(SECTORS)
                inc.append((iid, f"Synthetic incident {k}", event_type, sub_type, _ts(start),
                            _ts(start + timedelta(hours=1)), 39.2 + rng.random() * 1.2, 46.0 + rng.random() * 1.4,
                            grade, now))
                geo.append((iid, sector, now))
                if rng.random() < 0.6:
                    day = (start + timedelta(hours=4)).date().isoformat()
                    vio.append((iid, rng.choice(["ARM", "AZE", None]), grade, day, sector, now))
                if rng.random() < 0.05:  # a figure; for a quarter of them a second, lower-bound one
                    category = rng.choice(["civilian", "military"])
                    cas.append((iid, category, rng.randrange(1, 9), "exact", "s-news"))
                    if rng.random() < 0.25:
                        cas.append((iid, category, rng.randrange(1, 5), "at_least", rng.choice(["s-arm", "s-aze"])))
                if rng.random() < 0.2:
                    cla.append((f"c{k}a", iid, "aze-mod", "s-aze", "asserts", now))
                    cla.append((f"c{k}d", iid, "arm-mod", "s-arm", "denies", now))
            con.executemany(
                "INSERT INTO incidents (id, title, event_type, sub_type, start, \"end\", time_precision, latitude, "
                "longitude, geo_precision, country, weapon_class, target_type, status, grade, grade_reasons, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, 'day', ?, ?, 'near', 'AZ', 'artillery', 'unknown', "
                "'published', ?, '[]', ?)", inc)
            con.executemany("INSERT INTO incident_geo (incident_id, sector, computed_at) VALUES (?, ?, ?)", geo)
            con.executemany("INSERT INTO violations (agreement_id, incident_id, term, responsible, basis, claim_ids, "
                            "grade, day, sector, computed_at) VALUES ('truce', ?, 'no_fire', ?, 'alleged', '[]', ?, "
                            "?, ?, ?)", vio)
            con.executemany("INSERT INTO casualty_figures (incident_id, category, kind, value, qualifier, scope, "
                            "source_id) VALUES (?, ?, 'killed', ?, ?, 'incident', ?)", cas)
            con.executemany("INSERT INTO claims (id, incident_id, actor_id, source_id, stance, proposition, status, "
                            "created_at) VALUES (?, ?, ?, ?, ?, 'happened', 'published', ?)", cla)
            con.commit()
            progress.update(task, advance=len(inc))
    con.execute("ANALYZE")
    con.close()
    return url


def time_report(url: str, day: date) -> dict[str, float]:
    engine = make_engine(url)
    timings: dict[str, float] = {}
    with UnitOfWork(engine) as uow:
        c0 = time.process_time()
        t0 = time.perf_counter()
        report = build_report(uow, day, "public")
        t1 = time.perf_counter()
        html = render_html(report, "http://127.0.0.1:8000")
        t2 = time.perf_counter()
        render_pdf(html)
        t3 = time.perf_counter()
        c3 = time.process_time()
    engine.dispose()
    timings.update(figures=t1 - t0, html=t2 - t1, pdf=t3 - t2, total=t3 - t0, cpu=c3 - c0,
                   incidents=report.incidents.value, violations=report.violations.value)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time existing stores in benchmarks/out")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        path = OUT / f"report-{n}.db"
        url = f"sqlite:///{path}" if args.reuse and path.exists() else build_store(path, n)
        built = time.perf_counter() - t0
        time_report(url, DAY - timedelta(days=3))  # warm-up: imports, fonts, page cache
        runs = [time_report(url, DAY) for _ in range(args.runs)]
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        median["best"] = min(r["total"] for r in runs)
        rows.append((n, built, median))
        console.print(f"{n:>9,} incidents: report of {DAY} in {median['total']:.2f} s, CPU {median['cpu']:.2f} s "
                      f"(figures {median['figures']:.2f}, HTML {median['html']:.2f}, PDF {median['pdf']:.2f}); "
                      f"{int(median['incidents']):,} incidents and {int(median['violations']):,} violations that day")
    write_markdown(rows)


def write_markdown(rows: list[tuple[int, float, dict[str, float]]]) -> None:
    lines = [
        "## Daily report from stores of 10,000 and 1,000,000 incidents (issue 7)", "",
        "Command: `.venv/bin/python benchmarks/report.py`", "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (WAL), "
        "local disk, other work running at the same time.", "",
        "Each store is synthetic: incidents over the 45 days of the war, stored in the order they happened, "
        "60 % violations, 5 % with a casualty figure (a quarter of those with a second, lower-bound one), "
        "20 % with a claim and a denial. Figure: wall time of `build_report` + HTML (two charts and "
        "the static map) + PDF (WeasyPrint) for 14 October 2020: medians of 5 runs after a warm-up, wall "
        "time of each step, and the total as wall time, best wall time and CPU time of the process (the "
        "machine was shared, so wall time includes waiting for a core).", "",
        "| store | incidents that day | violations that day | figures | HTML | PDF | total (wall) | best | CPU | "
        "target < 2 s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, _built, m in rows:
        target = "met" if m["total"] < 2 else f"not met on wall time (CPU {m['cpu']:.2f} s)"
        lines.append(f"| {n:,} | {int(m['incidents']):,} | {int(m['violations']):,} | {m['figures']:.2f} s | "
                     f"{m['html']:.2f} s | {m['pdf']:.2f} s | **{m['total']:.2f} s** | {m['best']:.2f} s | "
                     f"{m['cpu']:.2f} s | {target} |")
    lines += ["", "Every query is bounded by days: incidents through `ix_incidents_status_start`, the day's and "
              "the 14 days' violations through `ix_violations_agreement_day` (no join: the engine stores each "
              "violation's day and sector), figures and claims through their incident indexes; so the work "
              "follows the size of a day (22,000 incidents a day at 1,000,000) and of the charts' 14-day "
              "window, not of the store. At 1,000,000 about half the figures' time is the 14-day casualty "
              "chart, which reads every incident of the 14 days (300,000) to find the few with figures: "
              "a covering index `incidents(status, start, id)` or a per-day cache of casualty sums would "
              "remove most of it. WeasyPrint's layout of the 4-5 pages is a fixed ~0.6-1.2 s.",
              "", "Building the stores (not timed): " + ", ".join(
                  f"{n:,} in {b:.0f} s" if b >= 1 else f"{n:,} reused" for n, b, _m in rows) + ".", ""]
    (Path(__file__).parent / "out").mkdir(exist_ok=True)
    (Path(__file__).parent / "out" / "report.md").write_text("\n".join(lines), encoding="utf-8")
    console.print("Wrote benchmarks/out/report.md")


if __name__ == "__main__":
    sys.exit(main())
