"""Neutral names: one naming setting per theatre (script, whose name first,
both names for disputed places), used alike by every output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.data import DATA_DIR
from truce.geo.geometry import read_line_versions
from truce.geo.naming import latin, load_naming

runner = CliRunner()


def truce_json(*args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "json"], env={"COLUMNS": ""})
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


@pytest.mark.parametrize("name, label", [
    ("Khankendi", "Stepanakert / Khankendi"), ("Stepanakert", "Stepanakert / Khankendi"),
    ("Shusha", "Shushi / Shusha"), ("Aghdara", "Martakert / Aghdara"), ("Hadrut", "Hadrut"),
    ("Khojavend", "Martuni / Khojavend"), ("Naxcivan", "Nakhchivan"), ("Sirvan", "Shirvan"),
    ("Shamkhir", "Shamkhir"),
])
def test_place_search_names_places_neutrally_in_one_script(demo_db_path, name, label):
    rows = truce_json("places", "search", name, "--db", str(demo_db_path))
    assert rows[0]["name"] == label
    assert all(ch.isascii() for row in rows for ch in row["name"])


def test_main_towns_carry_corrected_populations(demo_db_path):
    stepanakert = truce_json("places", "search", "Stepanakert", "--db", str(demo_db_path))[0]
    assert stepanakert["population"] == 55200  # GeoNames says 2,100


def test_incident_lists_and_exports_use_the_same_names(demo_db_path, tmp_path):
    listed = truce_json("incidents", "list", "--place", "Stepanakert", "--db", str(demo_db_path))
    assert listed and {r["place"] for r in listed} == {"Stepanakert / Khankendi"}
    out = tmp_path / "x.geojson"
    result = runner.invoke(app, ["export", "geojson", "--place", "Stepanakert", "-o", str(out),
                                 "--db", str(demo_db_path)])
    assert result.exit_code == 0, result.output
    labels = {f["properties"]["place_label"] for f in json.loads(out.read_text())["features"]}
    assert labels == {"Stepanakert / Khankendi"}
    csv_out = tmp_path / "x.csv"
    runner.invoke(app, ["export", "csv", "--place", "Shusha", "-o", str(csv_out), "--db", str(demo_db_path)])
    assert "Shushi / Shusha" in csv_out.read_text()


def test_the_naming_setting_decides_order_and_both_names(demo_db_path, tmp_path):
    setting = tmp_path / "naming.toml"
    setting.write_text('[theatre]\nscript = "latin"\nfirst = "AZE"\nboth = false\n'
                       '[disputed."gn:146970"]\nARM = "Stepanakert"\nAZE = "Khankendi"\n')
    env = {**os.environ, "TRUCE_NAMING_CONFIG": str(setting)}
    done = subprocess.run([sys.executable, "-m", "truce", "places", "search", "Stepanakert", "--format",
                           "json", "--db", str(demo_db_path)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["name"] == "Khankendi"
    both = load_naming(setting).label("gn:146970", "Khankendi")
    assert both == "Khankendi"


def test_azerbaijani_letters_become_english_style_latin():
    assert [latin(n) for n in ("Naxçıvan", "Şirvan", "Qubadlı", "Laçın", "Xaçmaz")] == [
        "Nakhchivan", "Shirvan", "Gubadli", "Lachin", "Khachmaz"]


NORTH = "Karvachar-Mrav / Kalbajar-Murovdag (north)"  # the line file's "Kalbajar-Murovdag (north)"


def test_sectors_are_named_like_places_by_the_naming_setting(tmp_path):
    shipped = load_naming(DATA_DIR / "naming.toml")
    assert shipped.sector_label("Kalbajar-Murovdag (north)") == NORTH
    assert shipped.sector_label("Khojavend-Martuni") == "Martuni / Khojavend"
    assert shipped.sector_label("Tartar-Aghdara (north)") == "Tartar-Martakert / Tartar-Aghdara (north)"
    keys = {sector for _day, sector, _geometry in read_line_versions()}
    assert all(" / " in shipped.sector_label(k) for k in keys), "every sector of the line has both names"
    setting = tmp_path / "naming.toml"
    setting.write_text('[theatre]\nfirst = "AZE"\nboth = false\n'
                       '[disputed."gn:586268"]\nARM = "Karvachar"\nAZE = "Kalbajar"\n'
                       '[sectors."Kalbajar-Murovdag (north)"]\n'
                       'parts = ["gn:586268", { ARM = "Mrav", AZE = "Murovdag" }]\nnote = "north"\n')
    assert load_naming(setting).sector_label("Kalbajar-Murovdag (north)") == "Kalbajar-Murovdag (north)"
    setting.write_text('[sectors.x]\nparts = ["gn:0"]\n')
    with pytest.raises(ValueError, match="gn:0"):
        load_naming(setting)


def test_the_cli_and_the_dashboard_name_sectors_through_the_naming_setting(demo_db_path):
    result = runner.invoke(app, ["violations", "--agreement", "Humanitarian truce of 10 October 2020",
                                 "--by", "sector", "--db", str(demo_db_path)], env={"COLUMNS": ""})
    assert result.exit_code == 0, result.output
    assert NORTH in result.output
    assert "Kalbajar-Murovdag (north)" not in result.output.replace(NORTH, "")

    from fastapi.testclient import TestClient

    from truce.api.app import create_app
    from truce.settings import Settings

    with TestClient(create_app(Settings(database_url=f"sqlite:///{demo_db_path}"))) as client:
        page = client.get("/").text
        listed = client.get("/incidents", params={"sector": "Kalbajar-Murovdag (north)"}).text
    assert f'<option value="Kalbajar-Murovdag (north)">{NORTH}</option>' in page
    assert f"sector {NORTH}" in listed


def test_alerts_name_their_sector_through_the_naming_setting(demo_db_path):
    alerts = truce_json("alerts", "list", "--all", "--db", str(demo_db_path))
    with_sector = [a for a in alerts if a["sector_key"]]
    assert with_sector and all(" / " in a["sector"] for a in with_sector)
    spikes = [a["message"] for a in alerts if a["message"].startswith("Spike in")]
    assert spikes and all(m.startswith("Spike in Tartar-Martakert / Tartar-Aghdara (north)") for m in spikes
                          if "Tartar" in m)
