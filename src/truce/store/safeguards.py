"""The database's own safeguards: the triggers that make reports immutable
and key history append-only, checked to be still there and still refusing.

Migrations create them (0001: reports, 0010: user_keys). Someone with the
database can drop them, disable them (PostgreSQL), or replace them with
ones that let everything through, and then edit the rows; the row ledger
names such edits, and ``truce ledger verify`` names the missing safeguard
itself, by this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

__all__ = ["EXPECTED", "Missing", "missing"]

# dialect -> trigger -> (table, what its definition must still say)
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "sqlite": {
        "reports_no_update": ("reports", "RAISE(ABORT"),
        "reports_no_delete": ("reports", "RAISE(ABORT"),
        "user_keys_no_delete": ("user_keys", "RAISE(ABORT"),
        "user_keys_only_close": ("user_keys", "RAISE(ABORT"),
    },
    "postgresql": {
        "reports_immutable": ("reports", "RAISE EXCEPTION"),
        "user_keys_append_only": ("user_keys", "RAISE EXCEPTION"),
    },
}
CREATED_BY = {"reports": "0001", "user_keys": "0010"}  # the schema revision that creates each table's triggers

_SQLITE = text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
# a trigger's table, whether it is enabled, and the body of the function it runs
_POSTGRES = text("SELECT t.tgname, c.relname, t.tgenabled <> 'D', p.prosrc FROM pg_trigger t "
                 "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                 "WHERE NOT t.tgisinternal")


@dataclass(frozen=True)
class Missing:
    trigger: str
    table: str
    why: str  # dropped | disabled | no longer refuses | on another table

    def __str__(self) -> str:
        return (f"trigger {self.trigger} on {self.table} is {self.why}: the database no longer refuses "
                f"changes to {self.table} by itself; recreate it as schema {CREATED_BY[self.table]} does and "
                "find out who removed it")


def missing(connection: Connection) -> list[Missing]:
    """Each expected trigger that is gone, disabled, or no longer refuses."""
    expected = EXPECTED.get(connection.dialect.name, {})
    if connection.dialect.name == "sqlite":
        found = {name: (table, True, sql or "") for name, table, sql in connection.execute(_SQLITE)}
    else:
        found = {name: (table, enabled, body or "") for name, table, enabled, body in connection.execute(_POSTGRES)}
    problems = []
    for name, (table, must_say) in expected.items():
        if name not in found:
            problems.append(Missing(name, table, "dropped"))
            continue
        on, enabled, definition = found[name]
        if on != table:
            problems.append(Missing(name, table, f"on another table ({on})"))
        elif not enabled:
            problems.append(Missing(name, table, "disabled"))
        elif must_say not in definition:
            problems.append(Missing(name, table, "no longer refusing anything (its definition was replaced)"))
    return problems
