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
