"""ledger: the RFC 9162 Merkle tree (leaf hashes, complete subtrees, frontier) and cosignatures

Each entry's leaf hash is SHA-256(0x00 || entry bytes); every complete
subtree is stored once in ``ledger_nodes``; ``ledger_head.frontier`` holds
the roots of the subtrees the current tree is made of. Existing entries
are hashed into the tree here, in order, and every existing record row is
ledgered as it stands (a ``row.update`` entry each), so that
``truce ledger verify`` can reconcile an upgraded database.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leaf_hash", sa.LargeBinary(), nullable=True))
        batch_op.create_index("ix_ledger_record_id_seq", ["record_id", "seq"], unique=False)
    with op.batch_alter_table("ledger_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("frontier", sa.LargeBinary(), nullable=True))
    op.create_table(
        "ledger_nodes",
        sa.Column("key", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False,
                  nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "cosignatures",
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("witness", sa.String(length=200), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("vkey", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", "witness"),
    )
    _hash_existing_entries()


def _hash_existing_entries() -> None:
    from truce.store import ledger, row_ledger

    ledger.rebuild_tree(op.get_bind())
    # rows written before every write was ledgered as its row: their image now
    row_ledger.ledger_existing_rows(op.get_bind(), actor="schema 0007")


def downgrade() -> None:
    op.drop_table("cosignatures")
    op.drop_table("ledger_nodes")
    with op.batch_alter_table("ledger_head", schema=None) as batch_op:
        batch_op.drop_column("frontier")
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_record_id_seq")
        batch_op.drop_column("leaf_hash")
