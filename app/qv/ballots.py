"""Quadratic ballots in the database: read a voter's ballot, replace it atomically.

Takes a voter id, not a request, so account holders and facilitated-session participants
(kiosks) save ballots the same way. The caller commits, once.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa

from app.eligibility import rules as eligibility
from app.extensions import db
from app.models import Idea, QVAllocation, QVBallot, Space
from app.models.columns import utcnow
from app.qv.budget import (
    VOTABLE_STATUSES,
    ballot_cost,
    check_ballot,
    check_voting_open,
    parse_allocations,
)
from app.upserts import dialect_insert, dialect_name


@dataclass(frozen=True)
class Ballot:
    """A voter's ballot as it counts: votes on votable ideas only, against the space's budget."""

    budget: int
    allocations: dict[int, int]

    @property
    def credits_used(self) -> int:
        """Σ n² over the ballot's ideas."""
        return ballot_cost(self.allocations)

    @property
    def credits_left(self) -> int:
        """Below 0 only if staff lowered the budget after this ballot was saved."""
        return self.budget - self.credits_used


def votable_ideas(space_id: int) -> sa.Select:
    """The ideas of a space a ballot may vote on, newest first (as on the space page); a
    ballot shows them in app/qv/ordering.py's order."""
    return (sa.select(Idea)
            .where(Idea.space_id == space_id, Idea.status.in_(VOTABLE_STATUSES))
            .order_by(Idea.created_at.desc(), Idea.id.desc()))


def votable_idea_ids(space_id: int) -> sa.Select:
    """Just the ids of those ideas, in id order (the standings index them by position)."""
    return sa.select(Idea.id).where(Idea.space_id == space_id,
                                    Idea.status.in_(VOTABLE_STATUSES)).order_by(Idea.id)


def counted_allocations(space_id: int) -> sa.Select:
    """(voter_id, idea_id, votes) of every ballot of a space, on votable ideas only."""
    return (sa.select(QVBallot.voter_id, QVAllocation.idea_id, QVAllocation.votes)
            .join(QVAllocation, QVAllocation.ballot_id == QVBallot.id)
            .join(Idea, Idea.id == QVAllocation.idea_id)
            .where(QVBallot.space_id == space_id, Idea.status.in_(VOTABLE_STATUSES))
            .order_by(QVBallot.voter_id, QVAllocation.idea_id))


def load_ballot(space: Space, voter_id: int | None) -> Ballot:
    """The voter's ballot in this space; an empty one if they have not voted yet."""
    if voter_id is None:
        return Ballot(space.qv_budget, {})
    rows = db.session.execute(
        counted_allocations(space.id).where(QVBallot.voter_id == voter_id))
    return Ballot(space.qv_budget, {idea_id: votes for _, idea_id, votes in rows})


def save_ballot(space: Space, voter_id: int, raw_allocations: object) -> Ballot:
    """Replace the voter's ballot with ``{"<idea id>": votes}``; BallotError if it breaks a rule.

    Everything is checked before anything is written, so a refused ballot leaves the stored
    one as it was. The write holds a lock on the ballot row until the caller commits: two
    saves of the same ballot at once (two tabs, a double tap) run one after the other, and
    the second replaces the first whole, never mixing the two.
    """
    check_voting_open(space.phase)
    eligibility.require(space, "qv", voter_id)
    allocations = parse_allocations(raw_allocations)
    connection = db.session.connection()
    votable = set(connection.scalars(_VOTABLE_IDS, {"space_id": space.id}))
    cost = check_ballot(allocations, budget=space.qv_budget, votable_ids=votable,
                        allow_negative=space.qv_negative)
    ballot_id = _locked_ballot_id(space.id, voter_id, budget=space.qv_budget, cost=cost)
    connection.execute(_DELETE_ALLOCATIONS, {"ballot_id": ballot_id})
    if allocations:
        connection.execute(QVAllocation.__table__.insert(), [
            {"ballot_id": ballot_id, "idea_id": idea_id, "votes": votes}
            for idea_id, votes in sorted(allocations.items())
        ])
    return Ballot(space.qv_budget, allocations)


# Built once: residents save their ballot again and again as they move their votes.
_VOTABLE_IDS = votable_idea_ids(sa.bindparam("space_id"))
_DELETE_ALLOCATIONS = sa.delete(QVAllocation.__table__).where(
    QVAllocation.__table__.c.ballot_id == sa.bindparam("ballot_id"))


def _locked_ballot_id(space_id: int, voter_id: int, *, budget: int, cost: int) -> int:
    """The id of the voter's ballot row, written with its new totals and locked until commit.

    One upsert: a first save inserts the row, a later one updates it, and either way the
    row stays locked. When two saves race, the unique (space, voter) constraint makes the
    second wait for the first and then update the row the first one wrote. The CHECK
    credits_used <= budget is the database's own guard should a bug slip past the checks.
    (SQLite has no row locks; it allows only one writer at a time.)
    """
    now = utcnow()
    return db.session.connection().scalar(_ballot_upsert(dialect_name()), {
        "space_id": space_id, "voter_id": voter_id, "budget": budget, "credits_used": cost,
        "created_at": now, "updated_at": now})


@functools.cache
def _ballot_upsert(dialect: str) -> sa.Insert:
    table = QVBallot.__table__
    upsert = dialect_insert(table, dialect).values(
        {name: sa.bindparam(name, type_=table.c[name].type)
         for name in ("space_id", "voter_id", "budget", "credits_used", "created_at", "updated_at")})
    return upsert.on_conflict_do_update(
        index_elements=["space_id", "voter_id"],
        set_={**{name: upsert.excluded[name] for name in ("budget", "credits_used", "updated_at")},
              "revision": table.c.revision + 1},
    ).returning(table.c.id)
