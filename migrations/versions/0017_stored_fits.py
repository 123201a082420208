"""One stored pairwise fit per space, written by the refit job and read by every web worker.

Existing spaces get no row: their first refit job writes it, and until then pairs are
served from the prior.

Revision ID: 0017_stored_fits
Revises: 0016_eligibility
Create Date: 2026-12-03 17:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_stored_fits'
down_revision = '0016_eligibility'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_fits',
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('serial', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_vote_id', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('data_version', sa.Integer(), server_default='-1', nullable=False),
        sa.Column('focus_k', sa.Integer(), server_default='0', nullable=False),
        sa.Column('votes', sa.Integer(), server_default='0', nullable=False),
        sa.Column('voters', sa.Integer(), server_default='0', nullable=False),
        sa.Column('payload', sa.LargeBinary(), nullable=True),
        sa.Column('fitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('seconds', sa.Float(), nullable=True),
        sa.Column('locked_by', sa.String(length=120), nullable=True),
        sa.Column('locked_until', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_stored_fits_space_id_spaces'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('space_id', name=op.f('pk_stored_fits')),
    )


def downgrade():
    op.drop_table('stored_fits')
