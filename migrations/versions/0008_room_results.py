"""A session's projector shows the room's own tally only when the facilitator allows it.

Revision ID: 0008_room_results
Revises: 0007_data_versions
Create Date: 2026-12-01 22:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_room_results'
down_revision = '0007_data_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('facilitated_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_room_results', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('facilitated_sessions', schema=None) as batch_op:
        batch_op.drop_column('show_room_results')
