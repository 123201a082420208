"""Who follows which idea: authors their own ideas, residents the ideas they choose."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Follow
from app.upserts import insert_unless_present


def follow(user_id: int, idea_id: int) -> None:
    """Follow an idea (nothing if already followed); the caller commits."""
    insert_unless_present(Follow, {"user_id": user_id, "idea_id": idea_id}, ["user_id", "idea_id"])


def unfollow(user_id: int, idea_id: int) -> None:
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user_id, Follow.idea_id == idea_id))


def follows(user_id: int, idea_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Follow.user_id == user_id, Follow.idea_id == idea_id)))


def move_follows(from_idea: int, to_idea: int) -> None:
    """A duplicate merged into another idea: its followers follow the kept one."""
    kept = sa.select(Follow.user_id).where(Follow.idea_id == to_idea)
    db.session.execute(sa.update(Follow).where(Follow.idea_id == from_idea, Follow.user_id.not_in(kept))
                       .values(idea_id=to_idea))
