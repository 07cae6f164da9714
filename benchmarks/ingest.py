"""Signed observer-report ingest over loopback, driven by wrk, beside an empty
route of the same server in the same run; a crash test; a token flood.

Usage: .venv/bin/python benchmarks/ingest.py [--seconds 10] [--crash-trials 20]
       [--workers 1 2] [--connections 4 16] [--synchronous NORMAL FULL] [--skip-crash]
       [--skip-flood]

1. Throughput. For each number of Uvicorn workers and each SQLite
   ``synchronous`` mode, a fresh database (8 observers with keys and tokens)
   and a server (``benchmarks/bench_app.py``: the truce app plus
   ``POST /bench/empty``, which does nothing); then, for each number of
   connections, wrk (2 threads) posts for --seconds to the empty route, then
   for --seconds to ``POST /api/reports`` with bodies signed beforehand
   (a Lua script cycles through them; each has its own id, none is sent
   twice). The ids answered 201 are checked against the database afterwards:
   every one stored, none twice, nothing stored that was not sent. Each row also
   gives the server's CPU time per request (its process group, from /proc) and
   the reports per group commit.
2. Crash test. --crash-trials trials on one store: a server (one worker), four
   clients submitting signed reports, ``kill -9`` of the server at a random
   moment (0-2 s after the trial's first answer); then every report answered 2xx
   must be stored, the store must pass what ``truce ledger verify`` checks (in
   process, after each trial; the real command once at the end), and the reports
   that were in flight, sent again to the next server (started during the trial),
   must each be stored exactly once. About 4-9 s a trial on two shared cores:
   run 10 at a time to stay within two minutes.
3. CPU per submission: each stage of a submission in process, by CPU time; and
   the group commit's CPU per report by batch size.
4. Token flood. A valid client (wrk, 4 connections, ``GET /api/users/me``)
   alone, then while 8 other clients (from another loopback address) send
   tokens with a valid prefix and a wrong secret, with the rate limit on and
   off. The valid client's p99 should not move.

wrk is installed with apt-get when missing. Writes benchmarks/out/ingest.md
and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from truce.service.signing import generate_key, sign
from truce.service.tokens import load_token_key, token_key_path
from truce.service.users import add_user
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
OBSERVERS = 8

LUA = r"""
-- args: bodies file ("token<TAB>json" per line), thread count, path, out file
threads = {}
counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  bodies, tokens, ids = {}, {}, {}
  sent, fresh, replays, others = 0, 0, 0, 0
  path, out = args[3], args[4]
  local n, i = tonumber(args[2]), 0
  for line in io.lines(args[1]) do
    if i % n == tid then
      local tab = line:find("\t")
      tokens[#tokens + 1] = line:sub(1, tab - 1)
      bodies[#bodies + 1] = line:sub(tab + 1)
    end
    i = i + 1
  end
end
function request()
  sent = sent + 1
  local k = ((sent - 1) % #bodies) + 1
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. tokens[k],
                                   ["Content-Type"] = "application/json"}, bodies[k])
end
function response(status, headers, body)
  if status == 201 then
    if headers["idempotent-replayed"] or headers["Idempotent-Replayed"] then
      replays = replays + 1
    else
      fresh = fresh + 1
      if path == "/api/reports" then ids[#ids + 1] = body:match('"id":"([^"]+)"') end
    end
  elseif status >= 200 and status < 300 then
    fresh = fresh + 1
  else
    others = others + 1
  end
end
function done(summary, latency, requests)
  local f = io.open(threads[1]:get("out"), "w")
  f:write(string.format("requests %d\nduration_us %d\np50_us %d\np99_us %d\n", summary.requests,
          summary.duration, latency:percentile(50), latency:percentile(99)))
  f:write(string.format("socket_errors %d\n", summary.errors.connect + summary.errors.read +
          summary.errors.write + summary.errors.timeout))
  for _, t in ipairs(threads) do
    f:write(string.format("thread %d %d %d %d\n", t:get("sent"), t:get("fresh"), t:get("replays"),
            t:get("others")))
    for _, id in ipairs(t:get("ids")) do f:write("id ", id, "\n") end
  end
  f:close()
end
"""

GET_LUA = r"""
-- args: token, path, out file
threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) token, path, out = args[1], args[2], args[3] end
function request() return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token}) end
function done(summary, latency, requests)
  local f = io.open(threads[1]:get("out"), "w")
  f:write(string.format("requests %d\nduration_us %d\np50_us %d\np99_us %d\nnon2xx %d\n",
          summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
          summary.errors.status))
  f:close()
