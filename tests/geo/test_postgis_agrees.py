"""PostGIS and shapely compute the same facts for every located demo incident."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.geo.facts import FactsEngine
from truce.service.violations import line_history, local_day
from truce.settings import get_settings
from truce.store.engine import make_engine
from truce.store.repositories import IncidentFilter
from truce.store.uow import UnitOfWork


@pytest.fixture(scope="module")
def demo_on_postgres(pg_server) -> str:
    url = pg_server.create_database("geo_agree")
    runner = CliRunner()
    for args in (["init", "--db", url], ["demo", "load", "--db", url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return url


def test_postgis_and_shapely_agree_on_the_demo_theatre(demo_on_postgres):
    settings = get_settings()
    with UnitOfWork(make_engine(demo_on_postgres)) as uow:
        history = line_history(uow)
        assert history.changes, "control changes should move the line"
        located = [i for i in uow.incidents.list(IncidentFilter()) if i.located]
        places = [(p.id, p.longitude, p.latitude) for p in uow.places.all()]
        by_postgis = uow.monitoring.postgis_facts(history, tz=settings.timezone)
    by_shapely = FactsEngine(history, places).facts_many(
        [i.longitude for i in located], [i.latitude for i in located],
        [local_day(i.start, settings.tz) for i in located])
    assert len(located) >= 40 and set(by_postgis) == {i.id for i in located}
    for incident, s in zip(located, by_shapely, strict=True):
        p = by_postgis[incident.id]
        assert (p.sector, p.side, p.sovereign_country, p.in_disputed_region,
                p.populated_place_id, p.line_valid_from) == (
            s.sector, s.side, s.sovereign_country, s.in_disputed_region,
            s.populated_place_id, s.line_valid_from), incident.id
        # geodesic (PostGIS geography) vs UTM 38N planar: within 0.5 % or 50 m
        assert p.distance_to_line_m == pytest.approx(s.distance_to_line_m, rel=0.005, abs=50)
