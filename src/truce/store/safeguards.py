"""The database's own safeguards: the triggers that make reports immutable
and key history append-only, defined once here, created by the migrations
from these definitions, and checked to be still there exactly as defined.

Migrations create them (0001: reports, 0010: user_keys) by running
``statements(table, dialect)``. Someone with the database can drop them,
disable them (PostgreSQL), or replace them with ones that look alike but
refuse less (``WHEN 0``, ``WHERE 0``, another event, ``UPDATE OF`` one
column, a looser ``WHEN``), and then edit the rows; the row ledger names
such edits, and ``truce ledger verify`` names the trigger itself: each one
whose normalised definition (case, whitespace and identifier quoting aside)
differs from the one defined here. On SQLite the definition is
``sqlite_master.sql``; on PostgreSQL ``pg_get_triggerdef`` and the
function's ``pg_get_functiondef``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

__all__ = ["TRIGGERS", "Missing", "Trigger", "missing", "normalise", "statements"]

REPORTS_IMMUTABLE = "reports are immutable; file a correction instead"
KEYS_APPEND_ONLY = "user keys are append-only: only the validity of an open key may be closed"
KEY_COLUMNS = ("id", "user_id", "public_key", "valid_from", "added_by", "reason", "change_id")
"""The columns of a key row no UPDATE may change (closing sets only valid_until, ended_by, end_reason)."""


@dataclass(frozen=True)
class Trigger:
    """One safeguard trigger as its migration creates it.

    ``sql`` is the CREATE TRIGGER statement; on PostgreSQL it is written as
    ``pg_get_triggerdef`` prints it (events in its order) and ``function`` /
    ``body`` are the plpgsql function it runs."""

    name: str
    table: str
    revision: str
    sql: str
    function: str | None = None
    body: str | None = None

    def ddl(self) -> list[str]:
        """What the migration executes: the function (PostgreSQL), then the trigger."""
        first = [f"CREATE FUNCTION {self.function}() RETURNS trigger AS $${self.body}$$ LANGUAGE plpgsql"
                 ] if self.function else []
        return [*first, self.sql]

    @property
    def function_definition(self) -> str | None:
        """The function as ``pg_get_functiondef`` prints it."""
        if self.function is None:
            return None
        return (f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $function${self.body}$function$")


def _sqlite() -> tuple[Trigger, ...]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in KEY_COLUMNS)
    reports = tuple(Trigger(f"reports_no_{verb.lower()}", "reports", "0001",
                            f"CREATE TRIGGER reports_no_{verb.lower()} BEFORE {verb} ON reports "
                            f"BEGIN SELECT RAISE(ABORT, '{REPORTS_IMMUTABLE}'); END")
                    for verb in ("UPDATE", "DELETE"))
    return (*reports,
            Trigger("user_keys_no_delete", "user_keys", "0010",
                    "CREATE TRIGGER user_keys_no_delete BEFORE DELETE ON user_keys "
                    f"BEGIN SELECT RAISE(ABORT, '{KEYS_APPEND_ONLY}'); END"),
            Trigger("user_keys_only_close", "user_keys", "0010",
                    "CREATE TRIGGER user_keys_only_close BEFORE UPDATE ON user_keys "
                    f"WHEN OLD.valid_until IS NOT NULL OR {changed} "
                    f"BEGIN SELECT RAISE(ABORT, '{KEYS_APPEND_ONLY}'); END"))


def _postgresql() -> tuple[Trigger, ...]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in KEY_COLUMNS)
    return (
        Trigger("reports_immutable", "reports", "0001",
                "CREATE TRIGGER reports_immutable BEFORE DELETE OR UPDATE ON reports "
                "FOR EACH ROW EXECUTE FUNCTION truce_reports_immutable()",
                "truce_reports_immutable", f" BEGIN RAISE EXCEPTION '{REPORTS_IMMUTABLE}'; END "),
        Trigger("user_keys_append_only", "user_keys", "0010",
                "CREATE TRIGGER user_keys_append_only BEFORE DELETE OR UPDATE ON user_keys "
                "FOR EACH ROW EXECUTE FUNCTION truce_user_keys_append_only()",
                "truce_user_keys_append_only",
                f" BEGIN IF TG_OP = 'DELETE' OR OLD.valid_until IS NOT NULL OR {changed} THEN "
                f"RAISE EXCEPTION '{KEYS_APPEND_ONLY}'; END IF; RETURN NEW; END "),
    )


TRIGGERS: dict[str, tuple[Trigger, ...]] = {"sqlite": _sqlite(), "postgresql": _postgresql()}


def statements(table: str, dialect: str) -> list[str]:
    """The DDL that creates ``table``'s safeguards on ``dialect`` (what its migration runs)."""
    return [s for trigger in TRIGGERS[dialect] if trigger.table == table for s in trigger.ddl()]


