"""What the walkthrough asked of spaces and accounts (issue 17).

New spaces are moderated unless staff turn it off; spaces that exist keep their setting (only
the column's default changes, no row is rewritten).

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


def downgrade():
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.alter_column('moderation', existing_type=sa.Boolean(), server_default=None)
