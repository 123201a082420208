"""Who votes, and what they voted: pairwise comparisons and quadratic ballots."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import choice_type, pair_high, pair_low, utcnow

PAIRWISE_CHOICES = ("left", "right", "tie", "skip")
SKIP_REASONS = ("like_both", "like_neither", "same", "dont_know", "other")


class Voter(db.Model):
    """One voting identity: an account, or an anonymous browser/kiosk participant.

    Votes point at a voter rather than a user so that anonymous wiki-survey voters and
    in-person session participants are counted the same way as residents with accounts.
    """

    __tablename__ = "voters"
    __table_args__ = (
        sa.CheckConstraint(
            "user_id IS NOT NULL OR anon_key IS NOT NULL", name="user_or_anon_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    anon_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user = relationship("User")


class PairwiseVote(db.Model):
    """One answer to "which of these two is better?"."""

    __tablename__ = "pairwise_votes"
    __table_args__ = (
        sa.CheckConstraint("left_idea_id <> right_idea_id", name="distinct_ideas"),
        sa.CheckConstraint(
            "choice = 'skip' OR skip_reason IS NULL", name="reason_only_on_skip"
        ),
        sa.Index("ix_pairwise_votes_space_created", "space_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    voter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("voters.id", ondelete="CASCADE"), index=True
    )
    left_idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    right_idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(choice_type(PAIRWISE_CHOICES, "pairwise_choice"))
    skip_reason: Mapped[str | None] = mapped_column(choice_type(SKIP_REASONS, "skip_reason"))
    # Identifies the pair shown (or an idempotency key from a kiosk): a replay is found here.
    pair_key: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


# One vote per voter and pair of ideas, whichever side each was shown on: two pair ids for
# the same two ideas, sent at once, were both stored (the check before the insert sees
# neither). The database refuses the second.
sa.Index("uq_pairwise_votes_voter_pair", PairwiseVote.space_id, PairwiseVote.voter_id,
         pair_low(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id),
         pair_high(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id), unique=True)
# "The newest vote of this space" (max(id) WHERE space_id = ?) without walking the primary
# key backwards past every newer vote of other spaces.
sa.Index("ix_pairwise_votes_space_id_id", PairwiseVote.space_id, PairwiseVote.id)


class QVBallot(db.Model):
    """A voter's quadratic-voting ballot for one space; n votes on an idea cost n² credits."""

    __tablename__ = "qv_ballots"
    __table_args__ = (
        sa.UniqueConstraint("space_id", "voter_id", name="uq_qv_ballots_space_voter"),
        sa.CheckConstraint("credits_used >= 0", name="credits_used_not_negative"),
        sa.CheckConstraint("credits_used <= budget", name="within_budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    voter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("voters.id", ondelete="CASCADE"), index=True
    )
    budget: Mapped[int]
    credits_used: Mapped[int] = mapped_column(default=0)
    # +1 on every save: (count, sum of revisions) of a space's ballots changes with any save,
    # whatever the clocks of the machines that wrote them say.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    allocations = relationship(
        "QVAllocation", back_populates="ballot", cascade="all, delete-orphan"
    )


class QVAllocation(db.Model):
    """The votes one ballot gives one idea (negative = oppose, where the space allows)."""

    __tablename__ = "qv_allocations"
    __table_args__ = (sa.CheckConstraint("votes <> 0", name="votes_not_zero"),)

    ballot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("qv_ballots.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    votes: Mapped[int]

    ballot = relationship("QVBallot", back_populates="allocations")
