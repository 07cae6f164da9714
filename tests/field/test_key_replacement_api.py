"""A device replaces its own key over real HTTP (``POST /api/users/me/key``,
signed with the current key): later reports verify against the new key,
earlier ones against the old, and a retry of a report received before the
change is still answered as the first time."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from field_helpers import enrol_with_key, make_report

from truce.service.keys import key_request
from truce.service.signing import public_key_text, sign


def test_a_retry_after_the_key_changed_is_answered_as_before_and_the_old_key_signs_nothing_new(field_server):
    old, token = enrol_with_key(field_server, "api-obs-rekey")
    first = sign(make_report(), old)
    new = Ed25519PrivateKey.generate()
    request = sign(key_request("api-obs-rekey", public_key_text(old), public_key_text(new), "routine"), old)
    with field_server.client(token=token) as device:
        received = device.post("/api/reports", json=first)
        assert received.status_code == 201, received.text
        replaced = device.post("/api/users/me/key", json=request)
        assert replaced.status_code == 200, replaced.text
        assert device.get("/api/users/me").json()["public_key"] == public_key_text(new)
        again = device.post("/api/reports", json=first)  # the first answer was lost, say
        assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true", again.text
        assert again.json() == received.json()
        late = device.post("/api/reports", json=sign(make_report(), old))
        assert late.status_code == 422 and late.json()["errors"][0]["field"] == "signature"
        assert device.post("/api/reports", json=sign(make_report(), new)).status_code == 201
        replayed_request = device.post("/api/users/me/key", json=request)
        assert replayed_request.status_code == 422  # a signed request is good once
    with field_server.client("field-analyst") as staff:
        history = staff.get("/api/users/api-obs-rekey/keys").json()["data"]
    assert [k["public_key"] for k in history] == [public_key_text(old), public_key_text(new)]
    assert history[0]["valid_until"] == history[1]["valid_from"] and history[1]["valid_until"] is None
