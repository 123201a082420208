"""Reusable queries about ideas, returned as select() objects."""
from __future__ import annotations

import sqlalchemy as sa

from datetime import datetime

from app.models import Flag, Idea, User
from app.models.idea import PUBLIC_STATUSES

MERGE_MATCHES_SHOWN = 20


def ideas_in(space_id: int, *, statuses: tuple[str, ...] = PUBLIC_STATUSES,
             category: str | None = None) -> sa.Select:
    """Ideas of a space in the given statuses (public ones by default), newest first."""
    query = sa.select(Idea).where(Idea.space_id == space_id, Idea.status.in_(statuses))
    if category:
        query = query.where(Idea.category == category)
    return query.order_by(Idea.created_at.desc(), Idea.id.desc())


def map_rows(space_id: int) -> sa.Select:
    """Just the columns the public map needs, so 10,000 ideas load without ORM objects."""
    return (
        sa.select(Idea.id, Idea.title, Idea.category, Idea.status, Idea.lat, Idea.lng)
        .where(Idea.space_id == space_id, Idea.status.in_(PUBLIC_STATUSES),
               Idea.lat.is_not(None))
        .order_by(Idea.id)
    )


def status_counts(space_id: int) -> sa.Select:
    return (sa.select(Idea.status, sa.func.count(Idea.id))
            .where(Idea.space_id == space_id).group_by(Idea.status))


def counted_flaggers(idea_ids: list[int], accounts_before: datetime) -> sa.Select:
    """(idea id, distinct reporters whose account is older than `accounts_before`)."""
    return (sa.select(Flag.idea_id, sa.func.count(sa.distinct(Flag.user_id)))
            .join(User, User.id == Flag.user_id)
            .where(Flag.idea_id.in_(idea_ids), User.created_at < accounts_before)
            .group_by(Flag.idea_id))


def merge_candidates(space_id: int, duplicate_id: int, search: str) -> sa.Select:
    """Ideas of the space whose title holds `search` and that a duplicate may be merged into.

    Case-insensitive, with % and _ taken as typed: PostgreSQL folds every letter's case;
    SQLite only ASCII's, so there "árboles" does not find "Árboles".
    """
    return (sa.select(Idea)
            .where(Idea.space_id == space_id, Idea.id != duplicate_id, Idea.merged_into_id.is_(None),
                   Idea.status != "hidden", Idea.title.icontains(search, autoescape=True))
            .order_by(Idea.title, Idea.id).limit(MERGE_MATCHES_SHOWN))
