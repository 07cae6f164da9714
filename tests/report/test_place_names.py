"""An incident made from an observer report has a point but no place of its own:
every output names it after the nearest gazetteer place ("3 km NE of Tartar"),
through the one naming function (truce.geo.naming.place_label)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from cli_main import token_for
from demo_store import THEATRE_TZ, build_demo_store, file_observer_report, run_truce

MIDDAY = datetime(2020, 10, 14, 12, tzinfo=ZoneInfo(THEATRE_TZ))
WHERE = "3 km NE of Tartar"  # two impacts 3 km at 45° from an observer in Tartar


def test_an_incident_from_an_observer_report_is_named_after_the_nearest_place_in_every_output(
        tmp_path: Path) -> None:
    url = build_demo_store(tmp_path / "demo.db")
    report = file_observer_report(url, MIDDAY)
    made = run_truce("review", "incident", report, "--type", "Explosions/Remote violence",
                     "--title", "Impacts seen by a patrol", "--token", token_for("demo-analyst", url), url=url)
    incident = re.search(r"Created (inc-[0-9a-f]{12})", made).group(1)
    run_truce("incidents", "publish", incident, "--token", token_for("demo-analyst", url), url=url)

    out = tmp_path / "out"
    run_truce("report", "--date", "2020-10-14", "--edition", "public", "-o", str(out), url=url)
    page = (out / "2020-10-14.html").read_text(encoding="utf-8")
    assert re.search(rf"Impacts seen by a patrol</a></td><td>{WHERE}</td>", page)
    pdf = " ".join(p.extract_text() for p in PdfReader(out / "2020-10-14.pdf").pages)
    assert WHERE in re.sub(r"\s+", " ", pdf)

    shown = json.loads(run_truce("incidents", "show", incident, "--format", "json", url=url))
    assert shown["place_label"] == WHERE
    listed = run_truce("incidents", "list", "--from", "2020-10-14", "--to", "2020-10-14", "--format", "json",
                       url=url)
    assert any(json.loads(r)["place"] == WHERE for r in listed.splitlines() if incident in r)
