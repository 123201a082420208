"""Data versions a cache can trust on several machines: counters kept by the database.

Any change to a space's ideas, and any removal of its votes, bumps `spaces.data_version` in
the same transaction, from an ORM flush event so no code path can forget it. Appended votes
and saved ballots are versioned by their own rows (the newest vote id; each ballot's
revision), so the hot paths never queue on one counter row.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models.idea import Idea
from app.models.space import Space
from app.models.voting import PairwiseVote, QVBallot

_BUMP = (sa.update(Space.__table__).where(Space.__table__.c.id == sa.bindparam("space_id"))
         .values(data_version=Space.__table__.c.data_version + 1))


def bump_data_version(session: Session, space_id: int) -> None:
    """For bulk statements the flush event cannot see (sa.update/sa.delete on ideas or votes)."""
    session.connection().execute(_BUMP, {"space_id": space_id})


@event.listens_for(Session, "before_flush")
def _bump_changed_spaces(session: Session, flush_context, instances) -> None:
    changed = {obj.space_id for obj in session.new if isinstance(obj, Idea)}
    changed |= {obj.space_id for obj in session.dirty
                if isinstance(obj, Idea) and session.is_modified(obj, include_collections=False)}
    changed |= {obj.space_id for obj in session.deleted if isinstance(obj, (Idea, PairwiseVote))}
    for space_id in sorted(s for s in changed if s is not None):
        bump_data_version(session, space_id)


def space_version(space_id: int) -> sa.Select:
    """The space's data version. Read it before the data it guards: a change committed in
    between then costs one more rebuild, never a stale cache kept under the new version."""
    return sa.select(Space.data_version).where(Space.id == space_id)


def ballots_version(space_id: int) -> sa.Select:
    """(ballots, sum of their revisions): changes with every ballot saved in the space."""
    return sa.select(sa.func.count(QVBallot.id), sa.func.coalesce(sa.func.sum(QVBallot.revision), 0)
                     ).where(QVBallot.space_id == space_id)
