"""The demo theatre through the `truce` command, as a user would run it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from truce.cli import app

runner = CliRunner()


def truce(*args: str, width: int = 250):
    return runner.invoke(app, list(args), terminal_width=width, env={"COLUMNS": str(width)})


def test_demo_has_the_promised_scale(demo_db_path):
    with sqlite3.connect(demo_db_path) as c:
        incidents = c.execute("SELECT count(*) FROM incidents").fetchone()[0]
        claims = c.execute("SELECT count(*) FROM claims").fetchone()[0]
        places = c.execute("SELECT count(*) FROM places").fetchone()[0]
        agreements = [n for (n,) in c.execute("SELECT name FROM agreements ORDER BY start")]
    assert incidents >= 40 and claims >= 60 and places >= 870
    assert agreements[0] == "Humanitarian truce of 10 October 2020"
    assert len(agreements) == 4


def test_readme_states_the_demos_true_size(demo_db_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"(\d+) incidents and (\d+) claims", readme)
    assert stated, "README no longer says how big the demo is"
    with sqlite3.connect(demo_db_path) as c:
        incidents = c.execute("SELECT count(*) FROM incidents").fetchone()[0]
        claims = c.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert (int(stated[1]), int(stated[2])) == (incidents, claims)


def test_loading_the_demo_twice_is_refused_and_changes_nothing(demo_db):
    with sqlite3.connect(demo_db) as c:
        before = c.execute("SELECT count(*) FROM ledger").fetchone()[0]
    result = truce("demo", "load", "--db", str(demo_db))
    assert result.exit_code != 0
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT count(*) FROM ledger").fetchone()[0] == before


def test_khankendi_finds_stepanakert(demo_db_path):
    result = truce("places", "search", "Khankendi", "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    assert "39.8" in result.output and "46.7" in result.output and "AZ" in result.output
    for spelling in ("Stepanakert", "Step'anakert", "Shushi", "Shusha", "Vardenis"):
        assert truce("places", "search", spelling, "--db", str(demo_db_path)).exit_code == 0, spelling


def test_martuni_lists_both_armenian_towns_and_khojavend(demo_db_path):
    result = truce("places", "search", "Martuni", "--db", str(demo_db_path))
    assert result.exit_code == 0
    assert "Khojavend" in result.output
    assert result.output.count(" AM ") >= 2


def test_place_search_shows_control_on_a_date(demo_db_path):
    result = truce("places", "search", "Hadrut", "--on", "2020-10-20", "--db", str(demo_db_path))
    assert result.exit_code == 0
    assert "AZE" in result.output
    before = truce("places", "search", "Hadrut", "--on", "2020-10-01", "--db", str(demo_db_path))
    assert "AZE" not in before.output


def test_cross_border_strike_is_listed_on_14_october(demo_db_path):
    result = truce("incidents", "list", "--from", "2020-10-14", "--to", "2020-10-15",
                   "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    assert "inc-20201014-arm-launchers" in result.output
    assert "Vardenis" in result.output


def test_incident_show_puts_both_parties_claims_side_by_side(demo_db_path):
    result = truce("incidents", "show", "inc-20201014-arm-launchers", "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    assert "Claims, side by side" in result.output
    assert "(AZE)" in result.output and "(ARM)" in result.output
    assert "asserts" in result.output and "confirms" in result.output


def test_bukharli_is_unresolved_at_country_precision(demo_db_path):
    result = truce("places", "unresolved", "--db", str(demo_db_path))
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "Bukharli" in line)
    assert "AZ" in line and "country" in line
    with sqlite3.connect(demo_db_path) as c:
        row = c.execute("SELECT latitude, place_id FROM incidents WHERE place_name = 'Bukharli'").fetchone()
    assert row == (None, None)


def test_bad_filter_values_are_one_line_errors(demo_db_path):
    bad = [
        ("--from", "2020-10-15", "--to", "2020-10-14"),
        ("--from", "14/10/2020"),
        ("--grade", "probable"),
        ("--type", "Skirmish"),
    ]
    for args in bad:
        result = truce("incidents", "list", *args, "--db", str(demo_db_path))
        assert result.exit_code != 0, args


def test_demo_shows_every_grade(demo_db_path):
    with sqlite3.connect(demo_db_path) as c:
        grades = {g for (g,) in c.execute("SELECT DISTINCT grade FROM incidents")}
    assert grades == {"verified", "corroborated", "single-source", "contested", "discounted"}


def test_claims_shown_false_are_kept_but_not_counted(demo_db_path):
    with sqlite3.connect(demo_db_path) as c:
        discounted = c.execute("SELECT count(*) FROM claims WHERE status = 'discounted'").fetchone()[0]
        ledgered = c.execute("SELECT count(*) FROM ledger WHERE action = 'claim.discount'").fetchone()[0]
    assert discounted == ledgered >= 1


def test_grade_reasons_explain_a_wire_relaying_a_ministry(demo_db_path):
    result = truce("incidents", "show", "inc-20201014-arm-launchers", "--db", str(demo_db_path))
    flat = " ".join(result.output.split())
    assert "3 outlets relaying Azerbaijani MoD statement on destroyed missile launchers" in flat
    assert "2 independent origins" in flat  # the two ministries, not the outlets relaying them
    assert "grade corroborated" in result.output


def test_control_on_a_date_lists_places_by_controller_with_grade(demo_db_path):
    result = truce("control", "on", "2020-10-15", "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    hadrut = next(line for line in result.output.splitlines() if "Hadrut" in line)
    assert "AZE" in hadrut and "contested" in hadrut
    early = truce("control", "on", "2020-10-01", "--db", str(demo_db_path))
    assert "Hadrut" not in early.output


def test_place_history_shows_each_change_with_its_claims(demo_db_path):
    result = truce("control", "history", "Hadrut", "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    assert "NKR -> AZE" in result.output
    assert "asserts" in result.output and "denies" in result.output


def test_casualties_in_aggregate_are_ranges_and_the_partial_toll_is_a_lower_bound(demo_db_path):
    result = truce("casualties", "--by", "party", "--by", "category", "--db", str(demo_db_path))
    assert result.exit_code == 0, result.output
    toll = next(line for line in result.output.splitlines() if line.startswith("│ unattributed"))
    cells = [c.strip() for c in toll.split("│")]
    assert cells[3] == "601" and cells[5] == "601+"  # "more than 600": low 601, open-ended
    assert "never added to it" in result.output


def _range_line(incident: str, count: str, db: str) -> str:
    result = truce("incidents", "show", incident, "--db", db)
    return next(line for line in result.output.splitlines() if line.startswith(f"{count}:"))


def test_incident_show_gives_low_best_high_from_disagreeing_sources(demo_db_path):
    # Reuters: two Le Monde reporters injured; CivilNet: four journalists, the same day
    line = _range_line("inc-20201001-martuni-journalists", "civilian injured", str(demo_db_path))
    assert "low 2 / best 2 / high 4" in line


def test_a_later_investigated_toll_supersedes_the_first_days_figures(demo_db_path):
    # 17 Oct: 12 (Prosecutor) and at least 13 (MES) on the day; Amnesty, Jan 2021: 21
    line = _range_line("inc-20201017-ganja-strike", "civilian killed", str(demo_db_path))
    assert "low 21 / best 21 / high 21" in line and "Amnesty" in line


def _proposition_status(incident: str, db: str) -> dict[str, str]:
    result = truce("incidents", "show", incident, "--db", db)
    return {line.split("│")[1].strip(): line.split("│")[2].strip()
            for line in result.output.splitlines()
            if line.startswith("│ ") and line.split("│")[2].strip() in ("agreed", "disputed", "uncontested")}


def test_seed_case_strike_is_agreed_on_what_happened_and_what_was_hit(demo_db_path):
    # Baku called the launchers a legitimate military target (aimed at Ganja and
    # Mingachevir); Yerevan said Azerbaijan struck military equipment: no target dispute
    rows = _proposition_status("inc-20201014-arm-launchers", str(demo_db_path))
    assert rows["happened"] == "agreed"
    assert rows["target_type"] == "agreed"


def test_a_real_target_dispute_and_a_denial_of_happened_show_as_disputed(demo_db_path):
    # 4 Oct: Baku says residential Ganja was hit, Karabakh forces a military airfield
    assert _proposition_status("inc-20201004-ganja-strike", str(demo_db_path))["target_type"] == "disputed"
    # Armenia called the Dashkasan shelling claim disinformation
    assert _proposition_status("inc-20200929-dashkasan-shelling", str(demo_db_path))["happened"] == "disputed"


def test_places_never_changing_hands_are_held_as_on_the_prewar_line(demo_db_path):
    stepanakert = truce("places", "search", "Stepanakert", "--on", "2020-10-15", "--db", str(demo_db_path))
    assert "NKR (held as on the line of contact of 27 September 2020)" in stepanakert.output
    ganja = truce("places", "search", "Ganja", "--on", "2020-10-15", "--db", str(demo_db_path))
    assert "AZE (held as on the line" in ganja.output
    shusha = truce("places", "search", "Shushi", "--on", "2020-11-09", "--db", str(demo_db_path))
    assert "AZE (corroborated, recorded change of 2020-11-08)" in shusha.output


def test_strikes_far_behind_the_line_belong_to_no_front_line_sector(demo_db_path):
    with sqlite3.connect(demo_db_path) as c:
        far = c.execute("SELECT sector, distance_to_line_m FROM incident_geo "
                        "WHERE incident_id = 'inc-20201011-ganja-strike'").fetchone()
        near = c.execute("SELECT sector, distance_to_line_m FROM incident_geo "
                         "WHERE incident_id = 'inc-20201020-banovshalar-shelling'").fetchone()
    assert far[0] is None and far[1] > 30_000
    assert near[0] is not None and near[1] <= 30_000
