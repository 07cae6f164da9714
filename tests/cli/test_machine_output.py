"""What scripts read from the CLI on the demo store: sectors by their neutral
names (the stored key beside them), casualties by day in date order, snake_case
keys, null for nothing, booleans as booleans; and what people read: counts
with the right plural, a period in the theatre's time."""

from __future__ import annotations

import csv
import io
import json

from cli_main import run_main, token_for


def _out(db, *args: str) -> str:
    done = run_main(*args, "--db", str(db), env={"TRUCE_TIMEZONE": "Asia/Baku"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _lines(db, *args: str) -> list[dict]:
    return [json.loads(line) for line in _out(db, *args, "--format", "json").splitlines()]


def test_violations_by_sector_name_both_sides_in_json_and_csv_with_the_key_beside(demo_db_path):
    rows = _lines(demo_db_path, "violations", "--agreement", "truce-2020-10-10", "--by", "sector")
    north = next(r for r in rows if r["sector_key"] == "Kalbajar-Murovdag (north)")
    assert north["sector"] == "Karvachar-Mrav / Kalbajar-Murovdag (north)"
    table = list(csv.DictReader(io.StringIO(_out(demo_db_path, "violations", "--agreement", "truce-2020-10-10",
                                                  "--by", "sector", "--format", "csv"))))
    assert {r["sector"] for r in table} == {r["sector"] for r in rows}
    assert "Karvachar-Mrav / Kalbajar-Murovdag (north)" in _out(
        demo_db_path, "violations", "--agreement", "truce-2020-10-10", "--by", "sector")


def test_alerts_as_json_name_the_sector_both_sides_with_the_key_beside(demo_db_path):
    located = [a for a in _lines(demo_db_path, "alerts", "list", "--all") if a["sector_key"]]
    assert located and all(" / " in a["sector"] and "sector_name" not in a for a in located)


def test_casualties_by_day_are_in_date_order(demo_db_path):
    days = [r["day"] for r in _lines(demo_db_path, "casualties", "--by", "day")]
    assert len(days) > 3 and days == sorted(days)


def test_users_as_json_have_snake_case_keys_and_null_for_no_key(demo_db_path):
    users = _lines(demo_db_path, "users", "list")
    assert users and all(all(k == k.lower() and " " not in k for k in u) for u in users)
    assert all(u["public_key"] is None or u["public_key"] for u in users)
    assert "" not in [v for u in users for v in u.values()]


def test_a_case_list_gives_overdue_as_a_boolean_and_counts_one_case_as_one(demo_db):
    _out(demo_db, "cases", "open", "--agreement", "truce-2020-10-10", "--incident",
         "inc-20201014-bukharli-bombardment", "--summary", "Shelling of Bukharli",
         "--token", token_for("demo-analyst", demo_db))
    [case] = _lines(demo_db, "cases", "list")
    assert case["overdue"] is False
    assert _out(demo_db, "cases", "list").startswith("1 case\n")


def test_counts_of_one_are_singular(demo_db_path):
    assert _out(demo_db_path, "users", "keys", "demo-field-observer").startswith("1 key of demo-field-observer\n")
    assert _out(demo_db_path, "incidents", "list", "--from", "2020-09-28", "--to", "2020-09-28") \
        .startswith("1 incident\n")


def test_the_violations_period_is_in_the_theatres_time(demo_db_path):
    head = _out(demo_db_path, "violations", "--agreement", "truce-2020-10-10").splitlines()[0]
    assert "(Asia/Baku)" in head and "+00:00" not in head and "T08:00" not in head


def test_a_moment_is_written_to_the_whole_second_everywhere_and_the_ledger_still_verifies(demo_db_path):
    """The demo's alerts are raised at load time, with microseconds: every
    machine-readable moment drops them (``utc_iso``), the ledger keeps its own."""
    import re

    rows = _lines(demo_db_path, "alerts", "list")
    assert rows and all(r["raised_at"].endswith("Z") for r in rows)
    moments = [v for r in rows for v in r.values() if isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\dT", v)]
    assert moments and not [m for m in moments if re.search(r"\.\d+Z$", m)], moments
    assert "every record row matches" in _out(demo_db_path, "ledger", "verify")


def test_an_advance_names_one_party_for_every_term_it_breaks(demo_db_path):
    """A capture of ground is a battle: the party that took it is responsible
    for its no_fire as for its no_advance (the eight villages of 14 Oct are
    Azerbaijan's for both), so per day and party there are at least as many
    no_fire violations as no_advance ones, confirmed and unconfirmed alike."""
    rows = _lines(demo_db_path, "violations", "-a", "truce-2020-10-10", "--by", "day", "--by", "party",
                  "--by", "term")
    by = {(r["day"], r["party"], r["term"]): r for r in rows}
    advances = [r for r in rows if r["term"] == "no_advance"]
    assert ("2020-10-14", "AZE", "no_advance") in by
    for r in advances:
        fire = by.get((r["day"], r["party"], "no_fire"), {"confirmed": 0, "unconfirmed": 0})
        assert fire["confirmed"] >= r["confirmed"] and fire["unconfirmed"] >= r["unconfirmed"], (r, fire)
