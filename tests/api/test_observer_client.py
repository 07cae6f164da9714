"""The reference field client: keygen, submit, queue when the server is out
of reach, sync later; each report stored once."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from live import free_port
from typer.testing import CliRunner

from cli_main import run_main
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
    kept = (tmp_path / "truce-outbox.jsonl.rejected").read_text().splitlines()
    assert len(kept) == 1 and "signature" in json.loads(kept[0])["reason"]  # refused, not lost


def _field_observer(live, tmp_path, name: str) -> str:
    """A registered observer with a key in tmp_path/field.key; its token."""
    assert run_main("observer", "keygen", "--key", str(tmp_path / "field.key")).returncode == 0
    public = (tmp_path / "field.key.pub").read_text().strip()
    with live.client("admin1") as c:
        return c.post("/api/users", json={"name": name, "role": "observer", "public_key": public}).json()["token"]


def _report(**overrides) -> dict:
    return {"kind": "situation", "summary": "Calm all day.",
            "observed_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds"),
            "position": {"latitude": 39.8, "longitude": 46.75}, **overrides}


def test_a_number_json_cannot_carry_is_refused_in_one_line_naming_it(live, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    token = _field_observer(live, tmp_path, f"field-nan-{uuid.uuid4().hex[:6]}")
    rows = live.count(t.reports)
    for text, named in (('{"kind": "situation", "position": {"latitude": NaN, "longitude": 46.7}}',
                         "position.latitude"),
                        ('{"id": 1e400, "kind": "situation"}', "id")):
        (tmp_path / "r.json").write_text(text)
        done = run_main("observer", "submit", "r.json", "--key", "field.key", "--server", live.base_url,
                        "--token", token)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert named in done.stderr and "finite" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert live.count(t.reports) == rows and not (tmp_path / "truce-outbox.jsonl").exists()


def test_a_report_refused_for_its_token_waits_in_the_outbox_for_a_new_token(live, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    token = _field_observer(live, tmp_path, f"field-401-{uuid.uuid4().hex[:6]}")
    (tmp_path / "r.json").write_text(json.dumps(_report()))
    rows = live.count(t.reports)
    wrong = run_main("observer", "submit", "r.json", "--key", "field.key", "--server", live.base_url,
                     "--token", token[:-4] + "xxxx")
    assert wrong.returncode == 0 and "token refused (401)" in wrong.stdout and "queued" in wrong.stdout
    assert len((tmp_path / "truce-outbox.jsonl").read_text().splitlines()) == 1
    assert live.count(t.reports) == rows
    synced = run_main("observer", "sync", "--server", live.base_url, "--token", token)
    assert synced.returncode == 0 and "sent 1" in synced.stdout, synced.stdout + synced.stderr
    assert live.count(t.reports) == rows + 1


def test_a_server_that_is_no_web_address_is_refused_before_signing(live, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    token = _field_observer(live, tmp_path, f"field-url-{uuid.uuid4().hex[:6]}")
    (tmp_path / "r.json").write_text(json.dumps(_report()))
    for server in ("javascript:alert(1)", "file:///etc/passwd", "ftp://hq"):
        for command in (("submit", "r.json", "--key", "field.key"), ("sync",)):
            done = run_main("observer", *command, "--server", server, "--token", token)
            assert done.returncode == 1 and "--server must be an http:// or https:// URL" in done.stderr, done
    assert not (tmp_path / "truce-outbox.jsonl").exists()
