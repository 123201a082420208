"""How many ideas the city expects to adopt (the top K pair choice focuses on).

Existing spaces get 10, the default of new ones.

Revision ID: 0015_focus_k
Revises: 0014_landmarks
Create Date: 2026-12-02 23:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_focus_k'
down_revision = '0014_landmarks'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('focus_k', sa.Integer(), server_default='10', nullable=False))
        batch_op.create_check_constraint(op.f('ck_spaces_focus_k_range'), 'focus_k BETWEEN 1 AND 100')


def downgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_spaces_focus_k_range'), type_='check')
        batch_op.drop_column('focus_k')
