"""Data versions kept by the database: spaces.data_version and qv_ballots.revision.

Caches (the map's GeoJSON and its ETag, similar ideas, pairwise fits, the quadratic
standings) were keyed on max(updated_at), written with each app machine's own clock: one
machine an hour ahead froze them for everyone. They now key on counters bumped in the same
transaction as the change.

Revision ID: 0007_data_versions
Revises: 0006_one_vote_per_pair
Create Date: 2026-12-01 22:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_data_versions'
down_revision = '0006_one_vote_per_pair'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('qv_ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('qv_ballots', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_column('data_version')
