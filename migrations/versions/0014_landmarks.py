"""Places staff name in a space (landmarks), the one an idea was placed at, and whether an
idea may be "somewhere in the space" with no spot.

Existing spaces get no landmarks and keep asking for a spot; existing ideas keep their pins.

Revision ID: 0014_landmarks
Revises: 0013_space_name_in_sentence
Create Date: 2026-12-02 18:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_landmarks'
down_revision = '0013_space_name_in_sentence'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('landmarks', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('ideas_anywhere', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('landmark', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('landmark')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_column('ideas_anywhere')
        batch_op.drop_column('landmarks')
