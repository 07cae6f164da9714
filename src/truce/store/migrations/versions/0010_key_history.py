"""user_keys (every signing key a user has had, append-only, with its validity)
and user_changes (key and role changes: proposed and approved by two admins, or
requested signed with the current key); enrolments.change_id (a re-enrolment
waits for a second admin). The history is rebuilt from the ledger's
user.add / user.key / user.enrol / user.revoke entries, so keys replaced or
revoked before this revision become valid again for the reports they signed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

import truce.store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None



def upgrade() -> None:
    op.create_table(
        "user_changes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("party_id", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", truce.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", truce.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_changes_user", "user_changes", ["user_id"])
    op.create_table(
        "user_keys",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("valid_from", truce.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", truce.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("change_id", sa.String(length=64), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["change_id"], ["user_changes.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("change_id", name="uq_user_keys_change_id"),
    )
    op.create_index("ix_user_keys_user_valid_from", "user_keys", ["user_id", "valid_from"])
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_id", sa.String(length=64), nullable=True))
    _copy_keys()
    _append_only()
    from truce.store import row_ledger

    row_ledger.ledger_existing_rows(op.get_bind(), actor="schema 0010", only=("user_keys",))


def _history(events: list[tuple[Any, str, dict]], current: str | None, created_at) -> list[dict]:
    """The keys a user had, from their ledger entries in order, ending with
    ``current`` (users.public_key) open."""
    keys: list[dict] = []
    open_: dict | None = None

    def close(at, why: str) -> None:
        nonlocal open_
        if open_ is not None:
            open_["valid_until"] = max(at, open_["valid_from"])
            open_["end_reason"] = why
            open_ = None

    last = created_at
    for at, action, content in events:
        last = max(last, at)
        key = (content or {}).get("public_key")
        if action in ("user.add", "user.key", "user.enrol") and key:
            if open_ is None or open_["public_key"] != key:
                close(at, "replaced")
                open_ = {"public_key": key, "valid_from": at, "valid_until": None, "end_reason": None,
                         "reason": f"from ledger entry {action}"}
                keys.append(open_)
        elif action == "user.revoke":
            close(at, "device revoked")
    if (open_ or {}).get("public_key") != current:
        close(last, "replaced")
        if current:
            keys.append({"public_key": current, "valid_from": last, "valid_until": None, "end_reason": None,
                         "reason": "registered before key history"})
    return keys


def _copy_keys() -> None:
    bind = op.get_bind()
    users = sa.table("users", sa.column("id"), sa.column("public_key"),
                     sa.column("created_at", truce.store.types.UTCDateTime(timezone=True)))
    ledger = sa.table("ledger", sa.column("seq"), sa.column("at", truce.store.types.UTCDateTime(timezone=True)),
                      sa.column("action"), sa.column("record_id"), sa.column("content", sa.JSON()))
    stamp = truce.store.types.UTCDateTime(timezone=True)
    user_keys = sa.table("user_keys", *(sa.column(c) for c in (
        "id", "user_id", "public_key", "added_by", "reason", "change_id", "ended_by", "end_reason")),
        sa.column("valid_from", stamp), sa.column("valid_until", stamp))
    actions = ("user.add", "user.key", "user.enrol", "user.revoke")
    for user_id, current, created_at in bind.execute(sa.select(users.c.id, users.c.public_key, users.c.created_at)
                                                     ).all():
        events = bind.execute(sa.select(ledger.c.at, ledger.c.action, ledger.c.content)
                              .where(ledger.c.record_id == user_id, ledger.c.action.in_(actions))
                              .order_by(ledger.c.seq)).all()
        for key in _history([tuple(e) for e in events], current, created_at):
            bind.execute(sa.insert(user_keys).values(
                id=f"key-{uuid.uuid4().hex[:16]}", user_id=user_id, public_key=key["public_key"],
                valid_from=key["valid_from"], valid_until=key["valid_until"], added_by="schema 0010",
                reason=key["reason"], change_id=None,
                ended_by="schema 0010" if key["valid_until"] else None, end_reason=key["end_reason"]))


def _append_only() -> None:
    """The database refuses a DELETE of a key and any UPDATE but closing an
    open key (the triggers are defined in ``truce.store.safeguards``, which
    `truce ledger verify` checks them against)."""
    from truce.store import safeguards

    for statement in safeguards.statements("user_keys", op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS user_keys_no_delete")
        op.execute("DROP TRIGGER IF EXISTS user_keys_only_close")
    else:
        op.execute("DROP TRIGGER IF EXISTS user_keys_append_only ON user_keys")
        op.execute("DROP FUNCTION IF EXISTS truce_user_keys_append_only()")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_column("change_id")
    op.drop_index("ix_user_keys_user_valid_from", table_name="user_keys")
    op.drop_table("user_keys")
    op.drop_index("ix_user_changes_user", table_name="user_changes")
    op.drop_table("user_changes")
