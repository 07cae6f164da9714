"""Every `truce ...` command shown in README.md and in docs/cli.md runs as
written against the demo theatre.

The README's block shows alternatives (`a | b`), optional parts (`[--opt]`)
and placeholders (NAME, ID, FILE): README_FORMS says, line by line, which
runnable commands stand for it. Commands that name records made at run time
(a proposal, a pending change, an observer report) have their made-up id
replaced by a real one (RUNTIME_IDS); `$T` is a shell variable, set to an
admin's token. SKIP names, with the reason, the few that need a server or the
network. Any other line runs exactly as printed, in bash, with `truce` on the
PATH, in a directory holding the files the examples name; a new line that
does not run fails this test until it runs or is listed here.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
THEATRE_TZ = "Asia/Baku"

# -- what the documents show ------------------------------------------------------------------


def shown_commands(text: str) -> list[str]:
    """The `truce ...` lines of a document's ```sh blocks, without their comments."""
    lines = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if line.startswith("truce "):
                lines.append(line)
    return lines


README = shown_commands((ROOT / "README.md").read_text(encoding="utf-8"))
REFERENCE = shown_commands((ROOT / "docs" / "cli.md").read_text(encoding="utf-8"))

# -- the README's notation, resolved ----------------------------------------------------------

SKIP = {
    "truce serve --db truce.db": "serves until Ctrl-C",
    "truce serve --db truce.db --port 8000": "serves until Ctrl-C",
    "truce observer submit report.json --key observer.key --server http://hq:8000 --token $T":
        "sends to a server (http://hq:8000)",
    "truce observer sync --server http://hq:8000 --token $T": "sends to a server (http://hq:8000)",
}

DEMO_BUILT_BY = ("truce init --db truce.db", "truce demo load --db truce.db")  # run once, by the fixture

