"""The city's terms of use and privacy notice, and when each account accepted them.

Accounts made before sign-up asked keep an empty acceptance date: Plaza does not claim an
acceptance nobody gave.

Revision ID: 0012_legal_texts
Revises: 0011_walk_results
Create Date: 2026-12-02 07:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_legal_texts'
down_revision = '0011_walk_results'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'legal_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('terms', 'privacy', name='legal_kind', native_enum=False,
                                  create_constraint=True, length=15), nullable=False),
        sa.Column('language', sa.Enum('en', 'es', name='legal_language', native_enum=False,
                                      create_constraint=True, length=10), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('length(trim(body)) >= 1', name=op.f('ck_legal_texts_body_not_empty')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_legal_texts_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_texts')),
        sa.UniqueConstraint('kind', 'language', name='uq_legal_texts_kind_language'),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms_accepted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('terms_accepted_at')
    op.drop_table('legal_texts')
