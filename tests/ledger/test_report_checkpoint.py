"""The daily report prints the cosigned checkpoint that covers its data."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from demo_store import run_truce
from truce.cli import app

pytestmark = pytest.mark.slow

runner = CliRunner()


def test_daily_report_prints_the_cosigned_checkpoint_in_html_and_pdf(demo_db, tmp_path, monkeypatch):
    for name, args in (("log", []), ("arm", ["--witness"])):
        result = runner.invoke(app, ["ledger", "keygen", "-o", str(tmp_path / f"{name}.key"),
                                     "--name", f"{name}.example/k", *args])
        assert result.exit_code == 0, result.output
    url = f"sqlite:///{demo_db}"
    monkeypatch.setenv("TRUCE_LOG_KEY", str(tmp_path / "log.key"))
    (tmp_path / "cp.txt").write_text(run_truce("ledger", "checkpoint", "--db", url, url=url))
    run_truce("ledger", "cosign", str(tmp_path / "cp.txt"), "--key", str(tmp_path / "arm.key"),
              "--log-key", str(tmp_path / "log.key.pub"), "--db", url, url=url)
    out = tmp_path / "out"
    run_truce("report", "--date", "2020-10-14", "-o", str(out), "--db", url, url=url)

    size = (tmp_path / "cp.txt").read_text().split("\n")[1]
    page = (out / "2020-10-14.html").read_text(encoding="utf-8")
    assert f"ledger entries 1 to {size}" in page and "arm.example/k cosigned" in page
    assert re.search(r"\u2014 arm\.example/k \S+", page)  # the cosignature line itself
    assert "not yet in a cosigned checkpoint" not in page
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out / "2020-10-14.pdf").pages))
    assert "Ledger checkpoint" in text and "arm.example/k cosigned" in text