_QUOTES = re.compile(r'["`\[\]]')
_SPACE = re.compile(r"\s+")
_AROUND = re.compile(r" ?([(),;=<>]|\$\$) ?")


def normalise(sql: str, *, schema: str | None = None) -> str:
    """``sql`` with case, runs of whitespace, identifier quotes, the spaces
    around punctuation, a final ``;`` and ``schema.`` qualifiers taken out:
    two definitions that normalise alike define the same trigger."""
    s = _QUOTES.sub("", sql.lower()).replace("$function$", "$$")
    if schema:
        s = re.sub(rf"\b{re.escape(schema.lower())}\.", "", s)
    s = _AROUND.sub(r"\1", _SPACE.sub(" ", s)).strip()
    return s.rstrip(";").strip()


@dataclass(frozen=True)
class Missing:
    trigger: str
    table: str
    why: str  # dropped | disabled | altered ... | on another table
    revision: str = ""

    def __str__(self) -> str:
        return (f"trigger {self.trigger} on {self.table} is {self.why}: the database no longer refuses "
                f"changes to {self.table} by itself as it should; recreate it as schema {self.revision} does and "
                "find out who changed it")


_SQLITE = text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
# a trigger's table, whether it is enabled, its definition and its function's
_POSTGRES = text("SELECT t.tgname, c.relname, t.tgenabled <> 'D', pg_get_triggerdef(t.oid), "
                 "pg_get_functiondef(t.tgfoid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                 "WHERE NOT t.tgisinternal")


def missing(connection: Connection) -> list[Missing]:
    """Each expected trigger that is gone, disabled, or whose definition (or
    its function's, on PostgreSQL) is not the one defined here."""
    dialect = connection.dialect.name
    schema = None
    if dialect == "sqlite":
        found = {name: (table, True, sql or "", None) for name, table, sql in connection.execute(_SQLITE)}
    else:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        found = {name: (table, enabled, definition or "", function or "")
                 for name, table, enabled, definition, function in connection.execute(_POSTGRES)}
    problems = []
    for trigger in TRIGGERS.get(dialect, ()):
        def problem(why: str, trigger: Trigger = trigger) -> Missing:
            return Missing(trigger.name, trigger.table, why, trigger.revision)

        if trigger.name not in found:
            problems.append(problem("dropped"))
            continue
        on, enabled, definition, function = found[trigger.name]
        if on != trigger.table:
            problems.append(problem(f"on another table ({on})"))
        elif not enabled:
            problems.append(problem("disabled"))
        elif normalise(definition, schema=schema) != normalise(trigger.sql, schema=schema):
            problems.append(problem(f"altered: its definition is not the one schema {trigger.revision} creates"))
        elif trigger.function_definition is not None and (
                normalise(function or "", schema=schema) != normalise(trigger.function_definition, schema=schema)):
            problems.append(problem(f"altered: the function it runs ({trigger.function}) is not the one schema "
                                    f"{trigger.revision} creates"))
    return problems
