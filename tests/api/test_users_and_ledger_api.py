"""Admins manage users and tokens; the ledger head is public and changes
with every write; verification names a tampered entry."""

from __future__ import annotations

from sqlalchemy import text

from truce.service.signing import generate_key


def test_admin_adds_a_user_whose_token_works_once_shown(live):
    with live.client("admin1") as c:
        response = c.post("/api/users", json={"name": "obs-new", "role": "observer"})
        assert response.status_code == 201, response.text
        token = response.json()["token"]
        listed = c.get("/api/users").json()
    assert token not in str(listed) and "token_hash" not in str(listed)
    with live.client(token=token) as c:
        assert c.get("/api/users/me").json()["role"] == "observer"


def test_liaison_needs_a_party_and_others_must_not_have_one(live):
    with live.client("admin1") as c:
        assert c.post("/api/users", json={"name": "l-x", "role": "liaison"}).status_code == 422
        assert c.post("/api/users", json={"name": "a-x", "role": "analyst",
                                          "party": "ARM"}).status_code == 422
        assert c.post("/api/users", json={"name": "admin1", "role": "admin"}).status_code == 409


def test_rotated_token_replaces_the_old_one_and_deactivation_stops_it(live):
    with live.client("admin1") as c:
        old = c.post("/api/users", json={"name": "rotating", "role": "analyst"}).json()["token"]
        new = c.post("/api/users/rotating/token").json()["token"]
    with live.client(token=old) as c:
        assert c.get("/api/users/me").status_code == 401
    with live.client(token=new) as c:
        assert c.get("/api/users/me").status_code == 200
    with live.client("admin1") as c:
        assert c.post("/api/users/rotating/deactivate").json()["active"] is False
    with live.client(token=new) as c:
        assert c.get("/api/users/me").status_code == 401


def test_admin_registers_a_key_and_bad_keys_are_refused(live):
    _private, public = generate_key()
    with live.client("admin1") as c:
        c.post("/api/users", json={"name": "keyed", "role": "observer"})
        assert c.put("/api/users/keyed/key", json={"public_key": public}).json()["public_key"] == public
        assert c.put("/api/users/keyed/key", json={"public_key": "abc"}).status_code == 422


def test_ledger_head_moves_with_each_write(live, signed):
    with live.client() as c:
        before = c.get("/api/ledger/head").json()
    with live.client("obs1") as c:
        assert c.post("/api/reports", json=signed()).status_code == 201
    with live.client() as c:
        after = c.get("/api/ledger/head").json()
    assert after["seq"] > before["seq"] and after["head"] != before["head"]


def test_ledger_verify_names_the_first_altered_entry(live):
    with live.engine.begin() as c:
        seq, original = c.execute(text("SELECT seq, content FROM ledger WHERE seq = 3")).one()
        c.execute(text("UPDATE ledger SET content = :v WHERE seq = 3"), {"v": '{"forged": true}'})
    try:
        with live.client("analyst1") as c:
            check = c.get("/api/ledger/verify").json()
        assert check["ok"] is False and check["first_bad"] == 3
        assert "altered" in check["reason"]
    finally:
        with live.engine.begin() as c:
            c.execute(text("UPDATE ledger SET content = :v WHERE seq = 3"),
                      {"v": original if isinstance(original, str) else __import__("json").dumps(original)})
    with live.client("analyst1") as c:
        assert c.get("/api/ledger/verify").json()["ok"] is True
