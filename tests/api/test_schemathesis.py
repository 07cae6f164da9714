"""Fuzz the live API from its own /openapi.json (schemathesis): anonymous and
with each role's token, no request may get a 5xx, a response that breaks the
documented schema, or an undocumented content type.

Bounded in examples so the whole file stays well under two minutes; on its
own server and database so fuzzed writes touch no other test. (Schemathesis'
lazy pytest fixture loader does not run under this pytest, so operations are
walked here with Hypothesis directly.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from live import LiveServer, start_server
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("fuzz"))
    yield server
    server.stop()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("user", [None, "obs1", "analyst1", "liaison-arm", "admin1"],
                         ids=["public", "observer", "analyst", "liaison", "admin"])
def test_api_gives_no_5xx_and_keeps_its_schema(fuzz_server: LiveServer, user: str | None):
    schema = schemathesis.openapi.from_url(f"{fuzz_server.base_url}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzz_server.tokens[user]}"} if user else {}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case) -> None:
            case.call_and_validate(base_url=fuzz_server.base_url, headers=headers,
                                   checks=CHECKS, timeout=30)

        try:
            fuzz()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
