"""How a space's name reads inside a sentence, per language ("el Zócalo"), set by staff.

Existing spaces get none: their questions read "el espacio «name»" in Spanish, as before.

Revision ID: 0013_space_name_in_sentence
Revises: 0012_legal_texts
Create Date: 2026-12-02 15:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_space_name_in_sentence'
down_revision = '0012_legal_texts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_in_sentence', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_column('name_in_sentence')
