"""incidents: covering index for per-day reads (status, start, id)

The daily report and the map read the ids of published incidents of a day
or a fortnight; with the id in the index those reads never touch the table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_status_start")
        batch_op.create_index("ix_incidents_status_start_id", ["status", "start", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_status_start_id")
        batch_op.create_index("ix_incidents_status_start", ["status", "start"], unique=False)
