"""Every `truce ...` command shown in README.md and docs/*.md runs as written,
against the demo theatre.

What a document shows is its ```sh blocks (a ``` block without a language
may not hold a `truce` line: name it ```sh or ```text). Each document is one
sequence: its commands run in order, in a working directory of its own that
holds a copy of the demo store (`truce.db`, the README's `truce init` and
`truce demo load`, which build it once for every document; the demo holds three
signed reports of an observer waiting for review) and,
as a checkout does, `tests/` and `src/`. The settings are the README's defaults
(`TRUCE_DATABASE_URL=sqlite:///truce.db`, `TRUCE_TIMEZONE=Asia/Baku`).

The few conventions the documents follow:

- `<!-- not-run: REASON -->` on the line before a block shows its commands
  without running them (a server that runs until Ctrl-C, a command that
  sends to another host). Keep these few.
- `NAME=$(truce ...)` keeps what the command printed in `$NAME`, and
  `export NAME=VALUE` sets a setting, as in a shell; `$NAME` is replaced in
  later lines. A line ending in `\\` continues on the next; `# ...` is a
  comment.
- `truce ... | REST` pipes what the command printed to its standard output
  through REST, run by bash (`head`, `jq`), as a shell would: that is how a
  document picks an id made at run time (a proposal, a pending change, a
  task, an observer report, a request for information), e.g.
  `P=$(truce review list --kind proposal --format json | head -1 | jq -r .id)`.
  No id is made up: every one a document shows is the demo's own or read so.

Commands run in this process, through Typer's test runner, one document
after another; a failure names the document, the line, the command and what
it printed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from click.testing import CliRunner

from truce.cli import app
from truce.domain.exceptions import TruceError
from truce.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
ENV = {"TRUCE_DATABASE_URL": "sqlite:///truce.db", "TRUCE_TIMEZONE": "Asia/Baku", "COLUMNS": "200",
       "TRUCE_TOKEN": None, "TRUCE_LOG_KEY": None, "TRUCE_EVIDENCE_DIR": None, "TRUCE_HOOK_SECRET": None}
# The README's first commands build the demo store every document starts from.
DEMO_BUILT_BY = ("truce init --db truce.db", "truce demo load --db truce.db")

# -- what the documents show ------------------------------------------------------------------

NOT_RUN = re.compile(r"<!--\s*not-run:\s*(?P<reason>[^>]*?)\s*-->")
FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")
COMMENT = re.compile(r"(^|\s+)#(\s.*)?$")


@dataclass(frozen=True)
class Shown:
    document: str
    line: int
    command: str
    not_run: str | None = None  # the reason, when the document marks its block not-run

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: {self.command}"


def shown_commands(document: str, text: str) -> list[Shown]:
    """The commands of ``text``'s ```sh blocks, continuation lines joined and
    comments removed, each with its line number and any not-run reason."""
    shown: list[Shown] = []
    lang: str | None = None
    reason: str | None = None
    previous = ""
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(raw)
        if fence and lang is None:
            lang = fence["lang"]
            marked = NOT_RUN.search(previous)
            reason = marked["reason"] if marked else None
            continue
        if fence:
            lang = None
            previous = raw
            continue
        if lang is None:
            if raw.strip():
                previous = raw
            continue
        if lang != "sh":
            assert lang or not raw.lstrip().startswith("truce "), \
                f"{document}:{number}: a command in a ``` block with no language: make it ```sh"
            continue
        start, text_so_far = pending or (number, "")
        line = raw.rstrip()
        if line.endswith("\\"):
            pending = (start, text_so_far + line[:-1].strip() + " ")
            continue
        pending = None
        command = COMMENT.sub("", text_so_far + line.strip()).strip()
        if command:
            shown.append(Shown(document, start, command, reason))
    return shown


def all_shown() -> dict[str, list[Shown]]:
    return {d: shown_commands(d, (ROOT / d).read_text(encoding="utf-8")) for d in DOCUMENTS}


# -- running them, as a shell would ------------------------------------------------------------

ASSIGN = re.compile(r"^(?P<name>[A-Za-z_]\w*)=\$\((?P<command>truce .*)\)$")
EXPORT = re.compile(r"^export (?P<name>[A-Za-z_]\w*)=(?P<value>\S+)$")
VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def _expand(command: str, variables: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        name = m[1] or m[2]
        assert name in variables, f"${name} is used before the document sets it"
        return variables[name]
    return VARIABLE.sub(value, command)


def split_pipeline(command: str) -> tuple[str, str | None]:
    """``truce ... | rest`` as (the truce command, the rest of the pipeline or
    None): the first ``|`` outside quotes."""
    quote = None
    for n, ch in enumerate(command):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "|":
            return command[:n].strip(), command[n + 1:].strip()
    return command, None


def run_line(command: str, env: dict[str, str | None]) -> tuple[int, str]:
    """A `truce ...` line, piped through the rest of its pipeline if it has one
    (bash reads the command's standard output, as in a shell)."""
    first, rest = split_pipeline(command)
    if rest is None:
        return run_truce(first, env)
    code, output, stdout = run_truce(first, env, with_stdout=True)
    if code != 0:
        return code, output
    piped = subprocess.run(["bash", "-o", "pipefail", "-c", rest], input=stdout, capture_output=True, text=True,
                           timeout=COMMAND_TIMEOUT_S, env={**os.environ, **{k: v for k, v in env.items() if v}})
    return piped.returncode, piped.stdout + piped.stderr


COMMAND_TIMEOUT_S = 60
_command: list[object] = []


def _truce():
    """The Click command behind `truce`, built from the Typer app once (building it takes longer than
    most commands run)."""
    if not _command:
        _command.append(typer.main.get_command(app))
    return _command[0]


def _too_long(_signum: int, _frame: object) -> None:
    raise TimeoutError(f"still running after {COMMAND_TIMEOUT_S} s: mark its block not-run if it serves")


def run_truce(command: str, env: dict[str, str | None], with_stdout: bool = False):
    """Run one `truce ...` line in this process: its exit status and what it
    printed (and, ``with_stdout``, what it printed to its standard output alone)."""
    get_settings.cache_clear()  # settings are read from this document's environment
    args = shlex.split(command)
    assert args[0] == "truce", command
    signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(COMMAND_TIMEOUT_S)
    try:
        result = CliRunner().invoke(_truce(), args[1:], env=env, terminal_width=200, prog_name="truce")
    finally:
        signal.alarm(0)
    output = result.output
    if isinstance(result.exception, TruceError):  # as `truce`'s main() prints it
        output += f"error: {result.exception}\n"
    elif result.exception and not isinstance(result.exception, SystemExit):
        output += f"{type(result.exception).__name__}: {result.exception}\n"
    return (result.exit_code, output, result.stdout) if with_stdout else (result.exit_code, output)


def run_document(shown: list[Shown], variables: dict[str, str], timings: list[tuple[float, str]]) -> list[str]:
    """Run ``shown`` in order in the current directory; the failures, each with its output."""
    env = dict(ENV)
    failures = []
    for item in shown:
        if item.not_run is not None:
            continue
        started = time.monotonic()
        try:
            line = _expand(item.command, {**variables, **{k: v for k, v in env.items() if v}})
            exported = EXPORT.match(line)
            if exported:
                env[exported["name"]] = exported["value"]
                continue
            assigned = ASSIGN.match(line)
            code, output = run_line(assigned["command"] if assigned else line, env)
            if assigned and code == 0:
                assert output.strip() and "\n" not in output.strip(), \
                    f"${assigned['name']} would hold {output.strip()!r}, not one value"
                variables[assigned["name"]] = output.strip()
        except AssertionError as exc:
            code, output = -1, f"{exc}\n"
        timings.append((time.monotonic() - started, str(item)))
        if code != 0:
            failures.append(f"{item}\n  ran: {line if code != -1 else item.command}\n  exit {code}\n"
                            + "\n".join("    " + o for o in output[-2000:].splitlines()))
    return failures


# -- the demo store, once ---------------------------------------------------------------------


def _checkout_like(directory: Path) -> None:
    for name in ("tests", "src"):
        (directory / name).symlink_to(ROOT / name)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the demo store, made by the README's own first commands."""
    directory = tmp_path_factory.mktemp("demo-template")
    readme = [s.command for s in all_shown()["README.md"]]
    assert readme[:len(DEMO_BUILT_BY)] == list(DEMO_BUILT_BY) or all(c in readme for c in DEMO_BUILT_BY), \
        f"the README no longer shows {DEMO_BUILT_BY}"
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        for command in DEMO_BUILT_BY:
            code, output = run_truce(command, ENV)
            assert code == 0, f"{command}:\n{output}"
    finally:
        os.chdir(cwd)
    return directory


@pytest.fixture(scope="module")
def timings() -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    yield found
    slowest = sorted(found, reverse=True)[:12]
    print(f"\n{len(found)} documented commands took {sum(t for t, _ in found):.1f} s")
    print("\nslowest documented commands:\n" + "\n".join(f"{t:6.2f}s  {c}" for t, c in slowest))


def test_every_document_shows_commands():
    shown = all_shown()
    assert len(shown["README.md"]) > 30 and len(shown["docs/cli.md"]) > 80
    not_run = [s for commands in shown.values() for s in commands if s.not_run is not None]
    assert len(not_run) <= 10, f"keep the not-run blocks few: {[str(s) for s in not_run]}"
    assert all(s.not_run for s in not_run), "a not-run block says why"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_command_of_the_document_runs_as_written(document: str, template: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       timings: list[tuple[float, str]]):
    shown = all_shown()[document]
    if document == "README.md":  # its first commands built the template
        shown = [s for s in shown if s.command not in DEMO_BUILT_BY]
    directory = tmp_path / "work"
    shutil.copytree(template, directory)
    _checkout_like(directory)
    monkeypatch.chdir(directory)
    failures = run_document(shown, {}, timings)
    ran = sum(1 for s in shown if s.not_run is None)
    assert not failures, f"{len(failures)} of {ran} commands of {document} failed:\n\n" + "\n\n".join(failures)
