"""Which ranking is a space's official result, and a record of each merge so it can be undone.

Existing spaces keep showing both rankings side by side, as before ("both").

Revision ID: 0011_walk_results
Revises: 0010_walk_accounts
Create Date: 2026-12-02 01:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_walk_results'
down_revision = '0010_walk_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        # A plain string, then its CHECK (as in 0009: SQLite's batch copy cannot build an
        # Enum's constraint on a column added in the same batch).
        batch_op.add_column(sa.Column('official_result', sa.String(length=17),
                                      server_default='both', nullable=False))
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_spaces_space_official_result'),
                                         "official_result IN ('pairwise', 'quadratic', 'both')")
    op.create_table(
        'idea_merges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('kept_id', sa.Integer(), nullable=False),
        sa.Column('duplicate_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('moved', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_idea_merges_space_id_spaces'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['kept_id'], ['ideas.id'], name=op.f('fk_idea_merges_kept_id_ideas'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['duplicate_id'], ['ideas.id'], name=op.f('fk_idea_merges_duplicate_id_ideas'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_idea_merges_actor_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_merges')),
    )
    with op.batch_alter_table('idea_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_merges_duplicate_id'), ['duplicate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('idea_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_merges_duplicate_id'))
    op.drop_table('idea_merges')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_spaces_space_official_result'), type_='check')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_column('official_result')
