"""What the walkthrough asked of spaces and accounts (issue 17).

New spaces are moderated unless staff turn it off; spaces that exist keep their setting (only
the column's default changes, no row is rewritten). The city's answer to an idea may have a
version in the other language; answers written before have no language recorded and are shown
as they are to everyone.

Revision ID: 0010_walk_accounts
Revises: 0009_accounts_notices
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_walk_accounts'
down_revision = '0009_accounts_notices'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.alter_column('moderation', existing_type=sa.Boolean(), server_default=sa.true())
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_response_language', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('staff_response_translation', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('staff_response_translation')
        batch_op.drop_column('staff_response_language')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.alter_column('moderation', existing_type=sa.Boolean(), server_default=None)
