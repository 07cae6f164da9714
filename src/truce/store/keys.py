"""The user_keys table: every signing key a user has had, with when it was valid.

Append-only: a key is added, and an open key is closed once (its
``valid_until``); nothing else is ever written to a key row, and the
database refuses it (triggers of schema 0010, ``store.safeguards``). ``users.public_key`` mirrors
the open key so older readers keep working; the history here is the truth.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, select, update

from . import tables as t
from .direct import DirectSelect

__all__ = ["KeyRecord", "KeyRepository"]


@dataclass(frozen=True)
class KeyRecord:
    id: str
    user_id: str
    public_key: str
    valid_from: datetime
    valid_until: datetime | None
    added_by: str
    reason: str
    change_id: str | None
    ended_by: str | None
    end_reason: str | None

    def valid_at(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_until is None or at < self.valid_until)


def _record(row: Any) -> KeyRecord:
    return KeyRecord(**{c.name: row[c.name] for c in t.user_keys.columns})


_k = t.user_keys.c
# Built once: every observer report looks its key up.
_AT = DirectSelect(
    select(t.user_keys).where(_k.user_id == bindparam("user"), _k.valid_from <= bindparam("at"),
                              or_(_k.valid_until.is_(None), _k.valid_until > bindparam("at")))
    .order_by(_k.valid_from.desc(), _k.id.desc()).limit(1))


class KeyRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def history(self, user_id: str) -> list[KeyRecord]:
        """Every key of the user, oldest first."""
        rows = self.connection.execute(select(t.user_keys).where(_k.user_id == user_id)
                                       .order_by(_k.valid_from, _k.id)).mappings()
        return [_record(r) for r in rows]

    def open_key(self, user_id: str) -> KeyRecord | None:
        row = self.connection.execute(select(t.user_keys).where(_k.user_id == user_id, _k.valid_until.is_(None))
                                      .order_by(_k.valid_from.desc()).limit(1)).mappings().first()
        return None if row is None else _record(row)

    def key_at(self, user_id: str, at: datetime) -> KeyRecord | None:
        """The key that was valid for the user at ``at``, if any."""
        row = _AT.first(self.connection, {"user": user_id, "at": at})
        return None if row is None else _record(row)

    def has_history(self, user_id: str) -> bool:
        return self.connection.execute(select(_k.id).where(_k.user_id == user_id).limit(1)).first() is not None

    def add(self, user_id: str, public_key: str, at: datetime, *, added_by: str, reason: str,
            change_id: str | None = None) -> KeyRecord:
        key = KeyRecord(id=f"key-{uuid.uuid4().hex[:16]}", user_id=user_id, public_key=public_key,
                        valid_from=at, valid_until=None, added_by=added_by, reason=reason,
                        change_id=change_id, ended_by=None, end_reason=None)
        self.connection.execute(insert(t.user_keys).values(**key.__dict__))
        return key

    def signing_admin(self, besides: str) -> tuple[str, str] | None:
        """(name, key id) of an active admin other than ``besides`` with an
        open key, or None: whether the mission's admins sign approvals."""
        u = t.users.c
        row = self.connection.execute(select(u.name, _k.id).join(t.user_keys, _k.user_id == u.id).where(
            u.role == "admin", u.active.is_(True), u.id != besides, _k.valid_until.is_(None))
            .order_by(_k.valid_from, _k.id).limit(1)).first()
        return None if row is None else (row[0], row[1])

    def close(self, key_id: str, at: datetime, *, ended_by: str, reason: str) -> None:
        """End an open key's validity at ``at`` (the one update a key row allows)."""
        self.connection.execute(update(t.user_keys).where(_k.id == key_id, _k.valid_until.is_(None))
                                .values(valid_until=at, ended_by=ended_by, end_reason=reason))
