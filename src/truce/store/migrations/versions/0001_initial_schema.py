"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

import truce.store.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledger',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('ledger_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('line_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('sector', sa.Text(), nullable=False),
    sa.Column('geojson', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('parties',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('places',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('admin1', sa.String(length=32), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('alternatenames', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('actors',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('party_id', sa.String(length=32), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('controls',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('place_id', sa.String(length=64), nullable=True),
    sa.Column('place_name', sa.Text(), nullable=False),
    sa.Column('party_id', sa.String(length=32), nullable=False),
    sa.Column('previous_party', sa.String(length=32), nullable=True),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.ForeignKeyConstraint(['previous_party'], ['parties.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('incidents',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('sub_type', sa.String(length=64), nullable=True),
    sa.Column('start', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('time_precision', sa.String(length=16), nullable=False),
    sa.Column('place_id', sa.String(length=64), nullable=True),
    sa.Column('place_name', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('geo_precision', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('weapon_class', sa.String(length=32), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('damage', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actor1', sa.Text(), nullable=True),
    sa.Column('actor2', sa.Text(), nullable=True),
    sa.Column('grade', sa.String(length=16), nullable=True),
    sa.Column('grade_reasons', sa.JSON(), nullable=False),
    sa.Column('grade_override', sa.String(length=16), nullable=True),
    sa.Column('grade_override_reason', sa.Text(), nullable=True),
    sa.Column('created_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index('ix_incidents_start', ['start'], unique=False)
        batch_op.create_index('ix_incidents_status_start', ['status', 'start'], unique=False)

    op.create_table('place_names',
    sa.Column('place_id', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.PrimaryKeyConstraint('place_id', 'key')
    )
    with op.batch_alter_table('place_names', schema=None) as batch_op:
        batch_op.create_index('ix_place_names_key', ['key'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('party_id', sa.String(length=32), nullable=True),
    sa.Column('token_hash', sa.Text(), nullable=False),
    sa.Column('token_prefix', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_token_prefix', ['token_prefix'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('published', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('affiliation', sa.String(length=32), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('repeats', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], ),
    sa.ForeignKeyConstraint(['affiliation'], ['parties.id'], ),
    sa.ForeignKeyConstraint(['repeats'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('agreements',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('start', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('casualty_figures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('incident_id', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('qualifier', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('casualty_figures', schema=None) as batch_op:
        batch_op.create_index('ix_casualty_figures_incident', ['incident_id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('incident_id', sa.String(length=64), nullable=True),
    sa.Column('control_id', sa.String(length=64), nullable=True),
    sa.Column('actor_id', sa.String(length=64), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('proposition', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], ),
    sa.ForeignKeyConstraint(['control_id'], ['controls.id'], ),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_incident', ['incident_id'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_status', ['status'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('received', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('observed_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('place_id', sa.String(length=64), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('observer_id', sa.String(length=64), nullable=True),
    sa.Column('corrects', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['corrects'], ['reports.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_received', ['received'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('raised_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('incident_ids', sa.JSON(), nullable=False),
    sa.Column('agreement_id', sa.String(length=64), nullable=True),
    sa.Column('sector', sa.Text(), nullable=True),
    sa.Column('acknowledged_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('incident_reports',
    sa.Column('incident_id', sa.String(length=64), nullable=False),
    sa.Column('report_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('incident_id', 'report_id')
    )
    with op.batch_alter_table('incident_reports', schema=None) as batch_op:
        batch_op.create_index('ix_incident_reports_report', ['report_id'], unique=False)
    op.execute("INSERT INTO ledger_head (id, seq, entry_hash) VALUES (1, 0, '" + "0" * 64 + "')")
    _forbid_report_changes()


def _forbid_report_changes() -> None:
    """Reports are immutable: the database itself refuses UPDATE and DELETE
    (the triggers are defined in ``truce.store.safeguards``, which
    `truce ledger verify` checks them against)."""
    from truce.store import safeguards

    for statement in safeguards.statements("reports", op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table('incident_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_reports_report')

    op.drop_table('incident_reports')
    op.drop_table('alerts')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_received')

    op.drop_table('reports')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_status')

    op.drop_table('proposals')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_incident')

    op.drop_table('claims')
    with op.batch_alter_table('casualty_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_casualty_figures_incident')

    op.drop_table('casualty_figures')
    op.drop_table('agreements')
    op.drop_table('sources')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_token_prefix')

    op.drop_table('users')
    with op.batch_alter_table('place_names', schema=None) as batch_op:
        batch_op.drop_index('ix_place_names_key')

    op.drop_table('place_names')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_status_start')
        batch_op.drop_index('ix_incidents_start')

    op.drop_table('incidents')
    op.drop_table('controls')
    op.drop_table('actors')
    op.drop_table('places')
    op.drop_table('parties')
    op.drop_table('line_versions')
    op.drop_table('ledger_head')
    op.drop_table('ledger')
