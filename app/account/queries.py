"""What "My Plaza" lists: reusable queries returning select() objects."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import Follow, Idea, PairwiseVote, QVBallot, Space, Voter


def my_ideas(user_id: int) -> sa.Select:
    return (sa.select(Idea, Space).join(Space, Space.id == Idea.space_id)
            .where(Idea.author_id == user_id, Idea.merged_into_id.is_(None))
            .order_by(Idea.created_at.desc(), Idea.id.desc()))


def followed_ideas(user_id: int) -> sa.Select:
    return (sa.select(Idea, Space).join(Follow, Follow.idea_id == Idea.id).join(Space, Space.id == Idea.space_id)
            .where(Follow.user_id == user_id, sa.or_(Idea.author_id.is_(None), Idea.author_id != user_id))
            .order_by(Follow.created_at.desc()))


def my_participation(user_id: int) -> sa.Select:
    """Per space: pairwise votes given, and the quadratic ballot's credits used of its budget."""
    votes = (sa.select(PairwiseVote.space_id, sa.func.count(PairwiseVote.id).label("votes"))
             .join(Voter, Voter.id == PairwiseVote.voter_id).where(Voter.user_id == user_id)
             .group_by(PairwiseVote.space_id).subquery())
    ballots = (sa.select(QVBallot.space_id, QVBallot.credits_used, QVBallot.budget)
               .join(Voter, Voter.id == QVBallot.voter_id).where(Voter.user_id == user_id).subquery())
    return (sa.select(Space, votes.c.votes, ballots.c.credits_used, ballots.c.budget)
            .outerjoin(votes, votes.c.space_id == Space.id).outerjoin(ballots, ballots.c.space_id == Space.id)
            .where(sa.or_(votes.c.votes.is_not(None), ballots.c.credits_used.is_not(None)))
            .order_by(Space.name))
