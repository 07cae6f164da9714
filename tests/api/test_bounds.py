"""Dates, numbers and offsets at the calendar's and the number line's edges
are refused with a 422 naming the field, and nothing is written. Each probe
of PROBES once answered 500; the walk over the OpenAPI description tries
the same edges on every date and integer query parameter of every route."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_errors import assert_problem

ANONYMOUS_GETS = [  # (path, the field the answer must name)
    ("/api/incidents?to=9999-12-31", "query.to"),
    ("/api/incidents?from=0001-01-01", "query.from"),
    ("/api/incidents?offset=100000000000000000000", "query.offset"),
    ("/api/reports?offset=100000000000000000000", "query.offset"),
    ("/api/casualties?from=0001-01-01", "query.from"),
    ("/api/casualties?to=9999-12-31", "query.to"),
    ("/api/control?on=0001-01-01", "query.on"),
    ("/api/control?on=9999-12-31", "query.on"),
    ("/api/map/geometry?date=9999-12-31", "query.date"),
    ("/reports/9999-12-31.html", "day"),
    ("/reports/0001-01-01.pdf", "day"),
    ("/charts/violations.svg?to=0001-01-05", "query.to"),
    ("/charts/casualties.svg?to=0001-01-05", "query.to"),
    ("/charts/control.svg?from=0001-01-01", "query.from"),
]


@pytest.mark.parametrize(("path", "field"), ANONYMOUS_GETS)
def test_edge_dates_and_offsets_in_queries_are_422(live, path, field):
    with live.client() as c:
        assert_problem(c.get(path), 422, field)


def test_observation_in_year_one_is_422(live, signed):
    before = live.counts()
    with live.client("obs1") as c:
        response = c.post("/api/reports", json=signed(observed_at="0001-01-01T00:00:00+00:00"))
    assert_problem(response, 422, "observed_at")
    assert live.counts() == before


def _agreement(**overrides: Any) -> dict[str, Any]:
    body = {"name": "Edge truce", "parties": ["ARM", "AZE"], "start": "2020-10-10T12:00:00+04:00",
            "terms": [{"kind": "no_fire"}]}
    body.update(overrides)
    return body


@pytest.mark.parametrize(("body", "field"), [
    (_agreement(start="0001-01-01T00:00:00+04:00"), "start"),
    (_agreement(end="9999-12-31T23:59:59-12:00"), "end"),
])
def test_agreement_at_the_calendar_edge_is_422(live, body, field):
    before = live.counts()
    with live.client("analyst1") as c:
        assert_problem(c.post("/api/agreements", json=body), 422, field)
    assert live.counts() == before


@pytest.mark.parametrize("km", ["NaN", "Infinity", "1e400"])
def test_withdrawal_distance_that_is_not_finite_is_422(live, km):
    before = live.counts()
    raw = json.dumps(_agreement(terms=[{"kind": "no_heavy_weapons_near_line", "km": 0}]))
    raw = raw.replace('"km": 0', f'"km": {km}')
    with live.client("analyst1") as c:
        response = c.post("/api/agreements", content=raw,
                          headers={"content-type": "application/json"})
    assert_problem(response, 422, "terms.0.km")
    assert live.counts() == before


def test_ingest_published_in_year_one_is_422(live):
    with live.client("analyst1") as c:
        response = c.post("/api/ingest", json={"text": "Shelling near Tartar.",
                                               "published": "0001-01-01", "source": "Wire", "new_source": True})
    assert_problem(response, 422, "published")


def test_incident_starting_in_year_one_is_422(live):
    body = {"title": "Edge", "event_type": "Explosions/Remote violence",
            "start": "0001-01-01T00:00:00+00:00", "end": "2020-10-10T00:00:00+00:00",
            "report_ids": ["seed-rep-1"]}
    with live.client("analyst1") as c:
        assert_problem(c.post("/api/incidents", json=body), 422, "start")


def _query_params(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, parameter, 'date' | 'integer') for every GET query parameter."""
    found = []
    for path, operations in spec["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        for param in operations["get"].get("parameters", []):
            if param["in"] != "query":
                continue
            schema = param.get("schema", {})
            kinds = [schema, *schema.get("anyOf", [])]
            if any(k.get("format") == "date" for k in kinds):
                found.append((path, param["name"], "date"))
            elif any(k.get("type") == "integer" for k in kinds):
                found.append((path, param["name"], "integer"))
    return found


def test_every_date_and_integer_query_parameter_is_bounded(live):
    with live.client() as c:
        params = _query_params(c.get("/openapi.json").json())
    assert len(params) >= 10  # the walk reaches the routes above and more
    edges = {"date": ["0001-01-01", "9999-12-31"], "integer": ["-1", "100000000000000000000"]}
    with live.client("analyst1") as analyst, live.client("obs1") as observer:
        for path, name, kind in params:
            for value in edges[kind]:
                response = analyst.get(path, params={name: value})
                if response.status_code == 403:  # an observer's own route
                    response = observer.get(path, params={name: value})
                assert response.status_code == 422, (path, name, value, response.text)
                assert f"query.{name}" in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("path", [
    "/api/incidents?from=2020-10-20&to=2020-10-01",
    "/api/casualties?from=2020-10-20&to=2020-10-01",
    "/charts/violations.svg?from=2020-10-20&to=2020-10-01",
    "/api/map/incidents?from=2020-10-20&to=2020-10-01",
])
def test_a_period_that_ends_before_it_starts_is_422_in_the_words_of_the_query(live, path):
    with live.client() as c:
        body = assert_problem(c.get(path), 422, "to")
    assert body["detail"] == "the period ends before it starts (to 2020-10-01 is before from 2020-10-20)"
    assert "--" not in json.dumps(body)  # a command's options are not the query's parameters