README_FORMS: dict[str, list[str]] = {
    "truce incidents list --from 2020-10-14 --to 2020-10-15 [--type --party --place --grade]": [
        "truce incidents list --from 2020-10-14 --to 2020-10-15",
        'truce incidents list --from 2020-10-14 --to 2020-10-15 --type "Explosions/Remote violence" '
        "--party ARM --place Tartar --grade corroborated",
    ],
    "truce incidents duplicates | merge | split | grade | publish": [
        c for c in REFERENCE if re.match(r"truce incidents (duplicates|merge|split|grade|publish) ", c)],
    "truce export geojson|csv [filters] [-o FILE]": [
        "truce export geojson",
        "truce export csv --party ARM --from 2020-10-01 -o incidents.csv",
    ],
    "truce import acled FILE | ucdp FILE | geojson FILE [--publish]": [
        "truce import acled acled_armenia_azerbaijan_2020.csv",
        "truce import ucdp ged231_armenia_azerbaijan.csv --publish",
        "truce import geojson incidents.geojson",
    ],
    "truce agreements list | add": [c for c in REFERENCE if re.match(r"truce agreements (list|add) ", c)],
    'truce violations --agreement "Humanitarian truce of 10 October 2020" --by party --by day [--by sector]': [
        'truce violations --agreement "Humanitarian truce of 10 October 2020" --by party --by day --by sector',
    ],
    "truce alerts [list | ack ID --note N | evaluate | deliver]": [
        "truce alerts",
        "truce alerts list",
        'truce alerts ack al-124cff075a32d44b --note "Raised with both liaison officers"',
        "truce alerts evaluate",
        "truce alerts deliver",
    ],
    "truce webhooks add URL --secret S": ["truce webhooks add https://hq.example/alerts --secret S"],
    "truce ingest ARTICLE.txt --published 2020-10-15 --source AFP": [
        "truce ingest article.txt --published 2020-10-15 --source AFP"],
    "truce review list [--kind proposal|report] | accept ID [--new] | reject ID": [
        "truce review list",
        "truce review list --kind proposal",
        "truce review list --kind report",
        "truce review accept prop-1a2b3c4d5e6f --new",
        "truce review reject prop-1a2b3c4d5e6f",
    ],
    "truce review incident REPORT... | attach INCIDENT REPORT... | dismiss REPORT... --reason R": [
        c for c in REFERENCE if re.match(r"truce review (incident|attach|dismiss) ", c)],
    "truce users add NAME --role observer|analyst|liaison|admin [--party ARM]": [
        "truce users add obs-south-1 --role observer",
        "truce users add analyst-1 --role analyst",
        "truce users add liaison-arm-2 --role liaison --party ARM",
        "truce users add admin-3 --role admin",
    ],
    "truce users enrol NAME [--valid-minutes 30] [--server URL]": [
        "truce users enrol obs-south-1",
        "truce users enrol obs-south-1 --valid-minutes 30 --server https://hq.example",
    ],
    "truce users revoke NAME": ["truce users revoke obs-north-1"],
    "truce users keys NAME": ["truce users keys obs-north-1"],
    "truce users rekey NAME --public-key new.pub --reason R --token $T": [
        'truce users rekey obs-north-1 --public-key new.key.pub --reason "device replaced" --token $T'],
    "truce users role NAME ROLE [--party ARM] --reason R --token $T": [
        'truce users role liaison-arm analyst --reason "joins the mission staff" --token $T',
        'truce users role analyst-1 liaison --party ARM --reason "seconded" --token $T',
    ],
    "truce users changes [--status pending] | approve ID --token $T | reject ID --token $T": [
        "truce users changes",
        "truce users changes --status pending",
        "truce users approve chg-1a2b3c4d5e6f --token $T",
        "truce users reject chg-1a2b3c4d5e6f --token $T",
    ],
    "truce observer rekey --name NAME --key old.key --new-key new.key --reason R": [
        c for c in REFERENCE if c.startswith("truce observer rekey ")],
    "truce tasks add TITLE --look-for WHAT --from T --to T [--lat --lon --radius-m --observer] | list | close": [
        *[c for c in REFERENCE if c.startswith("truce tasks ")],
        'truce tasks add "Check Hadrut" --look-for "shelling" --from 2020-10-15T06:00+04:00 '
        "--to 2020-10-15T18:00+04:00 --observer obs-north-1",
        "truce tasks list",
    ],
    "truce observer keygen | submit report.json --key observer.key | sync": [
        "truce observer keygen --key observer.key"],
    "truce cases file AGREEMENT --accused AZE --term no_fire --incident ID --summary S --as LIAISON": [
        c for c in REFERENCE if c.startswith("truce cases file ")],
    "truce cases list [--open] | show CASE": [c for c in REFERENCE if re.match(r"truce cases (list|show) ", c)],
    "truce cases open CASE | evidence CASE --kind K --ref R | task CASE ... | request CASE QUESTION": [
        c for c in REFERENCE if re.match(r"truce cases (open|evidence|task|request) ", c)],
    "truce cases reply CASE TEXT [--request RFI] --as LIAISON": [
        c for c in REFERENCE if c.startswith("truce cases reply ")],
    "truce cases finding CASE --outcome confirmed|not_confirmed|inconclusive --reasons R --cite REF [--party --term]": [
        c for c in REFERENCE if c.startswith("truce cases finding ")],
    "truce cases approve CASE --as MEMBER | publish CASE": [
        c for c in REFERENCE if re.match(r"truce cases (approve|publish) ", c)],
    "truce cases rules AGREEMENT [--finding-hours 72 --reply-hours 48 --quorum ARM,AZE,mediator]"
    " | member AGREEMENT USER SEAT": [
        c for c in REFERENCE if re.match(r"truce cases (rules|member) ", c)],
    "truce ledger verify | head": ["truce ledger verify", "truce ledger head"],
    "truce ledger keygen -o log.key [--witness]": [
        "truce ledger keygen -o log.key", "truce ledger keygen -o w.key --witness"],
    "truce ledger checkpoint [--size N] -o cp.txt": [
        "truce ledger checkpoint -o cp.txt", "truce ledger checkpoint --size 100 -o last.txt"],
    "truce ledger cosign cp.txt --key w.key --log-key log.key.pub [--since last.txt]": [
        "truce ledger cosign cp.txt --key w.key --log-key log.key.pub --since last.txt"],
    "truce ledger verify [--checkpoint cp.txt --log-key log.key.pub --witness w.key.pub]": [
        "truce ledger verify --checkpoint cp.txt --log-key log.key.pub --witness w.key.pub"],
    "truce export bundle --date 2020-10-14 [--since cp.txt] -o day.json": [
        "truce export bundle --date 2020-10-14 --since cp.txt -o day.json"],
    "truce report --date 2020-10-14 [--edition public|restricted] -o DIR": [
        "truce report --date 2020-10-14 --edition restricted -o reports"],
}

# Made-up ids of records that exist only once a command has made them: the id
# used is read from the database just before the command runs.
RUNTIME_IDS = {
    "prop-1a2b3c4d5e6f": "SELECT id FROM proposals WHERE status = 'pending' ORDER BY created_at, id",
    "chg-1a2b3c4d5e6f": "SELECT id FROM user_changes WHERE status = 'pending' ORDER BY proposed_at, id",
    "3f2b...": "SELECT id FROM reports WHERE observer_id IS NOT NULL"
               " AND id NOT IN (SELECT report_id FROM report_reviews) ORDER BY id",
    "task-0123456789abcdef": "SELECT id FROM tasks WHERE status = 'open' ORDER BY id",
}
# `$T`: the proposing admin's token; approving or refusing a change takes a second admin.
SECOND_ADMIN = ("truce users approve ", "truce users reject ")

