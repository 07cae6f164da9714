"""Every role against every route: allowed or denied, asserted.

The matrix lists each operation of the app with the roles it admits
("public" = anyone, no token needed). A route added to the app without an
entry here fails ``test_every_route_has_a_matrix_entry``.

Allowed means the request got past authentication and authorization (any
status but 401/403: with dummy ids and empty bodies that is mostly 404 or
422). Denied means 401 with no token and 403 with a token of another role,
as problem+json, and nothing written.
"""

from __future__ import annotations

import re

import pytest

from truce.api.middleware import api_routes

ROLES = ("public", "observer", "analyst", "liaison", "admin")
USERS = {"observer": "obs1", "analyst": "analyst1", "liaison": "liaison-arm", "admin": "admin1"}
ANYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES) - {"public"}
STAFF = frozenset({"analyst", "admin"})
ANALYST = frozenset({"analyst"})
ADMIN = frozenset({"admin"})

MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/health"): ANYONE,
    ("GET", "/api/health/ready"): ANYONE,
    ("GET", "/api/incidents"): ANYONE,  # non-staff see published only
    ("GET", "/api/incidents/{incident_id}"): ANYONE,
    ("POST", "/api/incidents"): ANALYST,
    ("POST", "/api/incidents/{incident_id}/merge"): ANALYST,
    ("POST", "/api/incidents/{incident_id}/split"): ANALYST,
    ("POST", "/api/incidents/{incident_id}/claims"): ANALYST,
    ("PUT", "/api/incidents/{incident_id}/grade"): ANALYST,
    ("POST", "/api/incidents/{incident_id}/publish"): ANALYST,
    ("GET", "/api/control"): ANYONE,
    ("GET", "/api/control/history/{place}"): ANYONE,
    ("GET", "/api/casualties"): ANYONE,
    ("POST", "/api/reports"): frozenset({"observer"}),
    ("GET", "/api/reports"): ANYONE,  # filtered: see test_visibility.py
    ("GET", "/api/reports/{report_id}"): ANYONE,
    ("POST", "/api/reports/{report_id}/evidence"): frozenset({"observer"}),
    ("POST", "/api/statements"): frozenset({"liaison"}),
    ("GET", "/api/statements"): frozenset({"liaison", "analyst", "admin"}),
    ("GET", "/api/statements/{statement_id}"): frozenset({"liaison", "analyst", "admin"}),
    ("POST", "/api/statements/{statement_id}/publish"): frozenset({"analyst"}),
    ("POST", "/api/statements/{statement_id}/reject"): frozenset({"analyst"}),
    ("GET", "/api/users/me"): SIGNED_IN,
    ("POST", "/api/users"): ADMIN,
    ("GET", "/api/users"): ADMIN,
    ("PUT", "/api/users/{name}/key"): ADMIN,
    ("POST", "/api/users/{name}/token"): ADMIN,
    ("POST", "/api/users/{name}/deactivate"): ADMIN,
    ("GET", "/api/ledger/head"): ANYONE,  # published daily
    ("GET", "/api/ledger/verify"): STAFF,
    ("GET", "/api/ledger/checkpoint"): ANYONE,  # anyone may check the record
    ("GET", "/api/ledger/proof/inclusion"): ANYONE,
    ("GET", "/api/ledger/proof/consistency"): ANYONE,
    # agreements, violations, alerts (issue 5)
    ("GET", "/api/agreements"): ANYONE,
    ("POST", "/api/agreements"): ANALYST,
    ("GET", "/api/agreements/{agreement_id}"): ANYONE,
    ("GET", "/api/agreements/{agreement_id}/violations"): ANYONE,
    ("GET", "/api/alerts"): STAFF,
    ("POST", "/api/alerts/{alert_id}/ack"): ANALYST,
    # text ingestion and the review queue (issue 6): proposals are unreviewed material
    ("POST", "/api/ingest"): ANALYST,
    ("GET", "/api/proposals"): ANALYST,
    ("POST", "/api/proposals/{proposal_id}/accept"): ANALYST,
    ("POST", "/api/proposals/{proposal_id}/reject"): ANALYST,
    # the analyst's desk for observer reports (issue 10): observer positions, unreviewed
    ("GET", "/api/review/reports"): ANALYST,
    ("POST", "/api/review/reports/incident"): ANALYST,
    ("POST", "/api/review/reports/attach"): ANALYST,
    ("POST", "/api/review/reports/dismiss"): ANALYST,
    # the dashboard (issue 7): public pages and map data show published material;
    # the analyst pages are empty shells that call the API with the user's token
    ("GET", "/"): ANYONE,
    ("GET", "/incidents"): ANYONE,
    ("GET", "/incidents/{incident_id}"): ANYONE,
    ("GET", "/reports"): ANYONE,
    ("GET", "/reports/{day}.html"): ANYONE,
    ("GET", "/reports/{day}.pdf"): ANYONE,
    ("GET", "/charts/violations.svg"): ANYONE,
    ("GET", "/charts/casualties.svg"): ANYONE,
    ("GET", "/charts/control.svg"): ANYONE,
    ("GET", "/api/map/geometry"): ANYONE,
    ("GET", "/api/map/incidents"): ANYONE,
    ("GET", "/signin"): ANYONE,
    ("GET", "/analyst/review"): ANYONE,
    ("GET", "/analyst/alerts"): ANYONE,
    ("GET", "/static/{path:path}"): ANYONE,
    # the field app (issue 13): enrolment, tasks, resumable uploads, receipts; the app itself
    ("POST", "/api/users/{name}/enrolment"): ADMIN,
    ("POST", "/api/enrol"): ANYONE,  # the one-time code is the credential
    ("POST", "/api/users/{name}/revoke"): ADMIN,
    ("POST", "/api/tasks"): STAFF,
    ("GET", "/api/tasks"): STAFF | {"observer"},
    ("GET", "/api/tasks/{task_id}"): STAFF | {"observer"},
    ("POST", "/api/tasks/{task_id}/close"): STAFF,
    ("POST", "/api/uploads"): frozenset({"observer"}),
    ("GET", "/api/uploads/{upload_id}"): frozenset({"observer"}),
    ("PATCH", "/api/uploads/{upload_id}"): frozenset({"observer"}),
    ("GET", "/api/field/rules"): ANYONE,
    ("GET", "/api/field/receipts"): frozenset({"observer"}),
    ("GET", "/field"): ANYONE,
    ("GET", "/field/{path:path}"): ANYONE,
    # key history and two-admin changes of a key or a role (issue 12)
    ("GET", "/api/users/{name}/keys"): STAFF,
    ("GET", "/api/users/changes"): STAFF,
    ("POST", "/api/users/{name}/changes"): ADMIN,
    ("POST", "/api/users/changes/{change_id}/approve"): ADMIN,
    ("POST", "/api/users/changes/{change_id}/reject"): ADMIN,
    ("POST", "/api/users/me/key"): SIGNED_IN,  # your own key, signed with it
    # the joint commission's casework (issue 16): what a reader sees of a case is the visibility
    # policy's (test_no_leaks.py); approval is for commission members (tests/cases)
    ("POST", "/api/cases/complaints"): frozenset({"liaison"}),
    ("POST", "/api/cases"): STAFF,
    ("GET", "/api/cases"): ANYONE,
    ("GET", "/api/cases/{case_id}"): ANYONE,
    ("GET", "/api/cases/commission/{agreement_id}"): SIGNED_IN,
    ("PUT", "/api/cases/commission/{agreement_id}/rules"): ADMIN,
    ("POST", "/api/cases/commission/{agreement_id}/members"): ADMIN,
    ("POST", "/api/cases/{case_id}/evidence"): STAFF,
    ("POST", "/api/cases/{case_id}/tasks"): STAFF,
    ("POST", "/api/cases/{case_id}/requests"): STAFF,
    ("POST", "/api/cases/{case_id}/replies"): frozenset({"liaison"}),
    ("POST", "/api/cases/{case_id}/finding"): ANALYST,
    ("POST", "/api/cases/{case_id}/approve"): SIGNED_IN,
    ("POST", "/api/cases/{case_id}/publish"): STAFF,
    ("GET", "/cases"): ANYONE,
    ("GET", "/cases/{case_id}"): ANYONE,
}

