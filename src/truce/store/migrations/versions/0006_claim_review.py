"""claims: why a claim was rejected or shown false, and by which source

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('refuted_by', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key('fk_claims_refuted_by_sources', 'sources', ['refuted_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_constraint('fk_claims_refuted_by_sources', type_='foreignkey')
        batch_op.drop_column('refuted_by')
        batch_op.drop_column('status_reason')