# Commands that build on one another run in this order, in one copy of the demo
# each sequence; every other command runs alone in a fresh copy of the demo.
SEQUENCES = {
    "cases": ["cases rules", "cases member", "cases file", "cases list", "cases show", "cases open",
              "cases evidence", "cases task", "cases request", "cases reply", "cases finding",
              "cases approve", "cases publish"],
    "users": ["observer keygen", "users add", "users list", "users key", "users token", "users keys",
              "users enrol", "users rekey", "users role", "users changes", "users approve",
              "users reject", "observer rekey", "users deactivate", "users revoke"],
    "ledger": ["ledger keygen", "ledger checkpoint", "ledger cosign", "ledger check", "ledger verify",
               "ledger head", "export bundle", "verify"],
    "review": ["ingest", "review list", "review accept", "review reject", "review incident",
               "review attach", "review dismiss"],
    "tasks": ["tasks add", "tasks list", "tasks close"],
}


def runnable(readme: list[str], reference: list[str]) -> list[str]:
    commands = []
    for line in [*readme, *reference]:
        for command in README_FORMS.get(line, [line]):
            if command not in SKIP and command not in DEMO_BUILT_BY and command not in commands:
                commands.append(command)
    return commands


def sequence_of(command: str) -> tuple[str, int]:
    """The sequence ``command`` belongs to and its step there; (itself, 0) if none."""
    words = command.split()[1:]
    best = (command, 0, 0)
    for name, steps in SEQUENCES.items():
        for place, step in enumerate(steps):
            step_words = step.split()
            if words[:len(step_words)] == step_words and len(step_words) > best[2]:
                best = (name, place, len(step_words))
    return best[0], best[1]


# -- the demo, and the files the examples name ------------------------------------------------


@dataclass
class Demo:
    directory: Path
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)


ARTICLE = """\
BAKU, Oct 15 (AFP) - Azerbaijan's defence ministry said Armenian forces shelled the town of Tartar
on Thursday, killing two civilians and wounding five. Armenia's defence ministry denied the claim.
The ministry also said its forces destroyed two Armenian tanks near Hadrut.
"""


def _cli(*args: str) -> str:
    from typer.testing import CliRunner

    from truce.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, f"truce {' '.join(args)}: {result.output}"
    return result.output


def _shell(command: str, directory: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=directory, env=env, capture_output=True,
                          text=True, timeout=300)


