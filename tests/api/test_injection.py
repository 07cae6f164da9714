"""Links from data are shown only as http(s): a source URL such as
``javascript:...`` is never rendered as a link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from truce.domain.actors import Source, SourceKind
from truce.domain.incidents import Report
from truce.domain.links import http_url
from truce.service.records import add_party_actor_source, add_report
from truce.store.uow import UnitOfWork


def test_only_http_urls_pass_the_link_helper():
    assert http_url("https://news.example/a") == "https://news.example/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "//evil.example", "vbscript:x",
                "https:\\\\evil.example", "http://", None, 42):
        assert http_url(bad) is None, bad


def test_incident_page_does_not_link_a_javascript_source_url(live):
    with UnitOfWork(live.engine, actor="test") as uow:
        add_party_actor_source(uow, Source("s-js", "Scripted outlet", SourceKind.NEWS,
                                           url="javascript:alert(document.cookie)"))
        add_party_actor_source(uow, Source("s-web", "Plain outlet", SourceKind.NEWS,
                                           url="https://outlet.example/story"))
        for n, source in enumerate(("s-js", "s-web")):
            add_report(uow, Report(id=f"inj-rep-{n}", source=source, received=datetime.now(UTC),
                                   summary="Shelling reported."))
            uow.incidents.link_report("inc-seed-1", f"inj-rep-{n}")
        uow.commit()
    with live.client() as c:
        html = c.get("/incidents/inc-seed-1").text
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert "https://outlet.example/story" in hrefs
    assert not [h for h in hrefs if "javascript" in h.lower()]
