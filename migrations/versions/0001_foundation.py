"""Foundation: users, spaces, ideas, voters, pairwise votes, QV ballots.

Votes reference a voter (account or anonymous participant), not a user, so that wiki-survey
voters and in-person session participants need no schema rewrite later.

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-23 13:50:11.274943

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('spaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('center_lat', sa.Float(), nullable=False),
    sa.Column('center_lng', sa.Float(), nullable=False),
    sa.Column('zoom', sa.Integer(), nullable=False),
    sa.Column('boundary', sa.JSON(), nullable=True),
    sa.Column('phase', sa.Enum('ideas', 'voting', 'closed', name='space_phase', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('moderation', sa.Boolean(), nullable=False),
    sa.Column('anonymous_pairwise', sa.Boolean(), nullable=False),
    sa.Column('ideas_during_voting', sa.Boolean(), nullable=False),
    sa.Column('qv_budget', sa.Integer(), nullable=False),
    sa.Column('qv_negative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('center_lat BETWEEN -90 AND 90', name=op.f('ck_spaces_center_lat_range')),
    sa.CheckConstraint('center_lng BETWEEN -180 AND 180', name=op.f('ck_spaces_center_lng_range')),
    sa.CheckConstraint('length(name) >= 1', name=op.f('ck_spaces_name_not_empty')),
    sa.CheckConstraint('length(slug) >= 1', name=op.f('ck_spaces_slug_not_empty')),
    sa.CheckConstraint('qv_budget > 0', name=op.f('ck_spaces_qv_budget_positive')),
    sa.CheckConstraint('zoom BETWEEN 1 AND 20', name=op.f('ck_spaces_zoom_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spaces')),
    sa.UniqueConstraint('slug', name=op.f('uq_spaces_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.Enum('resident', 'facilitator', 'staff', 'admin', name='user_role', native_enum=False, create_constraint=True, length=19), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.CheckConstraint('length(display_name) >= 1', name=op.f('ck_users_display_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'hidden', 'under_review', 'adopted', 'declined', 'implemented', name='idea_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('staff_response', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(lat IS NULL) = (lng IS NULL)', name=op.f('ck_ideas_lat_lng_together')),
    sa.CheckConstraint('lat IS NULL OR lat BETWEEN -90 AND 90', name=op.f('ck_ideas_lat_range')),
    sa.CheckConstraint('length(title) >= 1', name=op.f('ck_ideas_title_not_empty')),
    sa.CheckConstraint('lng IS NULL OR lng BETWEEN -180 AND 180', name=op.f('ck_ideas_lng_range')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ideas_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_ideas_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas'))
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideas_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_ideas_space_status', ['space_id', 'status'], unique=False)

    op.create_table('voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('anon_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('user_id IS NOT NULL OR anon_key IS NOT NULL', name=op.f('ck_voters_user_or_anon_key')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voters')),
    sa.UniqueConstraint('anon_key', name=op.f('uq_voters_anon_key')),
    sa.UniqueConstraint('user_id', name=op.f('uq_voters_user_id'))
    )
    op.create_table('pairwise_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('left_idea_id', sa.Integer(), nullable=False),
    sa.Column('right_idea_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('left', 'right', 'tie', 'skip', name='pairwise_choice', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('skip_reason', sa.Enum('like_both', 'like_neither', 'same', 'dont_know', 'other', name='skip_reason', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('pair_key', sa.String(length=128), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("choice = 'skip' OR skip_reason IS NULL", name=op.f('ck_pairwise_votes_reason_only_on_skip')),
    sa.CheckConstraint('left_idea_id <> right_idea_id', name=op.f('ck_pairwise_votes_distinct_ideas')),
    sa.ForeignKeyConstraint(['left_idea_id'], ['ideas.id'], name=op.f('fk_pairwise_votes_left_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['right_idea_id'], ['ideas.id'], name=op.f('fk_pairwise_votes_right_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_pairwise_votes_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['voters.id'], name=op.f('fk_pairwise_votes_voter_id_voters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairwise_votes')),
    sa.UniqueConstraint('pair_key', name=op.f('uq_pairwise_votes_pair_key'))
    )
    with op.batch_alter_table('pairwise_votes', schema=None) as batch_op:
        batch_op.create_index('ix_pairwise_votes_space_created', ['space_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairwise_votes_voter_id'), ['voter_id'], unique=False)

    op.create_table('qv_ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('budget', sa.Integer(), nullable=False),
    sa.Column('credits_used', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('credits_used <= budget', name=op.f('ck_qv_ballots_within_budget')),
    sa.CheckConstraint('credits_used >= 0', name=op.f('ck_qv_ballots_credits_used_not_negative')),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_qv_ballots_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['voters.id'], name=op.f('fk_qv_ballots_voter_id_voters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qv_ballots')),
    sa.UniqueConstraint('space_id', 'voter_id', name='uq_qv_ballots_space_voter')
    )
    with op.batch_alter_table('qv_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qv_ballots_voter_id'), ['voter_id'], unique=False)

    op.create_table('qv_allocations',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.CheckConstraint('votes <> 0', name=op.f('ck_qv_allocations_votes_not_zero')),
    sa.ForeignKeyConstraint(['ballot_id'], ['qv_ballots.id'], name=op.f('fk_qv_allocations_ballot_id_qv_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_qv_allocations_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ballot_id', 'idea_id', name=op.f('pk_qv_allocations'))
    )
    with op.batch_alter_table('qv_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qv_allocations_idea_id'), ['idea_id'], unique=False)



def downgrade():
    with op.batch_alter_table('qv_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qv_allocations_idea_id'))

    op.drop_table('qv_allocations')
    with op.batch_alter_table('qv_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qv_ballots_voter_id'))

    op.drop_table('qv_ballots')
    with op.batch_alter_table('pairwise_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairwise_votes_voter_id'))
        batch_op.drop_index('ix_pairwise_votes_space_created')

    op.drop_table('pairwise_votes')
    op.drop_table('voters')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_space_status')
        batch_op.drop_index(batch_op.f('ix_ideas_author_id'))

    op.drop_table('ideas')
    op.drop_table('users')
    op.drop_table('spaces')
