"""A command that cannot get the database's write lock waits
TRUCE_DB_LOCK_TIMEOUT_S, then fails with one line saying the database is
busy and what to do, exit 1, nothing written, no traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

from demo_store import run_truce


def test_a_command_under_a_held_lock_waits_the_timeout_then_says_the_database_is_busy(tmp_path):
    db = tmp_path / "busy.db"
    url = f"sqlite:///{db}"
    run_truce("init", "--db", url, url=url)
    article = tmp_path / "a.txt"
    article.write_text("Artillery shelled Tartar yesterday.")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # an import in another process, say
    try:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "truce", "ingest", str(article), "--published", "2020-10-15",
                               "--source", "Wire", "--db", url], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "TRUCE_DB_LOCK_TIMEOUT_S": "1"})
        took = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "the database is busy with another write (waited 1 s); nothing was written" in lines[0]
    assert "run this again when it has finished" in lines[0] and "TRUCE_DB_LOCK_TIMEOUT_S" in lines[0]
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM proposals").fetchone()[0] == 0
    # the same command with nothing holding the lock, for comparison (start-up and models cost the same)
    started = time.monotonic()
    free = subprocess.run([sys.executable, "-m", "truce", "ingest", str(article), "--published", "2020-10-15",
                           "--source", "Wire", "--db", url], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TRUCE_DB_LOCK_TIMEOUT_S": "1"})
    assert free.returncode == 0, free.stderr
    assert took - (time.monotonic() - started) < 6, took  # the 1 s set, not the engine's own 10 s
