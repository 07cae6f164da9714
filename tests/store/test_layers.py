"""The middle layer holds: the connection is private to ``truce.store``, routes
and commands never commit (use cases do), each rule on incidents is written
once, and only the visibility policy decides by status what a reader sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from record_factories import MOMENT, make_incident
from truce.domain.exceptions import ValidationError
from truce.service.records import add_incident
from truce.store import tables as t
from truce.store.uow import UnitOfWork, use_case

SRC = Path(__file__).resolve().parents[2] / "src" / "truce"


def _files(*parts: str) -> list[Path]:
    return sorted(p for part in parts for p in (SRC / part).rglob("*") if p.suffix in (".py", ".html", ".j2"))


def _hits(pattern: str, files: list[Path]) -> list[str]:
    found = re.compile(pattern)
    return [f"{p.relative_to(SRC)}:{n}" for p in files
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if found.search(line)]


def test_the_connection_is_private_to_the_store():
    outside = [p for p in SRC.rglob("*.py") if "store" not in p.relative_to(SRC).parts[:1]]
    assert _hits(r"uow\.(_)?connection\b", outside) == []


def test_routes_pages_and_commands_never_commit():
    assert _hits(r"\.commit\(\)", _files("api", "web", "cli")) == []


def test_the_effective_grade_and_confirmed_are_written_once():
    everything = sorted(SRC.rglob("*.py"))
    assert {h.split(":")[0] for h in _hits(r"coalesce\([^)]*grade_override", everything)} == {"store/rules.py"}
    assert _hits(r"""["']verified["'],\s*["']corroborated["']""", everything) == []


def test_pages_and_reports_do_not_decide_by_status_themselves():
    readers = _files("web", "report")
    by_status = r"Status\.(PUBLISHED|DRAFT|MERGED)|\.c\.status\b|status\s*==|== *['\"](published|submitted)"
    assert _hits(by_status, readers) == []


def _count(engine) -> int:
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(t.incidents)).scalar_one()


@use_case
def _store(uow: UnitOfWork, incident_id: str, fail: bool = False) -> None:
    add_incident(uow, make_incident(id=incident_id), MOMENT)
    if fail:
        raise ValidationError("refused after writing", field="x")


@use_case
def _store_two(uow: UnitOfWork, fail_second: bool) -> None:
    _store(uow, "inc-a")
    _store(uow, "inc-b", fail=fail_second)


def test_a_use_case_commits_what_it_did_and_keeps_nothing_when_it_fails(engine):
    with UnitOfWork(engine) as uow:
        _store(uow, "inc-1")  # no commit by the caller
    assert _count(engine) == 1
    with UnitOfWork(engine) as uow, pytest.raises(ValidationError):
        _store(uow, "inc-2", fail=True)
    assert _count(engine) == 1


def test_a_nested_use_case_commits_with_the_outermost(engine):
    with UnitOfWork(engine) as uow, pytest.raises(ValidationError):
        _store_two(uow, fail_second=True)
    assert _count(engine) == 0
    with UnitOfWork(engine) as uow:
        _store_two(uow, fail_second=False)
    assert _count(engine) == 2
