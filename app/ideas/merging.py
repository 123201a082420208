"""Merging a duplicate idea into the one kept: its votes then count for the kept idea.

The duplicate is hidden through the transition table like any other status change, so an
idea the city has decided on (adopted, declined, implemented) cannot be merged away: its
public answer would vanish with no decision logged. Staff decide on the kept idea instead.

Pairwise votes that compared the two duplicates with each other carry no information about
either against the rest and would become an idea compared with itself: they are removed.
A quadratic ballot that voted on both keeps the larger vote (by size), so no ballot can go
over its budget by a merge (max(|a|,|b|)² ≤ a² + b²).
"""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Flag, Idea, PairwiseVote, QVAllocation, QVBallot
from app.ideas.transitions import TransitionError, label, transition
from app.text import _


class MergeError(ValueError):
    """A merge that cannot happen; the message says why, for staff."""


def check_merge(kept: Idea, merged: Idea) -> None:
    if kept.id == merged.id:
        raise MergeError(_("An idea cannot be merged into itself."))
    if kept.space_id != merged.space_id:
        raise MergeError(_("Both ideas must belong to the same space."))
    if merged.merged_into_id is not None:
        raise MergeError(_("This idea was already merged."))
    if kept.merged_into_id is not None:
        raise MergeError(_("The idea to keep was itself merged into another one."))
    try:
        transition(merged.status, "hidden")
    except TransitionError as exc:
        raise MergeError(_("“%(title)s” is %(status)s: the city's answer on it would disappear. "
                           "Merge the other idea into it instead.",
                           title=merged.title, status=label(merged.status))) from exc


def merge_ideas(kept: Idea, merged: Idea) -> dict[str, int]:
    """Move votes and ballots from `merged` to `kept`; the caller commits. Returns counts."""
    check_merge(kept, merged)
    between = sa.or_(
        sa.and_(PairwiseVote.left_idea_id == merged.id, PairwiseVote.right_idea_id == kept.id),
        sa.and_(PairwiseVote.left_idea_id == kept.id, PairwiseVote.right_idea_id == merged.id),
    )
    dropped = db.session.execute(sa.delete(PairwiseVote).where(between)).rowcount
    dropped += _drop_repeated_comparisons(kept.id, merged.id)
    moved = 0
    for column in (PairwiseVote.left_idea_id, PairwiseVote.right_idea_id):
        moved += db.session.execute(
            sa.update(PairwiseVote).where(column == merged.id).values({column.key: kept.id})
        ).rowcount
    ballots = _merge_allocations(kept.id, merged.id)
    db.session.execute(sa.delete(Flag).where(Flag.idea_id == merged.id))
    merged.merged_into_id = kept.id
    merged.status = transition(merged.status, "hidden")
    return {"pairwise_moved": moved, "pairwise_dropped": dropped, "ballots_changed": ballots}


def _drop_repeated_comparisons(kept_id: int, merged_id: int) -> int:
    """A voter who compared X with both duplicates would hold two votes on (kept, X) after
    the merge, which the one-vote-per-pair index refuses: the vote on the kept idea stays."""
    kept_votes = sa.select(PairwiseVote).where(
        sa.or_(PairwiseVote.left_idea_id == kept_id, PairwiseVote.right_idea_id == kept_id)).subquery()
    merged_other = sa.case((PairwiseVote.left_idea_id == merged_id, PairwiseVote.right_idea_id),
                           else_=PairwiseVote.left_idea_id)
    kept_other = sa.case((kept_votes.c.left_idea_id == kept_id, kept_votes.c.right_idea_id),
                         else_=kept_votes.c.left_idea_id)
    repeated = sa.exists().where(kept_votes.c.voter_id == PairwiseVote.voter_id,
                                 kept_votes.c.space_id == PairwiseVote.space_id,
                                 kept_other == merged_other)
    return db.session.execute(sa.delete(PairwiseVote).where(
        sa.or_(PairwiseVote.left_idea_id == merged_id, PairwiseVote.right_idea_id == merged_id),
        repeated)).rowcount


def _merge_allocations(kept_id: int, merged_id: int) -> int:
    changed = 0
    rows = db.session.scalars(sa.select(QVAllocation).where(QVAllocation.idea_id == merged_id)).all()
    for allocation in rows:
        ballot = db.session.get(QVBallot, allocation.ballot_id, with_for_update=True)
        other = db.session.get(QVAllocation, (ballot.id, kept_id))
        if other is None:
            db.session.add(QVAllocation(ballot_id=ballot.id, idea_id=kept_id, votes=allocation.votes))
        elif abs(allocation.votes) > abs(other.votes):
            other.votes = allocation.votes
        db.session.delete(allocation)
        db.session.flush()
        ballot.credits_used = sum(a.votes ** 2 for a in db.session.scalars(
            sa.select(QVAllocation).where(QVAllocation.ballot_id == ballot.id)))
        ballot.revision += 1
        changed += 1
    return changed
