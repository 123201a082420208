"""Accounts that confirm their address, follows and notices (e-mail and the job queue).

Accounts that existed before confirmation are taken as confirmed (they were opened under the
old rule, and would otherwise lose what they could do overnight); authors follow their own
ideas from the start, as new authors do.

Revision ID: 0009_accounts_notices
Revises: 0008_room_results
Create Date: 2026-12-01 23:10:06.836847

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_accounts_notices'
down_revision = '0008_room_results'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_follows_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'idea_id', name='uq_follows_user_idea')
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index('ix_follows_idea_id', ['idea_id'], unique=False)

    op.create_table('notice_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('status_changed', 'merged', 'announcement', name='notice_kind', native_enum=False, create_constraint=True, length=22), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fanned_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notice_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_notice_events_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_notice_events_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_events'))
    )
    with op.batch_alter_table('notice_events', schema=None) as batch_op:
        batch_op.create_index('ix_notice_events_pending', ['fanned_out_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_events_space_id'), ['space_id'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('delivery', sa.Enum('immediately', 'digest', name='notice_delivery', native_enum=False, create_constraint=True, length=19), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'skipped', name='notice_status', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['notice_events.id'], name=op.f('fk_notices_event_id_notice_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_notices_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('user_id', 'event_id', name='uq_notices_user_event')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_space_status', ['space_id', 'status'], unique=False)
        batch_op.create_index('ix_notices_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_notices_user_status', ['user_id', 'status'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        # Plain strings, then their CHECKs: SQLite's batch mode cannot copy a table while an
        # Enum's constraint names a column that is being added in the same batch.
        batch_op.add_column(sa.Column('language', sa.String(length=10), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('notify', sa.String(length=19), server_default='weekly', nullable=False))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_users_user_language'), "language IN ('en', 'es')")
        batch_op.create_check_constraint(op.f('ck_users_notify_choice'),
                                         "notify IN ('immediately', 'daily', 'weekly', 'never')")

    op.execute("UPDATE users SET email_confirmed_at = created_at")
    op.execute("INSERT INTO follows (user_id, idea_id, created_at) "
               "SELECT author_id, id, created_at FROM ideas WHERE author_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_notify_choice'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_user_language'), type_='check')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('notify')
        batch_op.drop_column('language')
        batch_op.drop_column('email_confirmed_at')

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_user_status')
        batch_op.drop_index('ix_notices_status_created')
        batch_op.drop_index('ix_notices_space_status')

    op.drop_table('notices')
    with op.batch_alter_table('notice_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_events_space_id'))
        batch_op.drop_index('ix_notice_events_pending')

    op.drop_table('notice_events')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index('ix_follows_idea_id')

    op.drop_table('follows')
