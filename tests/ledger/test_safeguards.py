"""The database's own safeguards, on SQLite and PostgreSQL: a trigger that
keeps reports immutable or key history append-only, dropped, disabled or
replaced with one that refuses nothing, is named by `truce ledger verify`."""

from __future__ import annotations

import pytest

from tamper_kit import sql, verify
from truce.store.safeguards import EXPECTED


def _dialect(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def test_every_safeguard_is_in_place_in_an_untouched_store(victim):
    code, output = verify(victim)
    assert code == 0 and "every safeguard trigger in place" in output, output


@pytest.mark.parametrize("which", [0, 1])
def test_a_dropped_trigger_is_named(victim, which):
    name, (table, _says) = sorted(EXPECTED[_dialect(victim)].items())[which]
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
                 "trigger user_keys_append_only on user_keys is no longer refusing anything"]
    else:
        sql(victim, "DROP TRIGGER reports_no_delete")
        sql(victim, "CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports BEGIN SELECT 1; END")
        named = ["trigger reports_no_delete on reports is no longer refusing anything"]
    code, output = verify(victim)
    assert code == 1
    for line in named:
        assert line in output, output
