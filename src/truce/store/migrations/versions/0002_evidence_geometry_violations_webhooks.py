"""evidence geometry violations webhooks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

import truce.store.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhooks',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('incident_geo',
    sa.Column('incident_id', sa.String(length=64), nullable=False),
    sa.Column('line_valid_from', sa.Date(), nullable=True),
    sa.Column('distance_to_line_m', sa.Float(), nullable=True),
    sa.Column('side', sa.String(length=32), nullable=True),
    sa.Column('sector', sa.Text(), nullable=True),
    sa.Column('sovereign_country', sa.String(length=2), nullable=True),
    sa.Column('in_disputed_region', sa.Boolean(), nullable=True),
    sa.Column('populated_place_id', sa.String(length=64), nullable=True),
    sa.Column('computed_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ),
    sa.ForeignKeyConstraint(['populated_place_id'], ['places.id'], ),
    sa.PrimaryKeyConstraint('incident_id')
    )
    with op.batch_alter_table('incident_geo', schema=None) as batch_op:
        batch_op.create_index('ix_incident_geo_sector', ['sector'], unique=False)

    op.create_table('evidence',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('report_id', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('stored_path', sa.Text(), nullable=False),
    sa.Column('received', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('sha256', 'report_id')
    )
    op.create_table('violations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('agreement_id', sa.String(length=64), nullable=False),
    sa.Column('incident_id', sa.String(length=64), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('responsible', sa.String(length=32), nullable=True),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('claim_ids', sa.JSON(), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sector', sa.Text(), nullable=True),
    sa.Column('computed_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.create_index('ix_violations_agreement_day', ['agreement_id', 'day'], unique=False)
        batch_op.create_index('ix_violations_incident', ['incident_id'], unique=False)

    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('webhook_id', sa.String(length=64), nullable=False),
    sa.Column('alert_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', truce.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', truce.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], ),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_deliveries_status', ['status', 'next_attempt_at'], unique=False)
    _postgis_columns()


def _postgis_columns() -> None:
    """On PostgreSQL, PostGIS geometry kept in step with the plain columns,
    so spatial queries can run in the database with a GiST index."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        "ALTER TABLE incidents ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
        "(CASE WHEN longitude IS NULL THEN NULL "
        "ELSE ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END) STORED"
    )
    op.execute("CREATE INDEX ix_incidents_geom ON incidents USING gist (geom)")
    op.execute(
        "ALTER TABLE line_versions ADD COLUMN geom geometry(Geometry, 4326) GENERATED ALWAYS AS "
        "(ST_SetSRID(ST_GeomFromGeoJSON(geojson::text), 4326)) STORED"
    )
    op.execute("CREATE INDEX ix_line_versions_geom ON line_versions USING gist (geom)")


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_deliveries_status')

    op.drop_table('webhook_deliveries')
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.drop_index('ix_violations_incident')
        batch_op.drop_index('ix_violations_agreement_day')

    op.drop_table('violations')
    op.drop_table('evidence')
    with op.batch_alter_table('incident_geo', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_geo_sector')

    op.drop_table('incident_geo')
    op.drop_table('webhooks')
