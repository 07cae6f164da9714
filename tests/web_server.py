"""What the browser tests share: the demo server's description, its
constants and the helpers that seed it (fixtures live in tests/web/conftest.py)."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from truce.domain.incidents import Report
from truce.service.records import add_report
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
OBSERVER = "observer-nadia-karimova"
STRIKE = "inc-20201014-arm-launchers"
ARTICLE = ("On 14 October 2020 the Azerbaijani Ministry of Defence said its forces destroyed "
           "two missile launch sites near Vardenis in Armenia. Armenia's defence ministry confirmed the strike.")


@dataclass(frozen=True)
class Server:
    url: str
    db_url: str
    analyst_token: str
    observer_id: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _token(output: str) -> str:
    found = re.search(r"truce_[0-9a-f]{12}_\S+", output)
    assert found, f"no token printed: {output}"
    return found.group()


def _observer_report(db_url: str, observer_id: str) -> None:
    """A field report by a named observer, linked to the published 14 Oct strike."""
    engine = make_engine(db_url)
    with engine.connect() as c:
        source = c.exec_driver_sql("SELECT id FROM sources WHERE kind = 'observer' ORDER BY id LIMIT 1").scalar_one()
    with UnitOfWork(engine, actor="test") as uow:
        moment = datetime(2020, 10, 14, 6, 0, tzinfo=UTC)
        report = Report(id="obs-test-nadia-1", source=source, received=moment, observed_at=moment,
                        summary="Two impacts heard to the north-east; smoke seen.", latitude=40.1901,
                        longitude=45.7411, observer=observer_id, kind="incident")
        add_report(uow, report)
        uow.incidents.link_report(STRIKE, report.id)
        uow.commit()
    engine.dispose()


def demo_credentials(db_path: str) -> dict[str, str]:
    """{user name: token} as `truce demo load` printed them for the store at ``db_path``."""
    printed = Path(db_path).with_suffix(".load.txt").read_text(encoding="utf-8")
    found = re.findall(r"^\s+\w+\s+(demo-\w+)\s+(truce_\S+)$", printed, re.M)
    assert found, f"no demo credentials printed: {printed}"
    return dict(found)
