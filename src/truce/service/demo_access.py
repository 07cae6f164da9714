"""Demo credentials: a demo analyst and a demo observer, made only by
`truce demo load`, in the same unit of work as the demo theatre, so that no
other database ever holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.exceptions import Conflict
from ..store.uow import UnitOfWork
from .users import add_user

__all__ = ["DEMO_USERS", "DemoCredential", "add_demo_users"]

DEMO_USERS = (("demo-analyst", "analyst"), ("demo-observer", "observer"))
DEMO_TOKEN_DAYS = 30


@dataclass(frozen=True)
class DemoCredential:
    name: str
    role: str
    token: str


def add_demo_users(uow: UnitOfWork, now: datetime, *, theatre_loaded: bool) -> list[DemoCredential]:
    """Create the demo users and return their tokens (shown once; they expire
    after 30 days). ``theatre_loaded`` must be True: the caller loaded the demo
    theatre in this same unit of work, so the users never reach another database."""
    if not theatre_loaded:
        raise Conflict("demo credentials are made only with the demo theatre (`truce demo load`)")
    made = []
    for name, role in DEMO_USERS:
        user, token = add_user(uow, name, role, now, expires_days=DEMO_TOKEN_DAYS)
        made.append(DemoCredential(user.name, user.role, token))
    return made
