"""Observer tasking under the ledger: ``tasks`` and ``task_reports`` become
record tables (``row_ledger.RECORD_TABLES``), so `truce ledger verify`
reconciles them like every other record table.

No column changes. The rows written before this revision were never
ledgered as rows (their ``task.add``, ``task.close`` and ``task.report``
action entries were); they are ledgered here as they stand, after one
``schema.rows`` action entry that explains them, so an existing store
keeps verifying.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from alembic import op

from truce.store import row_ledger

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    row_ledger.ledger_existing_rows(op.get_bind(), actor="schema 0014", only=["tasks", "task_reports"])


def downgrade() -> None:
    pass  # the row entries stay: the ledger is append-only, and an older version ignores them
