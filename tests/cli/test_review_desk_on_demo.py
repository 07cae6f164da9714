"""The analyst's desk for observer reports on the demo store, through the CLI:
what the queue suggests a report may belong to, and what it says of a report
that answered a task."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cli_main import token_for
from demo_store import THEATRE_TZ, build_demo_store, file_observer_report, run_truce

MIDDAY = datetime(2020, 10, 14, 12, tzinfo=ZoneInfo(THEATRE_TZ))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    return build_demo_store(tmp_path_factory.mktemp("desk") / "demo.db")


def queued(url: str) -> dict[str, dict]:
    out = run_truce("review", "list", "--kind", "report", "--format", "json", url=url)
    return {row["id"]: row for row in map(json.loads, out.splitlines())}


def test_a_fresh_demo_has_signed_observer_reports_waiting_near_the_line_on_a_demo_day(tmp_path):
    fresh = build_demo_store(tmp_path / "fresh.db")
    rows = list(queued(fresh).values())
    assert len(rows) == 3 and {r["status"] for r in rows} == {"waiting"}
    assert all("2020-09-27" <= r["observed_at"][:10] <= "2020-11-10" for r in rows)
    assert all(39.3 < r["estimate"]["latitude"] < 40.5 and 46.5 < r["estimate"]["longitude"] < 47.4
               for r in rows)  # beside the line of contact
    assert "3 observer reports waiting" in run_truce("review", "list", "--kind", "report", url=fresh)
    made = run_truce("review", "incident", rows[0]["id"], "--type", "Explosions/Remote violence",
                     "--token", token_for("demo-analyst", fresh), url=fresh)
    assert made.startswith("Created inc-") and len(queued(fresh)) == 2


def test_an_artillery_report_is_suggested_fire_of_its_kind_never_a_change_of_control(demo):
    artillery = file_observer_report(demo, MIDDAY)
    drone = file_observer_report(demo, MIDDAY, observations=[{
        "what": "drone", "how": "seen", "count": 1, "bearing_deg": 45, "distance_m": 3000,
        "weapon_class": "armed_drone"}])
    rows = queued(demo)
    assert "inc-20201014-eight-villages" not in rows[artillery]["suggestions"]  # ground taken
    assert "inc-20201014-bukharli-bombardment" in rows[artillery]["suggestions"]  # artillery, in AZ
    assert "inc-20201014-bukharli-bombardment" not in rows[drone]["suggestions"]
    shown = " ".join(run_truce("review", "list", "--kind", "report", url=demo).split())
    assert "same kind (indirect fire)" in shown


def test_alerts_list_writes_moments_in_utc_for_machines_and_in_the_theatres_zone_for_people(demo):
    listed = run_truce("alerts", "list", "--all", "--format", "json", url=demo)
    rows = [json.loads(r) for r in listed.splitlines()]
    assert rows and all(r["event_at"].endswith("Z") and r["raised_at"].endswith("Z") for r in rows)
    table = run_truce("alerts", "list", "--all", url=demo)
    assert "(Asia/Baku)" in table and "+00:00" not in table and "UTC" not in table


def test_a_report_answering_a_case_task_says_so_in_the_queue_and_the_task_names_it(demo):
    analyst = token_for("demo-analyst", demo)
    opened = run_truce("cases", "open", "--agreement", "truce-2020-10-10", "--incident",
                       "inc-20201014-bukharli-bombardment", "--summary", "Shelling of Bukharli",
                       "--token", analyst, url=demo)
    case_id = re.search(r"case (\S+) open", opened).group(1)
    tasked = run_truce("cases", "task", case_id, "--title", "Bukharli craters", "--look-for", "fresh craters",
                       "--from", "2020-10-14T06:00+04:00", "--to", "2020-10-14T18:00+04:00",
                       "--token", analyst, url=demo)
    task_id = re.search(r"task (task-[0-9a-f]{16})", tasked).group(1)
    answer = file_observer_report(demo, MIDDAY, task=task_id)
    waiting = file_observer_report(demo, MIDDAY)

    rows = queued(demo)
    assert rows[answer]["status"] == f"answered task {task_id} of case {case_id}"
    assert rows[answer]["answers"] == [{"task_id": task_id, "title": "Bukharli craters", "case_id": case_id}]
    assert rows[waiting]["status"] == "waiting"
    assert f"status: answered task {task_id} of case {case_id}" in run_truce(
        "review", "list", "--kind", "report", url=demo)
    assert answer in run_truce("tasks", "list", url=demo)  # the task names the report that answered it
