"""A synthetic store of any size, shaped like the demo theatre, for benchmarks.

Incidents fall on days of the 2020 war, at points spread over the theatre,
each with reports from a pool of party, news (some only relaying a party)
and observer sources, and a few claims. Rows go in through the same tables
the application uses, in large batches.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.progress import Progress
from sqlalchemy import insert

from truce.domain.actors import Actor, Party, Source, SourceKind
from truce.service.records import add_party_actor_source
from truce.store import tables as t
from truce.store.engine import make_engine
from truce.store.schema import upgrade
from truce.store.uow import UnitOfWork

START = datetime(2020, 9, 27, tzinfo=UTC)
TYPES = [("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike")]
WEAPONS = ["artillery", "small_arms", "mortar", "rocket", "armed_drone"]


def _directory(uow: UnitOfWork) -> list[str]:
    records: list = [Party("ARM", "Armenia"), Party("AZE", "Azerbaijan"),
                     Actor("arm-mod", "MoD Armenia", "ministry", "ARM"),
                     Actor("aze-mod", "MoD Azerbaijan", "ministry", "AZE")]
    sources = []
    for n in range(5):
        for party in ("arm", "aze"):
            sources.append(Source(f"s-{party}-{n}", f"{party.upper()} statement {n}",
                                  SourceKind.PARTY_STATEMENT, affiliation=party.upper(),
                                  actor=f"{party}-mod"))
    for n in range(5):
        sources.append(Source(f"s-wire-{n}", f"Wire relaying {n}", SourceKind.NEWS, repeats=f"s-aze-{n}"))
        sources.append(Source(f"s-news-{n}", f"Correspondent {n}", SourceKind.NEWS))
    sources.append(Source("s-observer", "Mission observers", SourceKind.OBSERVER))
    for record in records + sources:
        add_party_actor_source(uow, record)
    return [s.id for s in sources]


def build_store(path: Path, incidents: int, reports_per_incident: int = 4, seed: int = 1,
                url: str | None = None) -> str:
    """Create a fresh store at ``path`` (or ``url``) and fill it; returns the URL."""
    url = url or f"sqlite:///{path}"
    if url.startswith("sqlite"):
        path.unlink(missing_ok=True)
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    with UnitOfWork(engine, actor="benchmark") as uow:
        source_ids = _directory(uow)
        uow.commit()
    chunk = 20_000
    now = datetime.now(UTC)
    with Progress() as progress, engine.begin() as conn:
        task = progress.add_task(f"Generating {incidents:,} incidents", total=incidents)
        for first in range(0, incidents, chunk):
            inc_rows, rep_rows, link_rows, claim_rows = [], [], [], []
            for n in range(first, min(first + chunk, incidents)):
                start = START + timedelta(minutes=rng.randrange(45 * 24 * 60))
                event_type, sub_type = rng.choice(TYPES)
                lat, lon = 39.2 + rng.random() * 1.2, 46.0 + rng.random() * 1.4
                iid = f"i{n}"
                inc_rows.append({
                    "id": iid, "title": f"Synthetic incident {n}", "event_type": event_type,
                    "sub_type": sub_type, "start": start, "end": start + timedelta(hours=1),
                    "time_precision": "day", "place_id": None, "place_name": None,
                    "latitude": lat, "longitude": lon, "geo_precision": "near", "country": "AZ",
                    "weapon_class": rng.choice(WEAPONS), "target_type": "unknown",
                    "damage": None, "status": "published", "actor1": None, "actor2": None,
                    "grade": None, "grade_reasons": [], "grade_override": None,
                    "grade_override_reason": None, "created_at": now,
                })
                for r in range(reports_per_incident):
                    rid = f"r{n}-{r}"
                    rep_rows.append({
                        "id": rid, "source_id": rng.choice(source_ids[:-1]) if rng.random() > 0.02 else "s-observer",
                        "kind": "incident", "received": start + timedelta(hours=r + 1),
                        "observed_at": start, "summary": "synthetic", "place_id": None,
                        "latitude": lat, "longitude": lon, "observer_id": None, "corrects": None,
                        "payload": {}, "content_hash": f"{n:032x}{r:032x}", "signature": None,
                    })
                    link_rows.append({"incident_id": iid, "report_id": rid})
                for party, stance in (("arm", "denies" if rng.random() < 0.3 else "asserts"), ("aze", "asserts")):
                    claim_rows.append({
                        "id": f"c{n}-{party}", "incident_id": iid, "control_id": None,
                        "actor_id": f"{party}-mod", "source_id": f"s-{party}-{n % 5}",
                        "stance": stance, "proposition": "happened", "value": None, "text": None,
                        "status": "published", "submitted_by": None, "created_at": now,
                    })
            conn.execute(insert(t.incidents), inc_rows)
            conn.execute(insert(t.reports), rep_rows)
            conn.execute(insert(t.incident_reports), link_rows)
            conn.execute(insert(t.claims), claim_rows)
            progress.update(task, advance=len(inc_rows))
    engine.dispose()
    return url
