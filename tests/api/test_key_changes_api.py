"""Key history and key and role changes over HTTP: one admin proposes, a
second approves; a user replaces their own key with a request signed by the
current one; every refusal is problem+json and changes nothing."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from truce.service.keys import key_request
from truce.service.signing import public_key_text, sign


def _setup(live, suffix: str):
    k1 = Ed25519PrivateKey.generate()
    with live.client("admin1") as c:
        made = c.post("/api/users", json={"name": f"obs-{suffix}", "role": "observer",
                                          "public_key": public_key_text(k1)})
    assert made.status_code == 201, made.text
    return k1, made.json()["token"], live.tokens["admin2"]


def test_a_new_admin_takes_a_second_admin(live):
    with live.client("admin1") as c:
        no_reason = c.post("/api/users", json={"name": "admin-n1", "role": "admin"})
        assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
        made = c.post("/api/users", json={"name": "admin-n1", "role": "admin", "reason": "joins HQ"})
        assert made.status_code == 201, made.text
        body = made.json()
        change, token = body["change"], body["token"]
        assert change.startswith("chg-") and body["user"]["active"] is False
        assert c.post(f"/api/users/changes/{change}/approve").status_code == 403
    with live.client(token=token) as c:
        early = c.get("/api/users")
        assert early.status_code == 401 and "awaits a second admin's approval" in early.text
    with live.client("admin2") as c:
        assert c.post(f"/api/users/changes/{change}/approve").json()["status"] == "approved"
    with live.client(token=token) as c:
        assert c.get("/api/users").status_code == 200
    with live.client("analyst1") as c:
        assert c.post("/api/users", json={"name": "admin-n2", "role": "admin", "reason": "x"}).status_code == 403


def test_a_key_is_replaced_only_with_a_second_admin(live):
    k1, _token, second = _setup(live, "k1")
    k2 = public_key_text(Ed25519PrivateKey.generate())
    with live.client("admin1") as c:
        alone = c.put("/api/users/obs-k1/key", json={"public_key": k2})
        assert alone.status_code == 409 and alone.headers["content-type"].startswith("application/problem+json")
        assert c.post("/api/users/obs-k1/changes", json={"kind": "key", "reason": "x"}).status_code == 422
        assert c.post("/api/users/obs-k1/changes", json={"kind": "key", "reason": "x",
                                                          "public_key": "abc"}).status_code == 422
        proposed = c.post("/api/users/obs-k1/changes", json={"kind": "key", "reason": "new phone",
                                                              "public_key": k2})
        assert proposed.status_code == 201 and proposed.json()["status"] == "pending"
        change = proposed.json()["id"]
        own = c.post(f"/api/users/changes/{change}/approve")
        assert own.status_code == 403 and "second, different admin" in own.json()["detail"]
        assert c.post("/api/users/changes/chg-nothing/approve").status_code == 404
        assert c.get("/api/users/obs-k1/keys").json()["count"] == 1
    with live.client(token=second) as c:
        approved = c.post(f"/api/users/changes/{change}/approve")
        assert approved.status_code == 200 and approved.json()["decided_by"] == "admin2"
        assert c.post(f"/api/users/changes/{change}/reject").status_code == 409
    with live.client("analyst1") as c:
        history = c.get("/api/users/obs-k1/keys").json()["data"]
        assert [k["public_key"] for k in history] == [public_key_text(k1), k2]
        assert history[0]["valid_until"] == history[1]["valid_from"] and history[1]["change_id"] == change
        assert any(ch["id"] == change for ch in c.get("/api/users/changes").json()["data"])
    with live.client("liaison-arm") as c:
        assert c.get("/api/users/obs-k1/keys").status_code == 403
        assert c.get("/api/users/changes").status_code == 403


def test_a_role_changes_only_with_a_second_admin(live):
    _k1, _token, second = _setup(live, "r1")
    with live.client("admin1") as c:
        assert c.post("/api/users/obs-r1/changes", json={"kind": "role", "reason": "x"}).status_code == 422
        assert c.post("/api/users/obs-r1/changes", json={"kind": "role", "role": "liaison",
                                                          "reason": "x"}).status_code == 422  # no party
        change = c.post("/api/users/obs-r1/changes", json={"kind": "role", "role": "analyst",
                                                            "reason": "joins HQ"}).json()["id"]
        assert c.post(f"/api/users/changes/{change}/approve").status_code == 403
        roles = {u["name"]: u["role"] for u in c.get("/api/users").json()["data"]}
        assert roles["obs-r1"] == "observer"
    with live.client(token=second) as c:
        assert c.post(f"/api/users/changes/{change}/approve").json()["status"] == "approved"
        roles = {u["name"]: u["role"] for u in c.get("/api/users").json()["data"]}
        assert roles["obs-r1"] == "analyst"


def test_a_user_replaces_their_key_with_a_request_signed_by_the_current_one(live):
    k1, token, _second = _setup(live, "s1")
    k2 = Ed25519PrivateKey.generate()
    request = key_request("obs-s1", public_key_text(k1), public_key_text(k2), "new phone")
    with live.client(token=token) as c:
        forged = c.post("/api/users/me/key", json=sign(request, k2))
        assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "signature"
        done = c.post("/api/users/me/key", json=sign(request, k1))
        assert done.status_code == 200, done.text
        assert done.json()["public_key"] == public_key_text(k2) and done.json()["change_id"]
        again = c.post("/api/users/me/key", json=sign(request, k1))
        assert again.status_code == 422 and again.json()["errors"][0]["field"] == "replaces"
    with live.client("obs1") as c:  # someone else's key: refused
        assert c.post("/api/users/me/key", json=sign(request, k1)).status_code == 422


def test_a_token_for_another_admin_takes_a_second_admin(live):
    with live.client("admin1") as c:
        made = c.post("/api/users", json={"name": "admin-t1", "role": "admin", "reason": "joins HQ"}).json()
    with live.client("admin2") as c:
        assert c.post(f"/api/users/changes/{made['change']}/approve").status_code == 200
    old = made["token"]
    with live.client("admin1") as c:
        no_reason = c.post("/api/users/admin-t1/token")
        assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
        proposed = c.post("/api/users/admin-t1/token", json={"reason": "lost laptop"})
        assert proposed.status_code == 201, proposed.text
        change, new = proposed.json()["change"], proposed.json()["token"]
        assert c.post(f"/api/users/changes/{change}/approve").status_code == 403
    with live.client(token=new) as c:
        assert c.get("/api/users").status_code == 401  # waits for the second admin
    with live.client(token=old) as c:
        assert c.get("/api/users").status_code == 200
        assert c.post(f"/api/users/changes/{change}/approve").status_code == 200  # the admin it is for
    with live.client(token=new) as c:
        assert c.get("/api/users").status_code == 200
    with live.client(token=old) as c:
        assert c.get("/api/users").status_code == 401
