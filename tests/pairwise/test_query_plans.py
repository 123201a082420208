"""Every hot query of the voting path is served by an index on PostgreSQL (EXPLAIN).

With sequential scans switched off, the planner still writes "Seq Scan" for a table that
no index can serve, so a plan without one proves an index exists for the query; the newest
vote of a space must come from (space_id, id), not from the primary key walked backwards
past every newer vote of other spaces.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, Space, Voter
from app.models.columns import pair_high, pair_low
from app.pairwise import service, standings


@pytest.fixture
def two_spaces(postgresql, make_space, make_idea):
    """An older space and a busier newer one, with votes in both; statistics up to date."""
    spaces = [make_space(slug=s) for s in ("older", "newer")]
    ideas = {s.id: [make_idea(s, title=f"Idea {n}").id for n in range(6)] for s in spaces}
    voters = [Voter(anon_key=f"voter-{n}") for n in range(20)]
    db.session.add_all(voters)
    db.session.flush()
    rows, key = [], 0
    for space in spaces:
        for voter in voters:
            for a in range(6):
                for b in range(a + 1, 6):
                    key += 1
                    rows.append({"space_id": space.id, "voter_id": voter.id, "left_idea_id": ideas[space.id][a],
                                 "right_idea_id": ideas[space.id][b], "choice": "left", "pair_key": f"k{key}"})
    db.session.execute(sa.insert(PairwiseVote), rows)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    return spaces[0], voters[0]


def plan(statement, params: dict) -> str:
    with db.engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        sql = str(statement.params(**params).compile(dialect=conn.dialect,
                                                      compile_kwargs={"literal_binds": True}))
        rows = conn.exec_driver_sql("EXPLAIN " + sql).scalars().all()
    return "\n".join(rows)


def hot_queries(space: Space, voter: Voter) -> dict[str, tuple]:
    by_voter = {"space_id": space.id, "voter_id": voter.id}
    low_high = sa.select(PairwiseVote.id).where(
        PairwiseVote.space_id == space.id, PairwiseVote.voter_id == voter.id,
        pair_low(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id) == 1,
        pair_high(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id) == 2)
    return {
        "space by slug": (Space.by_slug(sa.bindparam("slug")), {"slug": space.slug}),
        "voter's answered pairs": (service._ANSWERED, by_voter),
        "voter's vote count": (service._VOTES_BY, by_voter),
        "ideas of a pair": (sa.select(Idea).where(Idea.id.in_([1, 2])), {}),
        "replay by pair id": (sa.select(PairwiseVote).where(PairwiseVote.pair_key == "k1"), {}),
        "voter's vote on a pair": (low_high, {}),
        "newest vote of the space": (
            sa.select(sa.func.max(PairwiseVote.id)).where(PairwiseVote.space_id == space.id), {}),
    }


@pytest.mark.parametrize("name", ["space by slug", "voter's answered pairs", "voter's vote count",
                                  "ideas of a pair", "replay by pair id", "voter's vote on a pair",
                                  "newest vote of the space"])
def test_hot_query_uses_an_index(two_spaces, name):
    statement, params = hot_queries(*two_spaces)[name]
    text = plan(statement, params)
    assert "Seq Scan" not in text, text


def test_the_newest_vote_of_a_space_comes_from_its_space_id_index(two_spaces):
    space, _voter = two_spaces
    text = plan(sa.select(sa.func.max(PairwiseVote.id)).where(PairwiseVote.space_id == space.id), {})
    assert "ix_pairwise_votes_space_id_id" in text, text


def test_the_fit_version_reads_the_newest_vote_through_that_query(two_spaces):
    """data_version is what every ranking request asks first: it must be that same query."""
    space, _voter = two_spaces
    statements: list[str] = []

    def seen(conn, cursor, sql, *args):
        statements.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        standings.data_version(space.id)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert any("max(pairwise_votes.id)" in s for s in statements), statements
