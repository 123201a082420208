"""Facilitated sessions: kiosk and phone participants, ideas written down in a session.

A session has a join code and a hashed kiosk PIN (with a lock-out counter); each
participant is a fresh anonymous voter; ballot_seq guards against an older offline ballot
overwriting a newer one; session ideas carry the client's idempotency key.

Revision ID: 0004_sessions
Revises: 0003_audit
Create Date: 2026-11-23 14:40:20.783179

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_sessions'
down_revision = '0003_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('facilitated_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.Enum('pairwise', 'quadratic', 'both', name='session_mode', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('collect_ideas', sa.Boolean(), nullable=False),
    sa.Column('idle_seconds', sa.Integer(), nullable=False),
    sa.Column('join_code', sa.String(length=12), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('pin_failures', sa.Integer(), nullable=False),
    sa.Column('pin_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_facilitated_sessions_ends_after_start')),
    sa.CheckConstraint('idle_seconds BETWEEN 30 AND 900', name=op.f('ck_facilitated_sessions_idle_range')),
    sa.CheckConstraint('length(name) >= 1', name=op.f('ck_facilitated_sessions_name_not_empty')),
    sa.CheckConstraint('pin_failures >= 0', name=op.f('ck_facilitated_sessions_pin_failures_not_negative')),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_facilitated_sessions_facilitator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_facilitated_sessions_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitated_sessions')),
    sa.UniqueConstraint('join_code', name=op.f('uq_facilitated_sessions_join_code'))
    )
    with op.batch_alter_table('facilitated_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitated_sessions_facilitator_id'), ['facilitator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilitated_sessions_space_id'), ['space_id'], unique=False)

    op.create_table('session_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('via', sa.Enum('kiosk', 'phone', name='participant_via', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ballot_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ballot_seq >= 0', name=op.f('ck_session_participants_ballot_seq_not_negative')),
    sa.ForeignKeyConstraint(['session_id'], ['facilitated_sessions.id'], name=op.f('fk_session_participants_session_id_facilitated_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['voters.id'], name=op.f('fk_session_participants_voter_id_voters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_participants')),
    sa.UniqueConstraint('voter_id', name=op.f('uq_session_participants_voter_id'))
    )
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.create_index('ix_session_participants_session_started', ['session_id', 'started_at'], unique=False)

    op.create_table('session_ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(client_key) >= 8', name=op.f('ck_session_ideas_client_key_length')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_session_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['session_participants.id'], name=op.f('fk_session_ideas_participant_id_session_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['facilitated_sessions.id'], name=op.f('fk_session_ideas_session_id_facilitated_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_ideas')),
    sa.UniqueConstraint('idea_id', name=op.f('uq_session_ideas_idea_id')),
    sa.UniqueConstraint('participant_id', 'client_key', name='uq_session_ideas_participant_key')
    )
    with op.batch_alter_table('session_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_ideas_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('session_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_ideas_session_id'))

    op.drop_table('session_ideas')
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.drop_index('ix_session_participants_session_started')

    op.drop_table('session_participants')
    with op.batch_alter_table('facilitated_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilitated_sessions_space_id'))
        batch_op.drop_index(batch_op.f('ix_facilitated_sessions_facilitator_id'))

    op.drop_table('facilitated_sessions')
