"""`truce ARGS` in this process, through the console script's own entry point
(``truce.cli.main``, which turns truce's errors into one line on stderr and
exit 1), with stdout and stderr captured apart. Much cheaper than a child
process when a test runs dozens of commands."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from truce.cli import main
from truce.settings import get_settings


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_main(*args: str, env: dict[str, str | None] | None = None) -> Ran:
    """Run ``truce ARGS`` with its output going to a pipe (no ``COLUMNS``: tables
    are never squeezed); ``env`` is laid over the environment (None removes a
    variable). The settings are read afresh, as a new process would."""
    get_settings.cache_clear()
    try:
        with CliRunner().isolation(env={"COLUMNS": None, **(env or {})}) as (out, err, _output):
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            return Ran(code, out.getvalue().decode(), err.getvalue().decode())
    finally:
        get_settings.cache_clear()


def token_for(name: str, db: str, env: dict[str, str | None] | None = None) -> str:
    """A fresh API token of user ``name`` on ``db`` (a path or URL), issued by
    `truce users token NAME --quiet` (a store with no admin needs no admin
    token): what a command that records who decided takes as ``--token``."""
    done = run_main("users", "token", name, "--quiet", "--db", str(db), env={"TRUCE_TOKEN": None, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def added_user(name: str, role: str, db: str, *options: str) -> str:
    """Add user ``name`` with ``role`` to ``db`` through `truce users add --quiet`
    (``options`` such as ``--party ARM``); their API token."""
    done = run_main("users", "add", name, "--role", role, *options, "--quiet", "--db", str(db),
                    env={"TRUCE_TOKEN": None})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
