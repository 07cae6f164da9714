"""The server extracts in a child process: the same proposals as in the
calling thread, and a database the child cannot open is for the caller."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from truce.ingest.text.pipeline import extract
from truce.service.extraction_pool import can_isolate, extract_isolated, shutdown
from truce.store.engine import make_engine
from truce.store.schema import upgrade

ARTICLE = Path(__file__).parents[2] / "data" / "article-2020-10-15.txt"


def test_extraction_in_the_child_process_equals_extraction_in_the_thread(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    text = ("Azerbaijan's defence ministry said Armenian forces shelled Tartar overnight on "
            "14 October, killing two civilians. Armenia denied it. " + ARTICLE.read_text("utf-8"))
    try:
        isolated = extract_isolated(url, text, date(2020, 10, 15), "Wire", zone=None, language=None)
    finally:
        shutdown()
    here = extract(text, date(2020, 10, 15), "Wire")
    assert isolated == here
    assert isolated.events


def test_sqlite_in_memory_cannot_be_isolated():
    assert not can_isolate("sqlite://")
    assert not can_isolate("sqlite:///:memory:")
    assert can_isolate("sqlite:////tmp/truce.db")
    assert can_isolate("postgresql+psycopg://u@h/truce")


def test_extraction_child_exits_when_its_parent_is_killed(tmp_path):
    """A server killed with -9 cannot stop its pool: the child must not outlive it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    url = f"sqlite:///{tmp_path / 'y.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    script = tmp_path / "parent.py"
    script.write_text(
        "import multiprocessing, sys\n"
        "from datetime import date\n"
        "from truce.service import extraction_pool\n"
        "if __name__ == '__main__':\n"
        f"    extraction_pool.extract_isolated({url!r}, 'Shelling near Tartar.', date(2020, 10, 15), 'W',"
        " zone=None, language='en')\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "    sys.stdin.read()\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=dict(os.environ))
    children = [int(x) for x in parent.stdout.readline().split()]
    assert children
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{c}") and
                                              "Z" not in open(f"/proc/{c}/stat").read().split()[2]
                                              for c in children):
        time.sleep(0.2)
    for c in children:
        assert not os.path.exists(f"/proc/{c}") or open(f"/proc/{c}/stat").read().split()[2] == "Z"
