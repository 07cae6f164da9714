"""A real uvicorn server on a free loopback port, in a thread, and the
records every API test starts from (users of each role, parties, incidents)."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select

from truce.api.app import create_app
from truce.domain.actors import Actor, Party, Source, SourceKind
from truce.domain.claims import Claim, Proposition, Stance
from truce.domain.incidents import Incident, Report, Status
from truce.service.checkpoints import generate_key as generate_log_key
from truce.service.curation import create_from_reports, publish
from truce.service.records import add_claim, add_party_actor_source, add_report
from truce.service.signing import generate_key
from truce.service.tokens import load_token_key, token_key_path
from truce.service.users import add_user
from truce.settings import Settings
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

ROLES = ("observer", "analyst", "liaison", "admin")
NOW = datetime.now(UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    base_url: str
    engine: Engine
    settings: Settings
    token_key: bytes = b""
    tokens: dict[str, str] = field(default_factory=dict)  # user name -> token
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # user name -> user id
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    def client(self, user: str | None = None, token: str | None = None) -> httpx.Client:
        headers = {}
        if user is not None or token is not None:
            headers["Authorization"] = f"Bearer {token or self.tokens[user]}"
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def count(self, table) -> int:
        with self.engine.connect() as c:
            return c.execute(select(func.count()).select_from(table)).scalar_one()

    def counts(self) -> dict[str, int]:
        """Rows in every table a request could write to."""
        return {name: self.count(table) for name, table in t.metadata.tables.items()}

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.engine.dispose()


def seed(engine: Engine) -> dict[str, str]:
    """Parties, actors, sources, a published and a draft incident."""
    with UnitOfWork(engine, actor="seed") as uow:
        for party in (Party("ARM", "Armenia"), Party("AZE", "Azerbaijan")):
            add_party_actor_source(uow, party)
        add_party_actor_source(uow, Actor("arm-mod", "Armenian MoD", "ministry", "ARM"))
        add_party_actor_source(uow, Actor("aze-mod", "Azerbaijani MoD", "ministry", "AZE"))
        add_party_actor_source(uow, Source("s-news", "Wire agency", SourceKind.NEWS, published=NOW))
        add_party_actor_source(uow, Source("s-aze", "AZE MoD statement", SourceKind.PARTY_STATEMENT,
                                           actor="aze-mod", affiliation="AZE", published=NOW))
        start = NOW - timedelta(days=2)
        for n, status in ((1, Status.PUBLISHED), (2, Status.DRAFT)):
            report = Report(id=f"seed-rep-{n}", source="s-news", received=start,
                            summary=f"Shelling reported ({n}).", observed_at=start)
            add_report(uow, report)
            incident = Incident(id=f"inc-seed-{n}", title=f"Seed incident {n}",
                                event_type="Explosions/Remote violence",
                                sub_type="Shelling/artillery/missile attack", start=start,
                                end=start + timedelta(hours=1), place_name="Tartar",
                                latitude=40.34, longitude=46.93, country="AZ")
            create_from_reports(uow, incident, [report.id], NOW)
            add_claim(uow, Claim(f"c-seed-{n}", "aze-mod", Stance.ASSERTS, Proposition.HAPPENED,
                                 incident=incident.id, source="s-aze", text="We were shelled."), NOW)
            if status is Status.PUBLISHED:
                publish(uow, incident.id)
        uow.commit()
    return {"published": "inc-seed-1", "draft": "inc-seed-2"}


def start_server(tmp: Path) -> LiveServer:
    db = tmp / "api.db"
    generate_log_key(tmp / "log.key", "truce.test/ledger")
    settings = Settings(database_url=f"sqlite:///{db}", evidence_dir=tmp / "evidence",
                        max_body_bytes=64_000, max_upload_bytes=200_000, db_lock_timeout_s=2.0,
                        auth_failures_per_client=1_000_000, auth_failures_per_prefix=1_000_000,
                        log_key=tmp / "log.key")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    seed(engine)
    live = LiveServer(base_url="", engine=engine, settings=settings,
                      token_key=load_token_key(token_key_path(settings.database_url)))
    with UnitOfWork(engine, actor="seed") as uow:
        for name, role, party in (("obs1", "observer", None), ("obs2", "observer", None),
                                  ("analyst1", "analyst", None), ("liaison-arm", "liaison", "ARM"),
                                  ("liaison-aze", "liaison", "AZE"), ("admin1", "admin", None),
                                  ("admin2", "admin", None)):
            public = None
            if role == "observer":
                live.keys[name], public = generate_key()
            user, token = add_user(uow, name, role, NOW, token_key=live.token_key, party=party,
                                   public_key=public)
            live.tokens[name], live.ids[name] = token, user.id
        _expired, token = add_user(uow, "expired1", "analyst", NOW - timedelta(days=3),
                                   token_key=live.token_key,
                                   expires_days=1)
        live.tokens["expired1"] = token
        uow.commit()
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)
    live._server = uvicorn.Server(config)
    live._thread = threading.Thread(target=live._server.run, daemon=True)
    live._thread.start()
    live.base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not live._server.started:
        if time.monotonic() > deadline or not live._thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    return live


def report_body(**overrides: Any) -> dict[str, Any]:
    """An unsigned observer report: two explosions seen NE of Tartar."""
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "kind": "incident",
        "observed_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds"),
        "position": {"latitude": 40.3412, "longitude": 46.9317, "accuracy_m": 10},
        "summary": "Two explosions to the north-east, impacts seen.",
        "observations": [{
            "what": "impact", "how": "seen_and_heard", "count": 2, "bearing_deg": 45,
            "distance_m": 3000, "distance_uncertainty_m": 500, "weapon_class": "artillery",
        }],
    }
    body.update(overrides)
    return body
