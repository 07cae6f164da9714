"""sources.relays (the sources a source relays, beyond ``repeats``); report_reviews
(an analyst's decision on an observer report: incident or no incident, why);
incidents.location_uncertainty_m (the radius of a position estimated from
an observer's bearing and distance)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import truce.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relays", sa.JSON(), nullable=True))
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location_uncertainty_m", sa.Float(), nullable=True))
    op.create_table(
        "report_reviews",
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("incident_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", truce.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("report_id"),
    )
    from truce.store import row_ledger

    row_ledger.ledger_existing_rows(op.get_bind(), actor="schema 0009")


def downgrade() -> None:
    op.drop_table("report_reviews")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("location_uncertainty_m")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("relays")
