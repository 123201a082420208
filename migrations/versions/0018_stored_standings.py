"""The quadratic standings of each space, computed once per change and read by every worker.

Existing spaces get no row: the first ranking asked for computes and stores it.

Revision ID: 0018_stored_standings
Revises: 0017_stored_fits
Create Date: 2026-12-04 13:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_stored_standings'
down_revision = '0017_stored_fits'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_standings',
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('totals', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_stored_standings_space_id_spaces'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('space_id', name=op.f('pk_stored_standings')),
    )


def downgrade():
    op.drop_table('stored_standings')