def _cases():
    for (method, path), allowed in sorted(MATRIX.items()):
        for role in ROLES:
            yield pytest.param(method, path, role, role in allowed, id=f"{method} {path} as {role}")


def test_every_route_has_a_matrix_entry(live):
    from truce.api.app import create_app

    app = create_app(live.settings)
    routes = {(method, path) for path, methods, _route in api_routes(app)
              for method in methods if method != "HEAD"}
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes with no authorization rule in MATRIX: {missing}"
    assert not stale, f"MATRIX entries for routes that no longer exist: {stale}"


def _request(live, method: str, path: str, role: str):
    url = re.sub(r"\{[^}]+\}", "zz-no-such-thing", path)
    client = live.client(USERS[role]) if role != "public" else live.client()
    with client:
        if path == "/api/reports/{report_id}/evidence":  # a file upload
            return client.request(method, url, files={"file": ("a.jpg", b"\xff\xd8x", "image/jpeg")})
        if method in ("POST", "PUT", "PATCH"):
            return client.request(method, url, json={})
        return client.request(method, url)


@pytest.mark.parametrize(("method", "path", "role", "allowed"), list(_cases()))
def test_role_on_route(live, method, path, role, allowed):
    before = live.counts()
    response = _request(live, method, path, role)
    if allowed:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    else:
        expected = 401 if role == "public" else 403
        assert response.status_code == expected, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert live.counts() == before