end
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing the Debian package", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Store:
    db: Path
    keys: list[tuple[str, object]]  # (token, Ed25519 private key) per observer

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"

    def ids(self) -> list[str]:
        with sqlite3.connect(self.db) as c:
            return [r[0] for r in c.execute("SELECT id FROM reports")]


def make_store(folder: Path) -> Store:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "ingest.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    upgrade(engine)
    key = load_token_key(token_key_path(url))
    keys = []
    with UnitOfWork(engine, actor="benchmark") as uow:
        for n in range(OBSERVERS):
            private, public = generate_key()
            _user, token = add_user(uow, f"bench-obs-{n}", "observer", datetime.now(UTC),
                                    token_key=key, public_key=public)
            keys.append((token, private))
        uow.commit()
    engine.dispose()
    return Store(db, keys)


def signed_bodies(store: Store, count: int) -> list[tuple[str, str, bytes]]:
    """(token, id, JSON) of ``count`` new signed reports, round-robin over observers."""
    observed = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="seconds")
    out = []
    for n in range(count):
        token, key = store.keys[n % len(store.keys)]
        report_id = str(uuid.uuid4())
        body = {
            "id": report_id, "kind": "incident", "observed_at": observed,
            "position": {"latitude": 40.3412, "longitude": 46.9317, "accuracy_m": 10},
            "summary": f"Benchmark report {n}: two impacts to the north-east.",
            "observations": [{"what": "impact", "how": "seen_and_heard", "count": 2,
                              "bearing_deg": 45, "distance_m": 3000,
                              "distance_uncertainty_m": 500, "weapon_class": "artillery"}],
        }
        out.append((token, report_id, json.dumps(sign(body, key), separators=(",", ":")).encode()))
    return out


