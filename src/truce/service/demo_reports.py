"""The demo's observer reports waiting for an analyst: three signed field
reports of a demo observer, near the line of contact on a demo day, stored
through the same submission service the API uses (``check_observer_report``
then ``store_observer_report``), so `truce review list --kind report` shows
a queue in a fresh demo.

The observer's key is generated at load time and its private half is
forgotten once the reports are signed: nobody can sign as that observer
afterwards (an enrolled device would register its own key).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ..store.uow import UnitOfWork
from .demo_access import DEMO_TOKEN_DAYS
from .observer_reports import check_observer_report, store_observer_report
from .report_format import ObserverReport
from .signing import generate_key, sign
from .users import Principal, Role, add_user

__all__ = ["DEMO_FIELD_OBSERVER", "DEMO_REPORTS", "file_demo_reports"]

DEMO_FIELD_OBSERVER = "demo-field-observer"
_IDS = uuid.UUID("6c1f2d0e-7a4b-4c3e-9a51-2f0d8e6b1a70")  # namespace: the same ids in every demo

# observed_at (theatre time), the observer's position (lat, lon), summary, observations
DEMO_REPORTS: tuple[tuple[str, tuple[float, float], str, list[dict[str, Any]]], ...] = (
    ("2020-10-14T06:40:00+04:00", (40.3412, 46.9317),
     "Two explosions to the north-east of the Tartar post, impacts seen.",
     [{"what": "impact", "how": "seen_and_heard", "count": 2, "bearing_deg": 45, "distance_m": 3000,
       "distance_uncertainty_m": 500, "weapon_class": "artillery"}]),
    ("2020-10-14T09:15:00+04:00", (39.8330, 47.1480),
     "Small-arms fire heard to the east across the line near Martuni; no impacts seen.",
     [{"what": "small_arms_fire", "how": "heard", "count": 1, "bearing_deg": 90, "distance_m": 2000,
       "distance_uncertainty_m": 800, "weapon_class": "small_arms"}]),
    ("2020-10-14T11:05:00+04:00", (39.6300, 47.1900),
     "One drone seen flying west over the Fuzuli front, no strike observed.",
     [{"what": "drone", "how": "seen", "count": 1, "bearing_deg": 270, "distance_m": 1500,
       "weapon_class": "armed_drone"}]),
)


def file_demo_reports(uow: UnitOfWork, now: datetime) -> list[str]:
    """Add the demo field observer (with a key made now) and store its signed
    reports, received ``now``, in ``uow``'s transaction; returns their ids."""
    private, public = generate_key()
    user, _token = add_user(uow, DEMO_FIELD_OBSERVER, "observer", now, public_key=public,
                            expires_days=DEMO_TOKEN_DAYS)  # its token is never shown; it lapses with theirs
    observer = Principal(id=user.id, name=user.name, role=Role.OBSERVER, public_key=public)
    ids = []
    for n, (observed_at, (latitude, longitude), summary, observations) in enumerate(DEMO_REPORTS):
        body = sign({"id": str(uuid.uuid5(_IDS, str(n))), "kind": "incident", "observed_at": observed_at,
                     "position": {"latitude": latitude, "longitude": longitude, "accuracy_m": 10},
                     "summary": summary, "observations": observations}, private)
        checked = check_observer_report(uow, observer, body, ObserverReport.model_validate(body), now)
        ids.append(store_observer_report(uow, checked).report.id)
    return ids
