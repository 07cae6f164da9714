"""What every command shares: the --db option, the console, output formats, error exits.

Every list and show command takes ``--format table|json|csv``::

    @app.command("list")
    def list_(fmt: FormatOption = "table", db: DbOption = None) -> None:
        rows = [{"id": a.id, "name": a.name} for a in found]
        emit_rows(rows, fmt, title="Agreements")

``json`` is JSON Lines for lists (one object a line) and one object for a
show; ``csv`` has a header row. Tables follow the terminal's width; piped to
a file or another program they take the width they need (``COLUMNS`` still
wins when set), so no cell is wrapped and ``grep`` sees whole titles.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console, ConsoleDimensions
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine

from ..domain.bounds import check_day, check_period
from ..domain.exceptions import PermissionDenied, TruceError, ValidationError
from ..service.labels import local_time, utc_iso
from ..settings import get_settings
from ..store.engine import make_engine, normalise_url
from ..store.schema import current_revision, head_revision
from ..store.uow import UnitOfWork

if TYPE_CHECKING:  # service.users is imported by the commands that authenticate, when they run
    from ..service.users import Principal, Role

UNLIMITED = 100_000
PERIOD_OPTIONS = ("--from", "--to")
"""How a command names the ends of a period, in its errors."""


class OutputConsole(Console):
    """A Rich console whose width is the terminal's, ``COLUMNS`` if set, else
    unlimited (output to a pipe or a file is never squeezed)."""

    @property
    def size(self) -> ConsoleDimensions:
        if self._width is not None:
            return super().size
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return ConsoleDimensions(int(columns), 25)
        try:
            if self.file.isatty():
                return ConsoleDimensions(os.get_terminal_size(self.file.fileno()).columns, 25)
        except (AttributeError, ValueError, OSError):
            pass
        return ConsoleDimensions(UNLIMITED, 25)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size

    @property
    def unlimited(self) -> bool:
        return self.width >= UNLIMITED


console = OutputConsole()

class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[OutputFormat, typer.Option(
    "--format", help="table, json (JSON Lines for lists) or csv.", case_sensitive=False,
)]


def _check(fmt: OutputFormat | str) -> str:
    chosen = str(getattr(fmt, "value", fmt)).lower()
    if chosen not in {f.value for f in OutputFormat}:
        raise ValidationError(f"unknown format {fmt!r}; one of: table, json, csv", field="format")
    return chosen


def plain(value: Any) -> Any:
    """A value as JSON would hold it: dates as ISO 8601 (a moment in UTC with
    ``Z``, ``labels.utc_iso``, as the API and the exports write it), enums by
    value, tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return utc_iso(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    """A value as one table or CSV cell: lists joined by '; ', nested records as JSON."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return "; ".join("" if v is None else str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


ISO_MOMENT = re.compile(r"\d{4}-\d{2}(-\d{2}([ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?)?")
SHORT_CODE = 8  # a column whose every cell is one word this short (a country, a party, a count) is a code


def _fixed_format(column: Sequence[str], moments: bool = False) -> bool:
    """Whether a table column holds short fixed-format values (dates and times,
    codes) that a narrow terminal must never truncate."""
    filled = [c for c in column if c]
    return bool(filled) and (moments or all(ISO_MOMENT.fullmatch(c) for c in filled)
                             or all(len(c) <= SHORT_CODE and " " not in c for c in filled))


TEXT_FLOOR = 8  # a text column narrower than this reads as noise; it folds instead


@dataclass(frozen=True)
class _Column:
    heading: str
    kind: str  # "fixed" (dates, codes: never cut), "id" (folds last), "text" (wraps)
    natural: int  # the widest cell or the heading
    cells: int  # the widest cell
    heading_word: int  # the heading's longest word: a squeezed heading wraps between words
    cell_word: int  # the longest word of a cell


@dataclass(frozen=True)
class _Layout:
    widths: list[int]
    padding: int  # spaces either side of a cell
    wrap_fixed: bool  # dates and times may wrap between their words (a last resort)


def _word_floor(column: _Column) -> int:
    """The narrowest a column may be without breaking a word: an id stays
    whole (it is copied into the next command); other cells and the heading
    wrap only between words."""
    if column.kind == "id":
        return column.natural
    return max(column.heading_word, column.cell_word)


def _fit(columns: Sequence[_Column], width: int) -> _Layout | None:
    """Each column's width in a table ``width`` wide, or None when no table
    that wide can hold every column without breaking a word (the rows are
    then printed as records). A table that fits takes its natural widths.
    Otherwise text starts at ``TEXT_FLOOR`` and wraps, and what does not fit
    gives way in turn, never below its longest word: a date's heading wraps
    between its words, text narrows, the cells lose their padding, dates wrap
    between their words. Room left over goes to the text columns in
    proportion to what they lack."""
    widths = [c.natural for c in columns]
    if sum(widths) + 3 * len(columns) + 1 <= width:
        return _Layout(widths, 1, False)
    floors = [_word_floor(c) for c in columns]
    if sum(floors) + len(columns) + 1 > width:
        return None
    text = [n for n, c in enumerate(columns) if c.kind == "text"]
    fixed = [n for n, c in enumerate(columns) if c.kind == "fixed"]
    for n in text:
        widths[n] = max(floors[n], min(columns[n].natural, TEXT_FLOOR))
    padding, wrap_fixed = 1, False
    for stage in ("headings", "text", "no padding", "wrap dates"):
        if stage == "no padding":
            padding = 0
        room = width - (1 + 2 * padding) * len(columns) - 1
        for n in {"headings": fixed, "text": text, "no padding": [], "wrap dates": fixed}[stage]:
            excess = sum(widths) - room
            if excess <= 0:
                break
            floor = max(columns[n].heading_word, columns[n].cells) if stage == "headings" else floors[n]
            if stage == "wrap dates" and floor < widths[n]:
                wrap_fixed = True
            widths[n] = max(floor, widths[n] - excess)
        if sum(widths) <= room:
            break
    spare = room - sum(widths)
    if spare > 0 and text:
        lack = {n: columns[n].natural - widths[n] for n in text}
        total = sum(lack.values()) or 1
        for n in text:
            widths[n] += min(lack[n], spare * lack[n] // total)
    return _Layout(widths, padding, wrap_fixed)


def _print_records(headings: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> None:
    """Rows too wide for the terminal as a table, one record after another:
    the first column's value, then each other heading beside its value,
    wrapped between words under itself."""
    label = max(map(len, headings[1:]), default=0)
    for row in cells:
        console.print(row[0], highlight=False, markup=False, soft_wrap=True)
        for heading_, value in zip(headings[1:], row[1:], strict=True):
            if not value:
                continue
            lines = textwrap.wrap(value, max(width - label - 4, 20), break_long_words=False,
                                  break_on_hyphens=False) or [""]
            console.print(f"  {heading_:<{label}}  {lines[0]}", highlight=False, markup=False, soft_wrap=True)
            for line in lines[1:]:
                console.print(f"  {'':<{label}}  {line}", highlight=False, markup=False, soft_wrap=True)
        console.print()


def _table_cell(value: Any) -> str:
    """A value as a person reads it in a table: a moment in the theatre's time
    zone (``labels.local_time``, the zone named in the column's heading)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return local_time(value, zone=False)
    return _cell(value)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def emit_rows(rows: Sequence[Mapping[str, Any]], fmt: OutputFormat | str, *, title: str | None = None,
              columns: Sequence[str] | None = None, no_wrap: Sequence[str] = ("id",),
              note: str | None = None) -> None:
    """Print a list of records: a table (with ``title`` and a ``note`` under it),
    JSON Lines, or CSV. ``columns`` picks and orders the keys shown (default:
    the first row's); JSON carries every key of each row."""
    fmt = _check(fmt)
    keys = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt == "json":
        _write("".join(json.dumps(plain(dict(r)), ensure_ascii=False) + "\n" for r in rows))
    elif fmt == "csv":
        _write_csv([[_cell(r.get(k)) for k in keys] for r in rows], keys)
    else:
        if title:  # above the table, not centred over it: a narrow table would wrap it
            console.print(f"[bold]{escape(title)}[/]", highlight=False)
        cells = [[_table_cell(r.get(k)) for k in keys] for r in rows]
        columns_ = []
        for n, key in enumerate(keys):
            column = [row[n] for row in cells]
            values = [r.get(key) for r in rows if r.get(key) is not None]
            moments = bool(values) and all(isinstance(v, datetime) and v.tzinfo for v in values)
            heading = f"{key} ({get_settings().timezone})" if moments else key
            kind = "id" if key in no_wrap else "fixed" if _fixed_format(column, moments) else "text"
            columns_.append(_Column(heading, kind, max(map(len, [heading, *column])),
                                    max(map(len, ["", *column])), max(map(len, heading.split())),
                                    max((len(w) for c in column for w in c.split()), default=0)))
        layout = _fit(columns_, console.width)
        if layout is None:
            _print_records([c.heading for c in columns_], cells, console.width)
            if note:
                console.print(note, highlight=False)
            return
        table = Table(padding=(0, layout.padding))
        for column, width in zip(columns_, layout.widths, strict=True):
            table.add_column(textwrap.fill(column.heading, width, break_long_words=False), width=width,
                             overflow="fold",
                             no_wrap=column.kind == "fixed" and not layout.wrap_fixed)
        for row in cells:
            table.add_row(*row)
        console.print(table)
        if note:
            console.print(note, highlight=False)


def emit_record(record: Mapping[str, Any], fmt: OutputFormat | str, table: Callable[[], None]) -> None:
    """Print one record: ``table()`` draws it for a person; JSON is one object;
    CSV one header row and one row (nested lists and records as JSON text)."""
    fmt = _check(fmt)
    if fmt == "json":
        _write(json.dumps(plain(dict(record)), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        keys = list(record)
        _write_csv([[_cell(record[k]) for k in keys]], keys)
    else:
        table()


def _write_csv(rows: list[list[str]], header: list[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    sys.stdout.flush()


def indented(text: str, indent: int = 4) -> None:
    """A line of a record under its heading: wrapped to the terminal, each
    wrapped line ``indent`` spaces in like the first (never back at column 0)."""
    console.print(Padding(Text(text), (0, 0, 0, indent), expand=False))


def heading(text: str) -> None:
    """A section heading: a rule across a terminal, a plain line elsewhere."""
    if console.unlimited:
        console.print(f"== {text} ==", highlight=False, markup=False)
    else:
        console.rule(f"[bold]{text}[/]")


err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database: a SQLite path or postgresql+psycopg://... URL "
                 "(default: TRUCE_DATABASE_URL, else truce.db).", show_default=False),
]


def database_url(db: str | None) -> str:
    return db or get_settings().database_url


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def missing_sqlite_file(url: str) -> Path | None:
    """The path of a SQLite file ``url`` names that does not exist yet (None
    for an existing file, an in-memory database or a server URL)."""
    url = normalise_url(url)
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return None if Path(path).exists() else Path(path)


def open_engine(db: str | None, *, require_schema: bool = True) -> Engine:
    """An engine for --db; fails with a remedy if unreachable or not initialised.
    A SQLite file that does not exist is never created here (only `truce init` does)."""
    missing = missing_sqlite_file(database_url(db))
    if missing is not None:
        fail(f"no database at {missing} (run `truce init --db {missing}` first, or give --db)")
    try:
        engine = make_engine(database_url(db), lock_timeout_s=get_settings().db_lock_timeout_s)
    except TruceError as exc:
        fail(str(exc))
    if require_schema:
        revision = current_revision(engine)
        if revision is None:
            fail(f"{engine.url.render_as_string(hide_password=True)} has no truce schema "
                 "(run `truce init` first)")
        if revision != head_revision():
            fail(f"the database schema is at {revision}, this truce needs {head_revision()} "
                 "(run `truce db upgrade`)")
    return engine


def token_key(db: str | None) -> bytes:
    """The token key of --db's database (made, mode 0600, if missing)."""
    from ..service.tokens import load_token_key, token_key_path

    return load_token_key(token_key_path(database_url(db), get_settings().token_key_file))


TokenOption = Annotated[str, typer.Option(
    "--token", envvar="TRUCE_TOKEN", show_default=False,
    help="Your own API token (or TRUCE_TOKEN): its user is who the ledger records for this step.")]
"""The token of whoever takes a step that records who decided: the CLI names
no one it has not authenticated (a name typed on the command line is never
recorded)."""

ROLE_NAMES = {"analyst": "an analyst", "admin": "an admin", "liaison": "a party's liaison",
              "observer": "an observer"}


def _who(roles: frozenset[Role]) -> str:
    return " or ".join(ROLE_NAMES[r] for r in sorted(r.value for r in roles))


def acting_principal(db: str | None, token: str, roles: Sequence[Role] | None = None) -> Principal:
    """The user behind ``token`` on ``db``'s database, if their role is one of
    ``roles`` (the roles the matching HTTP route admits; None: any user).
    PermissionDenied, with what to do, when the token is missing, refused or
    of another role: nothing has been written then.

    >>> principal = acting_principal(db, token, roles=(Role.ANALYST,))  # doctest: +SKIP
    """
    from ..service import users

    allowed = frozenset(roles or users.Role)
    who = "a user" if roles is None else _who(allowed)
    remedy = f"give --token (or TRUCE_TOKEN) of {who}: an admin issues one with `truce users token NAME`"
    if not token:
        raise PermissionDenied(f"this needs the token of {who}", remedy=remedy)
    try:
        with open_engine(db).connect() as connection:
            principal = users.authenticate(connection, token, datetime.now(UTC), token_key=token_key(db))
    except users.AuthError as exc:
        raise PermissionDenied(f"the token was refused: {exc}", remedy=remedy) from None
    if principal.role not in allowed:
        raise PermissionDenied(f"this needs {who}; {principal.name} is {principal.role.value}", remedy=remedy)
    return principal


def unit_of_work(db: str | None, actor: str = "cli") -> UnitOfWork:
    return UnitOfWork(open_engine(db), actor=actor)


def parse_day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a date (use YYYY-MM-DD)", field=field) from None
    return check_day(day, field)


def parse_period(from_: str | None, to: str | None) -> tuple[date | None, date | None]:
    """The days of --from and --to, a period that does not end before it starts
    (the one rule, ``bounds.check_period``, in the words of the options)."""
    start, end = parse_day(from_, "from"), parse_day(to, "to")
    check_period(start, end, names=PERIOD_OPTIONS)
    return start, end


def day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)
