"""A roll uploaded on the staff page, kept as keyed hashes between its preview and its import.

Revision ID: 0019_roll_uploads
Revises: 0018_stored_standings
Create Date: 2026-12-04 22:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_roll_uploads'
down_revision = '0018_stored_standings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'roll_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('id_columns', sa.JSON(), nullable=False),
        sa.Column('district_column', sa.String(length=120), nullable=True),
        sa.Column('entries', sa.LargeBinary(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('duplicates', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_roll_uploads_space_id_spaces'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_roll_uploads_uploaded_by_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roll_uploads')),
    )
    op.create_index(op.f('ix_roll_uploads_space_id'), 'roll_uploads', ['space_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_roll_uploads_space_id'), table_name='roll_uploads')
    op.drop_table('roll_uploads')
