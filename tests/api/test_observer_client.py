"""The reference field client: keygen, submit, queue when the server is out
of reach, sync later; each report stored once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from live import free_port
from typer.testing import CliRunner

from truce.cli import app
from truce.store import tables as t

runner = CliRunner()


def test_submit_queues_when_offline_and_sync_sends_once(live, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["observer", "keygen", "--key", "field.key"])
    assert result.exit_code == 0, result.output
    public = (tmp_path / "field.key.pub").read_text().strip()
    with live.client("admin1") as c:
        token = c.post("/api/users", json={"name": "field-obs", "role": "observer",
                                           "public_key": public}).json()["token"]
    report = {
        "kind": "situation", "summary": "Calm all day; no firing heard.",
        "observed_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds"),
        "position": {"latitude": 39.8, "longitude": 46.75},
    }
    (tmp_path / "report.json").write_text(json.dumps(report))
    dead = f"http://127.0.0.1:{free_port()}"
    rows = live.count(t.reports)

    offline = runner.invoke(app, ["observer", "submit", "report.json", "--key", "field.key",
                                  "--server", dead, "--token", token])
    assert offline.exit_code == 0, offline.output
    assert "queued" in offline.output
    queued = (tmp_path / "truce-outbox.jsonl").read_text().splitlines()
    assert len(queued) == 1 and live.count(t.reports) == rows
    assert (tmp_path / "truce-outbox.jsonl").stat().st_mode & 0o077 == 0  # holds exact positions

    still_down = runner.invoke(app, ["observer", "sync", "--server", dead, "--token", token])
    assert still_down.exit_code == 1 and "still queued 1" in still_down.output

    synced = runner.invoke(app, ["observer", "sync", "--server", live.base_url, "--token", token])
    assert synced.exit_code == 0, synced.output
    assert "sent 1" in synced.output
    assert live.count(t.reports) == rows + 1
    assert (tmp_path / "truce-outbox.jsonl").read_text() == ""

    # the same signed report flushed again (a second device copy) is stored once
    (tmp_path / "truce-outbox.jsonl").write_text(queued[0] + "\n")
    again = runner.invoke(app, ["observer", "sync", "--server", live.base_url, "--token", token])
    assert again.exit_code == 0 and live.count(t.reports) == rows + 1


def test_submit_refused_report_exits_non_zero_with_the_reason(live, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["observer", "keygen", "--key", "k.key"])  # never registered
    (tmp_path / "r.json").write_text(json.dumps({
        "kind": "situation", "summary": "Calm.", "observed_at": datetime.now(UTC).isoformat(),
        "position": {"latitude": 39.8, "longitude": 46.75}}))
    result = runner.invoke(app, ["observer", "submit", "r.json", "--key", "k.key",
                                 "--server", live.base_url, "--token", live.tokens["obs1"]])
    assert result.exit_code == 1
    assert "signature" in result.output
    assert not (tmp_path / "truce-outbox.jsonl").exists()
