"""ledger.cause: each row entry names the action entry of its transaction (the
decision that wrote the row), so `truce ledger verify` can name a row entry
no action explains (one appended around truce's services).

Existing row entries are linked by how truce wrote them: a transaction's
entries are contiguous (the head's lock), its action entries first and its
row entries after, by the same actor. Rows no action preceded (those a
migration ledgered) point forward to one ``ledger.causes`` entry this
revision appends, which vouches for them as written before it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

from truce.store import causes

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cause", sa.Integer(), nullable=True))
    causes.backfill(op.get_bind(), actor="schema 0012")


def downgrade() -> None:
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_column("cause")
