"""Reusable queries about spaces, returned as select() objects for the views."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import Idea, Space
from app.models.idea import PUBLIC_STATUSES


def spaces_with_idea_counts() -> sa.Select:
    """Every space with the number of ideas the public can see, in one query."""
    counts = (
        sa.select(Idea.space_id, sa.func.count(Idea.id).label("n"))
        .where(Idea.status.in_(PUBLIC_STATUSES))
        .group_by(Idea.space_id)
        .subquery()
    )
    return (
        sa.select(Space, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.space_id == Space.id)
        .order_by(Space.created_at.desc(), Space.id.desc())
    )
