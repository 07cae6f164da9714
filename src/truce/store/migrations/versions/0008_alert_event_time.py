"""alerts: the time of what an alert concerns (event_at), apart from raised_at

Outputs of a day (the daily report, the alerts page) place an alert on the
day of the incident that raised it, not the day it was raised. Existing
alerts take the earliest start of their incidents (else raised_at).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import truce.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_at", truce.store.types.UTCDateTime(timezone=True),
                                      nullable=True))
    bind = op.get_bind()
    alerts = sa.table("alerts", sa.column("id", sa.String), sa.column("raised_at", sa.DateTime),
                      sa.column("incident_ids", sa.JSON), sa.column("event_at", sa.DateTime))
    incidents = sa.table("incidents", sa.column("id", sa.String), sa.column("start", sa.DateTime))
    for alert_id, raised_at, ids in bind.execute(
            sa.select(alerts.c.id, alerts.c.raised_at, alerts.c.incident_ids)).all():
        starts = [s for (s,) in bind.execute(
            sa.select(incidents.c.start).where(incidents.c.id.in_(list(ids or []))))] if ids else []
        bind.execute(sa.update(alerts).where(alerts.c.id == alert_id)
                     .values(event_at=min(starts) if starts else raised_at))
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.alter_column("event_at", existing_type=truce.store.types.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.create_index("ix_alerts_event_at", ["event_at"], unique=False)
    from truce.store import row_ledger

    row_ledger.ledger_existing_rows(op.get_bind(), actor="schema 0008")


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_event_at")
        batch_op.drop_column("event_at")