def _observer_reports(db: Path, directory: Path, count: int) -> None:
    """Signed reports from an enrolled observer, through the API, for the analyst's queue."""
    from fastapi.testclient import TestClient

    from truce.api.app import create_app
    from truce.service.signing import generate_key, sign
    from truce.service.tokens import load_token_key, token_key_path
    from truce.service.users import add_user
    from truce.settings import Settings
    from truce.store.engine import make_engine
    from truce.store.uow import UnitOfWork

    url = f"sqlite:///{db}"
    engine = make_engine(url)
    key, public = generate_key()
    with UnitOfWork(engine, actor="test") as uow:
        _user, token = add_user(uow, "obs-east-1", "observer", datetime.now(UTC),
                                token_key=load_token_key(token_key_path(url)), public_key=public)
        uow.commit()
    engine.dispose()
    settings = Settings(database_url=url, evidence_dir=directory / "evidence")
    with TestClient(create_app(settings)) as client:
        for n in range(count):
            body = sign({
                "id": str(uuid.uuid4()), "kind": "incident",
                "observed_at": (datetime.now(UTC) - timedelta(hours=1 + n)).isoformat(timespec="seconds"),
                "position": {"latitude": 40.3412, "longitude": 46.9317, "accuracy_m": 10},
                "summary": "Two explosions to the north-east, impacts seen.",
                "observations": [{"what": "impact", "how": "seen_and_heard", "count": 2, "bearing_deg": 45,
                                  "distance_m": 3000, "distance_uncertainty_m": 500,
                                  "weapon_class": "artillery"}],
            }, key)
            sent = client.post("/api/reports", json=body, headers={"Authorization": f"Bearer {token}"})
            assert sent.status_code in (200, 201), sent.text


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """`truce init` and `truce demo load` as the README shows them, in a directory
    that also holds the users, files and records the other examples name."""
    directory = tmp_path_factory.mktemp("doc-commands")
    bin_dir = directory.parent / f"{directory.name}-bin"
    bin_dir.mkdir()
    shim = bin_dir / "truce"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m truce "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "TRUCE_DATABASE_URL": "sqlite:///truce.db", "TRUCE_TIMEZONE": THEATRE_TZ,
           "TRUCE_HOOK_SECRET": "a-shared-secret", "TRUCE_EVIDENCE_DIR": "evidence",
           "TRUCE_LOG_KEY": "log.key"}  # the settings the README describes
    env.pop("TRUCE_TOKEN", None)
    for line in DEMO_BUILT_BY:
        assert line in README, f"the README no longer shows {line!r}"
        done = _shell(line, directory, env)
        assert done.returncode == 0, f"{line}:\n{done.stdout}\n{done.stderr}"
    db = directory / "truce.db"
    demo = Demo(directory, env)
    for name, role, party in (("admin-1", "admin", None), ("admin-2", "admin", None),
                              ("liaison-arm", "liaison", "ARM"), ("liaison-aze", "liaison", "AZE"),
                              ("mediator1", "analyst", None)):
        printed = _cli("users", "add", name, "--role", role, *(["--party", party] if party else []),
                       "--db", str(db))
        demo.tokens[name] = re.search(r"truce_\S+", printed).group(0)
    _observer_reports(db, directory, count=3)
    (directory / "tests").symlink_to(ROOT / "tests")  # examples read tests/data as from a checkout
    (directory / "article.txt").write_text(ARTICLE, encoding="utf-8")
    for name in ("acled_armenia_azerbaijan_2020.csv", "ged231_armenia_azerbaijan.csv"):
        shutil.copy(ROOT / "tests" / "data" / ("acled_sample.csv" if "acled" in name else
                                               "ucdp_ged_v23_1_central_african_republic.csv"),
                    directory / name)
    _cli("export", "geojson", "--party", "AZE", "-o", str(directory / "incidents.geojson"), "--db", str(db))
    return demo


_copies = itertools.count()

# -- running them -----------------------------------------------------------------------------


def _runtime_ids(command: str, db: Path) -> str:
    for made_up, query in RUNTIME_IDS.items():
        if made_up in command:
            with sqlite3.connect(db) as c:
                row = c.execute(query).fetchone()
            assert row, f"{command}: nothing in the database stands for {made_up} ({query})"
            command = command.replace(made_up, row[0])
    return command


def _run_chain(demo: Demo, commands: list[str], scratch: Path) -> list[str]:
    """Run ``commands`` in order in a copy of the demo; the failures, each with its output."""
    directory = scratch / f"copy-{next(_copies):03d}"
    shutil.copytree(demo.directory, directory, symlinks=True)
    failures = []
    for command in commands:
        admin = "admin-2" if command.startswith(SECOND_ADMIN) else "admin-1"
        env = {**demo.env, "T": demo.tokens[admin]}
        actual = _runtime_ids(command, directory / "truce.db")
        started = time.monotonic()
        done = _shell(actual, directory, env)
        print(f"{time.monotonic() - started:6.1f}s exit {done.returncode}  {actual}", flush=True)
        if done.returncode != 0:
            failures.append(f"{command}\n  ran: {actual}\n  exit {done.returncode}\n{done.stdout[-1500:]}"
                            f"{done.stderr[-1500:]}")
    return failures


def test_the_readme_lists_no_resolution_it_no_longer_shows():
    stale = sorted(set(README_FORMS) - set(README)) + sorted(set(SKIP) - set(README) - set(REFERENCE))
    assert not stale, f"README_FORMS / SKIP name lines the documents no longer show: {stale}"


def test_every_documented_command_runs_as_written(demo: Demo, tmp_path: Path):
    chains: dict[str, list[tuple[int, int, str]]] = {}
    commands = runnable(README, REFERENCE)
    for n, command in enumerate(commands):
        chain, place = sequence_of(command)
        chains.setdefault(chain, []).append((place, n, command))
    ordered = [[c for _p, _n, c in sorted(steps)] for steps in chains.values()]
    ordered.sort(key=len, reverse=True)  # long chains first
    run: Callable[[list[str]], list[str]] = lambda chain: _run_chain(demo, chain, tmp_path)  # noqa: E731
    with ThreadPoolExecutor(max_workers=3) as pool:
        failures = [f for result in pool.map(run, ordered) for f in result]
    assert len(commands) > 100
    assert not failures, f"{len(failures)} of {len(commands)} documented commands failed:\n\n" + \
        "\n\n".join(failures)
