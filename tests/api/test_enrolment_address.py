"""The address an enrolment link and its QR code send a phone to: the
configured public address of the server, never one a request names, and
only ever an http(s) address."""

from __future__ import annotations

import uuid

from starlette.testclient import TestClient

from cli_main import run_main
from truce.api.app import create_app
from truce.store import tables as t


def _enrolment_url(client, token: str, host: str) -> str:
    name = f"obs-addr-{uuid.uuid4().hex[:6]}"
    made = client.post(f"/api/users/{name}/enrolment", json={},
                       headers={"Authorization": f"Bearer {token}", "Host": host})
    assert made.status_code == 201, made.text
    return made.json()["url"]


def test_with_a_public_address_set_a_forged_host_does_not_move_the_link(live):
    settings = live.settings.model_copy(update={"public_url": "https://hq.example"})
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        url = _enrolment_url(client, live.tokens["admin1"], "evil.example")
    assert url.startswith("https://hq.example/field/#enrol=")


def test_an_enrolment_address_that_is_no_web_address_is_refused_and_nothing_is_made(live):
    before = live.count(t.enrolments)
    done = run_main("users", "enrol", "obs-js", "--server", "javascript:alert(1)",
                    "--token", live.tokens["admin1"], "--db", live.settings.database_url)
    assert done.returncode == 1 and "--server must be the http:// or https:// address" in done.stderr
    assert live.count(t.enrolments) == before


def test_a_bad_setting_is_named_in_one_line_for_every_command(live):
    done = run_main("incidents", "list", "--db", live.settings.database_url,
                    env={"TRUCE_PUBLIC_URL": "javascript:alert(1)", "TRUCE_DB_LOCK_TIMEOUT_S": "soon"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "TRUCE_PUBLIC_URL" in done.stderr and "TRUCE_DB_LOCK_TIMEOUT_S" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_guessing_enrolment_codes_is_rate_limited_and_a_real_code_still_enrols(live):
    from truce.service.signing import generate_key

    limit = 5
    settings = live.settings.model_copy(update={"auth_failures_per_client": limit})
    _private, public = generate_key()
    with TestClient(create_app(settings)) as client:  # its own throttle: other tests are not slowed
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        guesses = [client.post("/api/enrol", json={"code": f"AAAA-BBBB-CCC{letters[n]}",
                                                   "public_key": public})
                   for n in range(limit + 2)]
        url = _enrolment_url(client, live.tokens["admin1"], "testserver")
        enrolled = client.post("/api/enrol", json={"code": url.rsplit("=", 1)[1], "public_key": public})
    assert {g.status_code for g in guesses[:limit]} == {422}
    assert [g.status_code for g in guesses[limit:]] == [429, 429]
    assert int(guesses[-1].headers["retry-after"]) >= 1 and "enrolment code" in guesses[-1].json()["detail"]
    assert enrolled.status_code == 201, enrolled.text
