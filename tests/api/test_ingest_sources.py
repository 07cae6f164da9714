"""POST /api/ingest names its source by id or name from the directory: an
unknown one is a 422 naming it (with close names) and saying how to add it,
and nothing is stored; ``new_source: true`` adds it as a news outlet."""

from __future__ import annotations

TEXT = "Artillery shelled Tartar yesterday."


def ingest(live, **body):
    with live.client("analyst1") as analyst:
        return analyst.post("/api/ingest", json={"text": TEXT, "published": "2020-10-15", **body})


def test_an_unknown_source_is_refused_naming_it_and_how_to_add_it(live):
    before = live.counts()
    refused = ingest(live, source="Wire agncy")
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    error = refused.json()["errors"][0]
    assert error["field"] == "source"
    assert "unknown source 'Wire agncy'" in refused.text and "did you mean 'Wire agency'" in refused.text
    assert "truce sources list" in refused.text and "new_source" in refused.text
    assert live.counts() == before


def test_a_known_source_by_name_or_id_and_a_new_one_asked_for_are_accepted(live):
    by_name = ingest(live, source="wire agency")
    by_id = ingest(live, source="s-news")
    assert (by_name.status_code, by_id.status_code) == (201, 201), (by_name.text, by_id.text)
    assert {p["source_id"] for p in by_name.json()["data"] + by_id.json()["data"]} == {"s-news"}
    added = ingest(live, source="Gulf News", new_source=True)
    assert added.status_code == 201, added.text
    assert {p["source_id"] for p in added.json()["data"]} == {"src-gulf-news"}
