"""the joint commission's casework: each agreement's rules (deadlines, quorum) and
commission members; cases (complaints, investigations), their evidence with
hashes, requests for information, findings, approvals and the parties' replies

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import truce.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commission_members',
    sa.Column('agreement_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('seat', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('agreement_id', 'user_id')
    )
    op.create_table('commission_rules',
    sa.Column('agreement_id', sa.String(length=64), nullable=False),
    sa.Column('finding_hours', sa.Integer(), nullable=False),
    sa.Column('reply_hours', sa.Integer(), nullable=False),
    sa.Column('request_hours', sa.Integer(), nullable=False),
    sa.Column('quorum', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.PrimaryKeyConstraint('agreement_id')
    )
    op.create_table('cases',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('alert_id', sa.String(length=64), nullable=True),
    sa.Column('complainant', sa.String(length=32), nullable=True),
    sa.Column('accused', sa.String(length=32), nullable=True),
    sa.Column('term', sa.String(length=64), nullable=True),
    sa.Column('incident_ids', sa.JSON(), nullable=False),
    sa.Column('allegation', sa.JSON(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filed_by', sa.String(length=200), nullable=True),
    sa.Column('filed_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.String(length=200), nullable=True),
    sa.Column('opened_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accused'], ['parties.id'], ),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], ),
    sa.ForeignKeyConstraint(['complainant'], ['parties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_status_due', ['status', 'due_at'], unique=False)

    op.create_table('case_evidence',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('added_by', sa.String(length=200), nullable=True),
    sa.Column('added_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_case_evidence_case', ['case_id'], unique=False)

    op.create_table('case_requests',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('sent_by', sa.String(length=200), nullable=True),
    sa.Column('sent_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_requests', schema=None) as batch_op:
        batch_op.create_index('ix_case_requests_case', ['case_id'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('party', sa.String(length=32), nullable=True),
    sa.Column('term', sa.String(length=64), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('cites', sa.JSON(), nullable=False),
    sa.Column('drafted_by', sa.String(length=200), nullable=True),
    sa.Column('drafted_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reply_due_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=200), nullable=True),
    sa.Column('published_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['party'], ['parties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id')
    )
    op.create_table('case_replies',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('party', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('finding_id', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=True),
    sa.Column('at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ),
    sa.ForeignKeyConstraint(['party'], ['parties.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['case_requests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_replies', schema=None) as batch_op:
        batch_op.create_index('ix_case_replies_case', ['case_id'], unique=False)

    op.create_table('finding_approvals',
    sa.Column('finding_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('seat', sa.String(length=32), nullable=False),
    sa.Column('approved_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('finding_id', 'user_id')
    )
    # new tables only, empty: no existing row changes, so nothing to ledger here


def downgrade() -> None:
    op.drop_table('finding_approvals')
    with op.batch_alter_table('case_replies', schema=None) as batch_op:
        batch_op.drop_index('ix_case_replies_case')

    op.drop_table('case_replies')
    op.drop_table('findings')
    with op.batch_alter_table('case_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_case_requests_case')

    op.drop_table('case_requests')
    with op.batch_alter_table('case_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_case_evidence_case')

    op.drop_table('case_evidence')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_due')

    op.drop_table('cases')
    op.drop_table('commission_rules')
    op.drop_table('commission_members')
