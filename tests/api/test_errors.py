"""Bad requests get the right 4xx as RFC 9457 problem+json, and write nothing."""

from __future__ import annotations

import json

import pytest

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert PROBLEM_KEYS <= body.keys() <= PROBLEM_KEYS | {"errors"}
    assert body["status"] == status and body["type"] == "about:blank"
    assert isinstance(body["title"], str) and isinstance(body["detail"], str) and body["detail"]
    for error in body.get("errors", []):
        assert error.keys() == {"field", "reason"}
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


def test_error_body_shape_is_locked(live):
    with live.client() as c:
        body = assert_problem(c.get("/api/incidents/no-such"), 404, "incident_id")
    assert body == {"type": "about:blank", "title": "Not found", "status": 404,
                    "detail": "no incident with id 'no-such' that you may read",
                    "errors": [{"field": "incident_id",
                                "reason": "no incident with id 'no-such' that you may read"}]}


def test_oversized_body_is_413_and_nothing_written(live, signed):
    before = live.counts()
    body = signed(summary="x" * 1000, observations=[
        {"what": "tracer", "how": "seen", "notes": "n" * 1900}] * 40)
    with live.client("obs1") as c:
        assert_problem(c.post("/api/reports", json=body), 413, "body")
    assert live.counts() == before


def test_chunked_oversized_body_is_413(live):
    def chunks():
        yield b'{"summary": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    with live.client("obs1") as c:
        response = c.post("/api/reports", content=chunks(),
                          headers={"content-type": "application/json"})
    assert_problem(response, 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml",
                                          "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415_and_nothing_written(live, signed, content_type):
    before = live.counts()
    with live.client("obs1") as c:
        response = c.post("/api/reports", content=json.dumps(signed()),
                          headers={"content-type": content_type})
    assert_problem(response, 415, "body")
    assert live.counts() == before


def test_missing_content_type_with_a_body_is_415(live, signed):
    with live.client("obs1") as c:
        response = c.post("/api/reports", content=json.dumps(signed()).encode())
        assert "content-type" not in response.request.headers
        assert_problem(response, 415)


def test_json_sent_to_the_upload_endpoint_is_415(live):
    with live.client("obs1") as c:
        assert_problem(c.post("/api/reports/x/evidence", json={"file": "x"}), 415)


def test_unknown_field_is_422_naming_it(live, signed):
    before = live.counts()
    with live.client("obs1") as c:
        response = c.post("/api/reports", json=signed(colour="red"))
    assert_problem(response, 422, "colour")
    assert live.counts() == before


def test_malformed_json_is_422(live):
    with live.client("obs1") as c:
        response = c.post("/api/reports", content=b'{"id": "x",',
                          headers={"content-type": "application/json"})
    assert_problem(response, 422, "body")


def test_bad_uuid_is_422_naming_the_field(live, signed):
    with live.client("obs1") as c:
        assert_problem(c.post("/api/reports", json=signed(id="not-a-uuid")), 422, "id")


def test_naive_time_is_422(live, signed):
    with live.client("obs1") as c:
        response = c.post("/api/reports", json=signed(observed_at="2020-10-14T09:00:00"))
    assert_problem(response, 422, "observed_at")


@pytest.mark.parametrize("header", ["Bearer truce_000000000000_wrong", "Bearer nonsense",
                                    "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer"])
def test_wrong_or_malformed_token_is_401_even_on_public_routes(live, header):
    with live.client() as c:
        for path in ("/api/incidents", "/api/users/me"):
            response = c.get(path, headers={"Authorization": header})
            assert_problem(response, 401)
            assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_real_token_with_one_character_changed_is_401(live):
    token = live.tokens["analyst1"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with live.client(token=tampered) as c:
        assert_problem(c.get("/api/users/me"), 401)


def test_expired_token_is_401_with_the_reason(live):
    with live.client("expired1") as c:
        body = assert_problem(c.get("/api/users/me"), 401)
    assert "expired" in body["detail"]


def test_writes_with_a_wrong_token_write_nothing(live, signed):
    before = live.counts()
    with live.client(token="truce_000000000000_wrong") as c:
        assert_problem(c.post("/api/reports", json=signed()), 401)
    assert live.counts() == before


def test_out_of_range_query_is_422(live):
    with live.client() as c:
        assert_problem(c.get("/api/reports", params={"limit": 0}), 422, "query.limit")
