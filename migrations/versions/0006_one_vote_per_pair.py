"""One pairwise vote per voter and pair of ideas, enforced by the database; (space_id, id).

The check that a voter had not compared two ideas yet ran before the insert, so two pair ids
for the same two ideas sent at once were both stored (seen on PostgreSQL). Duplicates already
stored are removed first, keeping each voter's first answer (the lowest id); the removed votes
are written to the migration log.

`ix_pairwise_votes_space_id_id` serves "the newest vote of this space" (max(id) WHERE
space_id = ?), which walked the primary key backwards past other spaces' votes.

Revision ID: 0006_one_vote_per_pair
Revises: 0005_login_sessions
Create Date: 2026-12-01 21:30:00
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0006_one_vote_per_pair'
down_revision = '0005_login_sessions'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _pair(bind, table: str = "") -> tuple[str, str]:
    """SQL for the lower and higher idea id of a vote, whichever side each was shown on."""
    low, high = ("least", "greatest") if bind.dialect.name == "postgresql" else ("min", "max")
    prefix = f"{table}." if table else ""
    ids = f"{prefix}left_idea_id, {prefix}right_idea_id"
    return f"{low}({ids})", f"{high}({ids})"


def upgrade():
    bind = op.get_bind()
    (v_low, v_high), (w_low, w_high) = _pair(bind, "v"), _pair(bind, "w")
    duplicates = bind.execute(sa.text(f"""
        SELECT v.id, v.space_id, v.voter_id, v.left_idea_id, v.right_idea_id, v.choice
        FROM pairwise_votes v
        WHERE v.id > (SELECT min(w.id) FROM pairwise_votes w
                      WHERE w.space_id = v.space_id AND w.voter_id = v.voter_id
                        AND {w_low} = {v_low} AND {w_high} = {v_high})
        ORDER BY v.id""")).all()
    for row in duplicates:
        log.warning("Removing duplicate pairwise vote %s (space %s, voter %s, ideas %s/%s, %s): "
                    "the voter's first vote on this pair is kept.", *row)
    if duplicates:
        ids = [row[0] for row in duplicates]
        for start in range(0, len(ids), 500):
            bind.execute(sa.text("DELETE FROM pairwise_votes WHERE id IN :ids")
                         .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids[start:start + 500]})
    log.info("Removed %s duplicate pairwise votes.", len(duplicates))
    with op.batch_alter_table('pairwise_votes', schema=None) as batch_op:
        batch_op.create_index('ix_pairwise_votes_space_id_id', ['space_id', 'id'], unique=False)
    low, high = _pair(bind)
    op.create_index('uq_pairwise_votes_voter_pair', 'pairwise_votes',
                    ['space_id', 'voter_id', sa.text(low), sa.text(high)], unique=True)


def downgrade():
    op.drop_index('uq_pairwise_votes_voter_pair', table_name='pairwise_votes')
    with op.batch_alter_table('pairwise_votes', schema=None) as batch_op:
        batch_op.drop_index('ix_pairwise_votes_space_id_id')
