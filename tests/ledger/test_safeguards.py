"""The database's own safeguards, on SQLite and PostgreSQL: a trigger that
keeps reports immutable or key history append-only, dropped, disabled,
replaced with one that refuses nothing, or weakened so that it still looks
like one (``WHEN 0``, ``WHERE 0``, another event, ``UPDATE OF`` a column, a
looser ``WHEN``, a function that refuses less), is named by `truce ledger
verify`; one recreated as it was, in other case, spacing and quoting, is not."""

from __future__ import annotations

import pytest

from tamper_kit import sql, verify
from truce.store.safeguards import KEYS_APPEND_ONLY, REPORTS_IMMUTABLE, TRIGGERS


def _dialect(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def test_every_safeguard_is_in_place_in_an_untouched_store(victim):
    code, output = verify(victim)
    assert code == 0 and "every safeguard trigger in place" in output, output


@pytest.mark.parametrize("which", [0, 1])
def test_a_dropped_trigger_is_named(victim, which):
    trigger = sorted(TRIGGERS[_dialect(victim)], key=lambda t: t.name)[which]
    name, table = trigger.name, trigger.table
    sql(victim, f"DROP TRIGGER {name}" + (f" ON {table}" if _dialect(victim) == "postgresql" else ""))
    code, output = verify(victim)
    assert code == 1
    assert f"safeguard: trigger {name} on {table} is dropped" in output, output
    assert sum(line.startswith("safeguard:") for line in output.splitlines()) == 1, output


def test_a_trigger_disabled_or_replaced_by_one_that_refuses_nothing_is_named(victim):
    if _dialect(victim) == "postgresql":
        sql(victim, "ALTER TABLE reports DISABLE TRIGGER reports_immutable")
        sql(victim, "CREATE OR REPLACE FUNCTION truce_user_keys_append_only() RETURNS trigger AS $$ "
                    "BEGIN RETURN NEW; END $$ LANGUAGE plpgsql")
        named = ["trigger reports_immutable on reports is disabled",
                 "trigger user_keys_append_only on user_keys is altered: the function it runs "
                 "(truce_user_keys_append_only) is not the one schema 0010 creates"]
    else:
        sql(victim, "DROP TRIGGER reports_no_delete")
        sql(victim, "CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports BEGIN SELECT 1; END")
        named = ["trigger reports_no_delete on reports is altered: its definition is not the one schema 0001 creates"]
    code, output = verify(victim)
    assert code == 1
    for line in named:
        assert line in output, output


_SQLITE_REPORTS = "BEGIN SELECT RAISE(ABORT, '{REPORTS_IMMUTABLE}'); END"
_PG_REPORTS = "FOR EACH ROW EXECUTE FUNCTION truce_reports_immutable()"
WEAKENED = {
    "sqlite": {
        "WHEN 0": ("reports_no_delete", f"CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports WHEN 0 "
                                        f"{_SQLITE_REPORTS}"),
        "WHERE 0": ("reports_no_update", "CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports BEGIN SELECT "
                                         f"RAISE(ABORT, '{REPORTS_IMMUTABLE}') WHERE 0; END"),
        "INSERT": ("reports_no_update", f"CREATE TRIGGER reports_no_update BEFORE INSERT ON reports {_SQLITE_REPORTS}"),
        "UPDATE OF": ("reports_no_update", "CREATE TRIGGER reports_no_update BEFORE UPDATE OF summary ON reports "
                                           f"{_SQLITE_REPORTS}"),
        "looser WHEN": ("user_keys_only_close", "CREATE TRIGGER user_keys_only_close BEFORE UPDATE ON user_keys "
                                                "WHEN OLD.valid_until IS NOT NULL BEGIN SELECT "
                                                f"RAISE(ABORT, '{KEYS_APPEND_ONLY}'); END"),
    },
    "postgresql": {
        "WHEN false": ("reports_immutable", "CREATE TRIGGER reports_immutable BEFORE UPDATE OR DELETE ON reports "
                                            "FOR EACH ROW WHEN (false) EXECUTE FUNCTION truce_reports_immutable()"),
        "INSERT": ("reports_immutable", f"CREATE TRIGGER reports_immutable BEFORE INSERT ON reports {_PG_REPORTS}"),
        "UPDATE OF": ("reports_immutable", "CREATE TRIGGER reports_immutable BEFORE UPDATE OF summary OR DELETE ON "
                                           f"reports {_PG_REPORTS}"),
        "looser function": ("user_keys_append_only",
                            "CREATE OR REPLACE FUNCTION truce_user_keys_append_only() RETURNS trigger AS $$ BEGIN "
                            "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'append-only'; END IF; RETURN NEW; END $$ "
                            "LANGUAGE plpgsql"),
        "IF false": ("reports_immutable", "CREATE OR REPLACE FUNCTION truce_reports_immutable() RETURNS trigger AS $$ "
                                          f"BEGIN IF false THEN RAISE EXCEPTION '{REPORTS_IMMUTABLE}'; END IF; "
                                          "RETURN NEW; END $$ LANGUAGE plpgsql"),
    },
}
CASES = [(d, w) for d, ways in WEAKENED.items() for w in ways]


@pytest.mark.parametrize(("dialect", "way"), CASES, ids=[f"{d}-{w}" for d, w in CASES])
def test_a_trigger_weakened_but_still_refusing_something_is_named(request, dialect, way):
    url = request.getfixturevalue(f"victim_{dialect}")
    name, statement = WEAKENED[dialect][way]
    table = next(t.table for t in TRIGGERS[dialect] if t.name == name)
    if not statement.startswith("CREATE OR REPLACE FUNCTION"):
        sql(url, f"DROP TRIGGER {name}" + (f" ON {table}" if dialect == "postgresql" else ""))
    sql(url, statement)
    code, output = verify(url)
    assert code == 1, output
    assert f"safeguard: trigger {name} on {table} is altered" in output, output
    assert sum(line.startswith("safeguard:") for line in output.splitlines()) == 1, output


def test_a_trigger_recreated_as_it_was_in_other_case_spacing_and_quoting_passes(victim):
    if _dialect(victim) == "postgresql":
        sql(victim, "DROP TRIGGER reports_immutable ON reports")
        sql(victim, 'create trigger "reports_immutable"   before update or delete on "reports" for each row '
                    "execute function truce_reports_immutable()")
        sql(victim, "create or replace function truce_reports_immutable() returns trigger as $$\n  BEGIN\n"
                    f"    RAISE EXCEPTION '{REPORTS_IMMUTABLE}';\n  END\n$$ language plpgsql")
    else:
        sql(victim, "DROP TRIGGER reports_no_delete")
        sql(victim, 'create trigger "reports_no_delete" before delete on [reports]\n  begin select raise ( abort , '
                    f"'{REPORTS_IMMUTABLE}' ) ; end")
    code, output = verify(victim)
    assert code == 0 and "every safeguard trigger in place" in output, output
