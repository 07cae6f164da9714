"""The users table: who may call the API, with which role and key.

Token hashes never leave this module except to ``service.users``, which
checks them; the API and the CLI see ``UserRecord`` without the hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from ..domain.exceptions import Conflict, NotFound
from . import tables as t
from .direct import DirectSelect

__all__ = ["UserRecord", "UserRepository"]


@dataclass(frozen=True)
class UserRecord:
    id: str
    name: str
    role: str
    party: str | None
    public_key: str | None
    active: bool
    created_at: datetime
    token_expires_at: datetime | None


def _record(row: Any) -> UserRecord:
    return UserRecord(
        id=row["id"], name=row["name"], role=row["role"], party=row["party_id"],
        public_key=row["public_key"], active=bool(row["active"]), created_at=row["created_at"],
        token_expires_at=row["token_expires_at"],
    )


# Built once: a token is checked on every authenticated request.
_BY_PREFIX = DirectSelect(select(t.users).where(t.users.c.token_prefix == bindparam("prefix")))


class UserRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def add(self, user: UserRecord, token_hash: str, token_prefix: str) -> None:
        if self.find(user.name) is not None:
            raise Conflict(f"a user named {user.name!r} already exists", field="name")
        self.connection.execute(insert(t.users).values(
            id=user.id, name=user.name, role=user.role, party_id=user.party,
            token_hash=token_hash, token_prefix=token_prefix, public_key=user.public_key,
            active=user.active, created_at=user.created_at,
            token_expires_at=user.token_expires_at,
        ))

    def find(self, name: str) -> UserRecord | None:
        row = self.connection.execute(select(t.users).where(t.users.c.name == name)).mappings().first()
        return None if row is None else _record(row)

    def get(self, name: str) -> UserRecord:
        user = self.find(name)
        if user is None:
            raise NotFound(f"no user named {name!r}", field="name")
        return user

    def get_by_id(self, user_id: str) -> UserRecord:
        row = self.connection.execute(select(t.users).where(t.users.c.id == user_id)).mappings().first()
        if row is None:
            raise NotFound(f"no user with id {user_id!r}", field="user")
        return _record(row)

    def by_prefix(self, prefix: str) -> tuple[UserRecord, str] | None:
        """The user holding the token that starts with ``prefix``, and its hash."""
        row = _BY_PREFIX.first(self.connection, {"prefix": prefix})
        return None if row is None else (_record(row), row["token_hash"])

    def replace_token_hash(self, user_id: str, old: str, new: str) -> bool:
        """Store ``new`` as the user's token hash if it still is ``old`` (a
        token rotated meanwhile keeps its new hash); whether it was."""
        result = self.connection.execute(update(t.users).where(t.users.c.id == user_id,
                                                               t.users.c.token_hash == old)
                                         .values(token_hash=new))
        return result.rowcount == 1

    def ledgered_token_hash(self, user_id: str) -> str | None:
        """The token hash the ledger's newest image of ``user_id``'s row holds
        (None if it holds none): what truce itself last wrote there."""
        ledger = t.ledger.c
        content = self.connection.execute(
            select(ledger.content).where(ledger.record_id == f"{t.users.name}/{user_id}",
                                         ledger.action.in_(("row.insert", "row.update", "row.delete")))
            .order_by(ledger.seq.desc()).limit(1)).scalar()
        return ((content or {}).get("row") or {}).get("token_hash")

    def list(self) -> list[UserRecord]:
        rows = self.connection.execute(select(t.users).order_by(t.users.c.name)).mappings()
        return [_record(r) for r in rows]

    def update(self, user_id: str, **values: Any) -> None:
        self.connection.execute(update(t.users).where(t.users.c.id == user_id).values(**values))