class Server:
    """``uvicorn bench_app:create_app`` in its own process group."""

    def __init__(self, store: Store, *, workers: int = 1, synchronous: str = "NORMAL",
                 extra_env: dict[str, str] | None = None, wait: bool = True):
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, TRUCE_DATABASE_URL=store.url, TRUCE_SQLITE_SYNCHRONOUS=synchronous,
                   TRUCE_EVIDENCE_DIR=str(store.db.parent / "evidence"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
                   **(extra_env or {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench_app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
             "--log-level", "warning", "--no-access-log"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        if wait:
            self.wait_ready()

    def wait_ready(self) -> Server:
        """Wait until the server (every worker) answers."""
        workers = self.workers
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{self.base}/api/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start: "
                                 + self.process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
        if workers > 1:  # every worker up: each answers once it has imported the app
            for _ in range(20 * workers):
                httpx.get(f"{self.base}/api/health/ready", timeout=10)
        return self

    def cpu_s(self) -> float:
        """CPU seconds used so far by the server's processes (its process group)."""
        tick, total = os.sysconf("SC_CLK_TCK"), 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # its process group
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def group_commit(self) -> dict[str, float]:
        """Batches, reports in them and the largest, summed over the workers that answer."""
        return httpx.get(f"{self.base}/bench/group-commit", timeout=10).json()

    def kill(self) -> None:
        """kill -9 the server and its workers."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    fresh: int
    replays: int
    others: int
    socket_errors: int
    sent: int
    ids: list[str]

    @property
    def rate(self) -> float:
        return self.fresh / self.seconds


def run_wrk(wrk: str, base: str, path: str, bodies_file: Path, connections: int, seconds: float,
            folder: Path) -> WrkResult:
    script, out = folder / "post.lua", folder / f"wrk-{uuid.uuid4().hex[:8]}.out"
    script.write_text(LUA)
    threads = 2
    subprocess.run([wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
                    "--timeout", "10s", "-s", str(script), base, "--", str(bodies_file),
                    str(threads), path, str(out)], check=True, capture_output=True)
    fields: dict[str, int] = {}
    sent = fresh = replays = others = 0
    ids = []
    for line in out.read_text().splitlines():
        key, _, rest = line.partition(" ")
        if key == "id":
            ids.append(rest)
        elif key == "thread":
            s, f, r, o = (int(x) for x in rest.split())
            sent, fresh, replays, others = sent + s, fresh + f, replays + r, others + o
        else:
            fields[key] = int(float(rest))
    return WrkResult(fields["requests"], fields["duration_us"] / 1e6, fields["p50_us"] / 1000,
                     fields["p99_us"] / 1000, fresh, replays, others, fields["socket_errors"],
                     sent, ids)


def write_bodies(path: Path, bodies: list[tuple[str, str, bytes]]) -> None:
    with path.open("wb") as out:
        for token, _id, body in bodies:
            out.write(token.encode() + b"\t" + body + b"\n")


@dataclass
class Row:
    workers: int
    synchronous: str
    connections: int
    empty: WrkResult
    reports: WrkResult
    stored_ok: bool
    note: str
    empty_cpu_ms: float  # the server's CPU time per request answered
    reports_cpu_ms: float
    batch: float  # reports per group commit (one worker's, for two workers)
    load: float  # the machine's load average at the end of the row


def throughput(wrk: str, args: argparse.Namespace, folder: Path) -> list[Row]:
    rows = []
    per_run = int(args.seconds * 3000)  # more bodies than the server can take in --seconds
    for workers in args.workers:
        for synchronous in args.synchronous:
            store = make_store(folder / f"w{workers}-{synchronous.lower()}")
            server = Server(store, workers=workers, synchronous=synchronous)
            try:
                warm = signed_bodies(store, 200)
                write_bodies(folder / "warm.txt", warm)
                run_wrk(wrk, server.base, "/api/reports", folder / "warm.txt", 4, 1, folder)
                for connections in args.connections:
                    bodies = signed_bodies(store, per_run)
                    bodies_file = folder / f"bodies-{workers}-{synchronous}-{connections}.txt"
                    write_bodies(bodies_file, bodies)
                    cpu0 = server.cpu_s()
                    empty = run_wrk(wrk, server.base, "/bench/empty", bodies_file, connections,
                                    args.seconds, folder)
                    cpu1 = server.cpu_s()
                    before = set(store.ids())
                    commits0 = server.group_commit()
                    reports = run_wrk(wrk, server.base, "/api/reports", bodies_file, connections,
                                      args.seconds, folder)
                    cpu2 = server.cpu_s()
                    commits1 = server.group_commit()
                    time.sleep(1.0)  # requests wrk gave up on at the end may still commit
                    after = store.ids()
                    new = set(after) - before
                    sent_ids = {i for _t, i, _b in bodies}
                    acked = set(reports.ids)
                    lost = acked - new
                    duplicated = len(after) - len(set(after))
                    strangers = new - sent_ids
                    ok = not lost and not duplicated and not strangers and \
                        len(acked) == len(reports.ids)
                    note = (f"{len(acked):,} answered 201, {len(new):,} stored, lost {len(lost)}, "
                            f"duplicated {duplicated}, replays {reports.replays}, "
                            f"errors {reports.others + reports.socket_errors}")
                    batches = commits1["batches"] - commits0["batches"]
                    batch = (commits1["writes"] - commits0["writes"]) / batches if batches else 0.0
                    row = Row(workers, synchronous, connections, empty, reports, ok, note,
                              (cpu1 - cpu0) / max(empty.requests, 1) * 1000,
                              (cpu2 - cpu1) / max(reports.requests, 1) * 1000, batch, os.getloadavg()[0])
                    rows.append(row)
                    print(f"workers={workers} sync={synchronous} c={connections}: empty "
                          f"{empty.rate:,.0f}/s ({row.empty_cpu_ms:.2f} ms CPU each), reports "
                          f"{reports.rate:,.0f}/s ({row.reports_cpu_ms:.2f} ms CPU each, {batch:.1f} per "
                          f"commit) p50 {reports.p50_ms:.1f} p99 {reports.p99_ms:.1f} ms; load "
                          f"{row.load:.1f}; {note}", file=sys.stderr)
            finally:
                server.stop()
    return rows


@dataclass
class Trial:
    acked: int
    in_flight: int
    acked_stored: bool
    ledger_ok: bool
    resent_once: bool
    kill_after_s: float
    problems: list[str]


def _submitter(base: str, queue, lock: threading.Lock, stop: threading.Event, acked: set[str],
               in_flight: dict[str, tuple[str, bytes]]) -> None:
    """Submit reports from ``queue`` until it is empty, ``stop`` is set or the server is gone;
    a report stays in ``in_flight`` until it is answered 2xx."""
    with httpx.Client(base_url=base, timeout=10) as http:
        while not stop.is_set():
            with lock:
                item = next(queue, None)
            if item is None:
                return
            token, report_id, body = item
            with lock:
                in_flight[report_id] = (token, body)
            try:
                answer = http.post("/api/reports", content=body, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            except httpx.HTTPError:
                return  # the server is gone: this report stays in flight
            with lock:
                if 200 <= answer.status_code < 300:
                    acked.add(report_id)
                    del in_flight[report_id]
                elif answer.status_code != 503:  # busy: stays to be sent again
                    raise SystemExit(f"unexpected {answer.status_code}: {answer.text}")


def check_store(db: Path) -> list[str]:
    """What ``truce ledger verify`` checks, in process: the safeguard triggers, every
    entry's hashes, the chain and the tree, every record row against the ledger, every
    row entry beside its action, every key and role change and every observer report's
    signature. The problems found (none: the store is whole)."""
    from truce.service import key_audit
    from truce.store import causes, ledger, reconcile, safeguards

    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as c:
            problems = [str(m) for m in safeguards.missing(c)]
            check = ledger.verify(c)
            if not check.ok:
                return [*problems, f"entry {check.first_bad}: {check.reason}"]
            problems += [str(f) for f in reconcile.reconcile(c)]
            problems += [str(f) for f in causes.unexplained(c)]
            problems += [str(f) for f in key_audit.audit(c)]
            return problems
    finally:
        engine.dispose()


def crash_trials(count: int, folder: Path, seed: int, per_trial: int = 1200) -> tuple[list[Trial], str]:
    """``count`` trials on one store: a server under four submitting clients is killed
    (``kill -9``, its whole process group) at a random moment 0-2 s after the first
    answer; then every report answered 2xx must be stored, the store must verify
    (``check_store``), and the reports in flight, sent again to the next server (started
    during the trial, as a server takes seconds to import; it then carries the next
    trial's load), must each be stored exactly once. Ends with
    the real ``truce ledger verify`` on the store; returns the trials and its last line."""
    rng = random.Random(seed)
    store = make_store(folder / "crash")
    bodies = signed_bodies(store, count * per_trial)  # signed up front: none is sent twice
    trials = []
    server = Server(store)
    started = [server]
    try:
        for n in range(count):
            acked: set[str] = set()
            in_flight: dict[str, tuple[str, bytes]] = {}
            lock = threading.Lock()
            stop = threading.Event()
            queue = iter(bodies[n * per_trial:(n + 1) * per_trial])
            clients = [threading.Thread(target=_submitter, args=(server.base, queue, lock, stop, acked, in_flight))
                       for _ in range(4)]
            for w in clients:
                w.start()
            spare = Server(store, wait=False)  # the next server imports meanwhile (seconds of CPU)
            started.append(spare)
            deadline = time.monotonic() + 60
            while not acked and time.monotonic() < deadline:  # submissions under way
                time.sleep(0.005)
            delay = rng.uniform(0.0, 2.0)
            time.sleep(delay)
            server.kill()
            stop.set()
            for w in clients:
                w.join(timeout=30)
            stored = set(store.ids())
            problems = check_store(store.db)
            # the reports in flight, sent again to the new server: each is stored once
            server = spare.wait_ready()
            with httpx.Client(base_url=server.base, timeout=30) as http:
                codes = [http.post("/api/reports", content=body, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"}).status_code
                    for token, body in in_flight.values()]
            after = store.ids()
            resent_once = all(c == 201 for c in codes) and set(in_flight) <= set(after) \
                and len(after) == len(set(after)) and set(after) == stored | set(in_flight)
            trial = Trial(len(acked), len(in_flight), acked <= stored, not problems, resent_once, delay, problems)
            trials.append(trial)
            print(f"crash trial {n + 1}: killed {delay:.2f} s in, {len(acked)} acknowledged, {len(in_flight)} "
                  f"in flight, stored {'ok' if trial.acked_stored else 'LOST'}, store "
                  f"{'verifies' if not problems else 'FAILS: ' + '; '.join(problems[:3])}, resend "
                  f"{'once each' if resent_once else 'WRONG'}", file=sys.stderr)
    finally:
        for each in started:
            each.stop()
    verify = subprocess.run([sys.executable, "-m", "truce", "ledger", "verify", "--db", str(store.db)],
                            capture_output=True, text=True)
    last = (verify.stdout.strip().splitlines() or ["(no output)"])[-1]
    verdict = f"exit {verify.returncode}: {last}" if verify.returncode else last
    print(f"truce ledger verify after the trials: {verdict}", file=sys.stderr)
    return trials, verdict


def submit_path_cpu(folder: Path, count: int = 1000) -> dict[str, float]:
    """CPU time (this thread's, so other load on the machine hardly counts) per
    report of each stage of a submission, in process, without HTTP: microseconds."""
    from truce.service.observer_reports import submit_observer_report
    from truce.service.report_format import ObserverReport
    from truce.service.users import authenticate

    store = make_store(folder / "cpu")
    bodies = signed_bodies(store, count + 200)
    engine = make_engine(store.url)
    key = load_token_key(token_key_path(store.url))
    spent = {"parse the body": 0.0, "check the token": 0.0, "check and store (one transaction)": 0.0,
             "commit": 0.0}
    for n, (token, _id, raw) in enumerate(bodies):
        t0 = time.thread_time()
        body = json.loads(raw)
        parsed = ObserverReport.model_validate(body)
        t1 = time.thread_time()
        with engine.connect() as connection:
            principal = authenticate(connection, token, datetime.now(UTC), token_key=key)
        t2 = time.thread_time()
        with UnitOfWork(engine, actor=principal.name) as uow:
            submit_observer_report(uow, principal, body, parsed, datetime.now(UTC))
            t3 = time.thread_time()
            uow.commit()
        t4 = time.thread_time()
        if n >= 200:  # after a warm-up
            for stage, spent_s in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                spent[stage] += spent_s
    engine.dispose()
    return {stage: total / count * 1e6 for stage, total in spent.items()}


def group_commit_cpu(folder: Path, count: int = 960, sizes: tuple[int, ...] = (1, 4, 16, 64)) -> dict[int, float]:
    """The group commit's CPU time (its thread's) per report, in process, without HTTP,
    when the reports come ``size`` at a time: what the server's writer thread does for
    each (the token check, the role, the body's validation, the checks of signature
    and position), store and ledger, commit. Milliseconds per report, by batch size."""
    from truce.service.observer_reports import check_observer_report, store_observer_report
    from truce.service.report_format import ObserverReport
    from truce.service.users import authenticate_in
    from truce.store.group_commit import GroupCommit

    store = make_store(folder / "group-cpu")
    engine = make_engine(store.url)
    key = load_token_key(token_key_path(store.url))

    def check(uow, token, body):  # as the route's check does it
        now = datetime.now(UTC)
        principal = authenticate_in(uow, token, now, token_key=key)
        uow.act_as(principal.name)
        return check_observer_report(uow, principal, body, ObserverReport.model_validate(body), now)

    out = {}
    for size in sizes:
        writer = GroupCommit(engine, lock_timeout_s=30, max_batch=size).start()
        parsed = [(token, json.loads(raw)) for token, _id, raw in signed_bodies(store, count + 64)]
        for n, start in enumerate(range(0, len(parsed), size)):
            if n * size == 64:  # after a warm-up
                writer.cpu_s, writer.writes = 0.0, 0
            futures = [writer.submit(None, lambda uow, t=t, b=b: check(uow, t, b), store_observer_report)
                       for t, b in parsed[start:start + size]]
            for future in futures:
                future.result()
        writer.stop()
        out[size] = writer.cpu_s / writer.writes * 1000
    engine.dispose()
    return out


@dataclass
class Flood:
    label: str
    valid: WrkResult
    flood_answers: dict[int, int]
    flood_rate: float


def _flooder(base: str, prefix: str, stop: threading.Event, answers: dict[int, int],
             lock: threading.Lock) -> None:
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=base, transport=transport, timeout=10) as http:
        while not stop.is_set():
            wrong = f"truce_{prefix}_{uuid.uuid4().hex}{uuid.uuid4().hex[:11]}"
            code = http.get("/api/users/me", headers={"Authorization": f"Bearer {wrong}"}).status_code
            with lock:
                answers[code] = answers.get(code, 0) + 1


def token_flood(wrk: str, args: argparse.Namespace, folder: Path) -> list[Flood]:
    store = make_store(folder / "flood")
    token = store.keys[0][0]
    prefix = token.split("_")[1]
    script = folder / "get.lua"
    script.write_text(GET_LUA)
    results = []
    for label, limits in (("alone", None), ("8 clients flooding, rate limit on", {}),
                          ("8 clients flooding, rate limit off",
                           {"TRUCE_AUTH_FAILURES_PER_CLIENT": "1000000",
                            "TRUCE_AUTH_FAILURES_PER_PREFIX": "1000000"})):
        server = Server(store, extra_env=limits or {})
        stop, lock, answers = threading.Event(), threading.Lock(), {}
        flooders = [threading.Thread(target=_flooder, args=(server.base, prefix, stop, answers, lock))
                    for _ in range(8 if limits is not None else 0)]
        try:
            for f in flooders:
                f.start()
            time.sleep(0.5 if flooders else 0)
            out = folder / f"get-{uuid.uuid4().hex[:8]}.out"
            subprocess.run([wrk, "-t", "1", "-c", "4", "-d", f"{args.flood_seconds:g}s", "--timeout", "10s",
                            "-s", str(script), server.base, "--", token, "/api/users/me", str(out)],
                           check=True, capture_output=True)
            stop.set()
            for f in flooders:
                f.join(timeout=30)
        finally:
            stop.set()
            server.stop()
        fields = {k: float(v) for k, v in (line.split() for line in out.read_text().splitlines())}
        seconds = fields["duration_us"] / 1e6
        valid = WrkResult(int(fields["requests"]), seconds, fields["p50_us"] / 1000,
                          fields["p99_us"] / 1000, int(fields["requests"] - fields["non2xx"]), 0,
                          int(fields["non2xx"]), 0, int(fields["requests"]), [])
        total = sum(answers.values())
        results.append(Flood(label, valid, dict(sorted(answers.items())), total / seconds))
        print(f"flood {label}: valid p99 {valid.p99_ms:.1f} ms, {valid.rate:,.0f}/s; flood "
              f"{answers}", file=sys.stderr)
    return results


def report(args: argparse.Namespace, rows: list[Row], trials: list[Trial], floods: list[Flood],
           load: tuple[float, float], cpu: dict[str, float], final_verify: str = "",
           grouped: dict[int, float] | None = None) -> str:
    cores = os.cpu_count()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        "## Signed observer-report ingest over loopback, driven by wrk",
        "",
        f"Command: `.venv/bin/python benchmarks/ingest.py {' '.join(sys.argv[1:])}`".rstrip() + "",
        "",
        f"Machine: {cores} cores, {mem_gib:.0f} GiB, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load[0]:.1f} at the start and "
        f"{load[1]:.1f} at the end (the cores are shared with other work, so absolute rates are "
        "noisy: compare the ratios, measured side by side against the same server).",
        "",
        "Server: Uvicorn (no access log) serving `benchmarks/bench_app.py`, the truce app plus an "
        "empty `POST /bench/empty` (a sync route like report submission: same middleware, "
        "thread pool and error handling); SQLite in WAL mode on local disk. wrk (2 threads) on "
        "the same cores; each report is a new body signed beforehand (a Lua script cycles "
        "through them, none sent twice). A report answered 201 has been checked (token, "
        "Ed25519 signature, position), stored and ledgered in one committed transaction.",
        "",
        "| workers | synchronous | connections | load | empty route /s | reports /s | ratio | "
        "reports p50 | reports p99 | server CPU per request, empty / report | reports per commit | "
        "every 201 stored once |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.workers} | {r.synchronous} | {r.connections} | {r.load:.1f} | {r.empty.rate:,.0f} | "
            f"{r.reports.rate:,.0f} | **{r.reports.rate / r.empty.rate:.2f}x** | "
            f"{r.reports.p50_ms:.1f} ms | {r.reports.p99_ms:.1f} ms | "
            f"{r.empty_cpu_ms:.2f} / {r.reports_cpu_ms:.2f} ms | {r.batch:.1f} | "
            f"{'yes' if r.stored_ok else 'NO'} |")
    lines += ["", "Counts after each run: " + "; ".join(
        f"{r.workers}w/{r.synchronous}/{r.connections}c: {r.note}" for r in rows) + ".", ""]
    target = [r for r in rows if r.workers == 1 and r.connections == 16]
    for r in target:
        ratio = r.reports.rate / r.empty.rate
        verdict = "meets" if ratio >= 0.5 and r.reports.p99_ms < 100 else "misses"
        lines.append(f"Target (one worker, 16 connections, {r.synchronous}): at least 0.5x the "
                     f"empty route with p99 under 100 ms; this run: {ratio:.2f}x, p99 "
                     f"{r.reports.p99_ms:.1f} ms: it **{verdict}** it.")
    if cpu:
        lines += ["", "### CPU per submission, in process", "",
                  "Each stage's CPU time (`time.thread_time`, so other load on the machine "
                  "hardly counts), per report over 1,000 reports, without HTTP:", "",
                  "| stage | CPU per report |", "|---|---|"]
        lines += [f"| {stage} | {us / 1000:.2f} ms |" for stage, us in cpu.items()]
        lines.append(f"| total | {sum(cpu.values()) / 1000:.2f} ms |")
    if grouped:
        lines += ["", "### The group commit's CPU per report, in process", "",
                  "The writer thread's CPU time per report (token check, body validation, checks, "
                  "store, ledger, commit: what the server's writer does), without HTTP, when the "
                  "reports come so many at a time:", "",
                  "| reports per commit | CPU per report |", "|---|---|"]
        lines += [f"| {size} | {ms:.2f} ms |" for size, ms in grouped.items()]
    if trials:
        lines += ["", f"### Crash test ({len(trials)} trials)", "",
                  "One worker, four clients submitting signed reports; `kill -9` of the server "
                  "(its process group) at a random moment 0-2 s after the first report of the trial "
                  "was answered; then the store is checked as `truce ledger verify` checks it (in "
                  "process), and the reports in flight are sent again to a new server, which "
                  "carries the next trial's load.", "",
                  "| trial | killed after | answered 2xx | in flight at the kill | every 2xx stored | "
                  "store verifies | in-flight resent, stored once each |",
                  "|---|---|---|---|---|---|---|"]
        for n, t in enumerate(trials, start=1):
            lines.append(f"| {n} | {t.kill_after_s:.2f} s | {t.acked} | {t.in_flight} | "
                         f"{'yes' if t.acked_stored else 'NO'} | {'yes' if t.ledger_ok else 'NO'} | "
                         f"{'yes' if t.resent_once else 'NO'} |")
        good = sum(t.acked_stored and t.ledger_ok and t.resent_once for t in trials)
        lines += ["", f"{good} of {len(trials)} trials pass every check. `truce ledger verify` on the "
                  f"store after the last trial: {final_verify}"]
    if floods:
        lines += ["", "### Wrong-secret token flood", "",
                  f"A valid client (wrk, 1 thread, 4 connections, `GET /api/users/me`) for "
                  f"{args.flood_seconds:g} s, alone and while 8 clients from 127.0.0.2 send "
                  "tokens with the valid client's prefix and a wrong secret.", "",
                  "| run | valid client /s | valid p50 | valid p99 | flood answers (status: count) | "
                  "flood /s |", "|---|---|---|---|---|---|"]
        for f in floods:
            answers = ", ".join(f"{k}: {v:,}" for k, v in f.flood_answers.items()) or "-"
            lines.append(f"| {f.label} | {f.valid.rate:,.0f} | {f.valid.p50_ms:.1f} ms | "
                         f"{f.valid.p99_ms:.1f} ms | {answers} | {f.flood_rate:,.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--connections", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--synchronous", nargs="+", default=["NORMAL", "FULL"])
    parser.add_argument("--crash-trials", type=int, default=20)
    parser.add_argument("--flood-seconds", type=float, default=8)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--skip-flood", action="store_true")
    parser.add_argument("--skip-cpu", action="store_true")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "ingest.md")
    args = parser.parse_args()

    wrk = ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="truce-ingest-"))
    start_load = os.getloadavg()[0]
    try:
        rows = [] if args.skip_throughput else throughput(wrk, args, folder)
        trials, final = ([], "") if args.skip_crash else crash_trials(args.crash_trials, folder, args.seed)
        floods = [] if args.skip_flood else token_flood(wrk, args, folder)
        cpu = {} if args.skip_cpu else submit_path_cpu(folder)
        grouped = {} if args.skip_cpu else group_commit_cpu(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    section = report(args, rows, trials, floods, (start_load, os.getloadavg()[0]), cpu, final, grouped)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(section, "utf-8")
    print(section)


if __name__ == "__main__":
    main()
