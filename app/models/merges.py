"""A record of each merge of a duplicate idea: what moved, so staff can undo it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import utcnow


class IdeaMerge(db.Model):
    """`duplicate_id` merged into `kept_id`.

    ``moved`` holds what undo needs (app/ideas/merging.py): the ids of the votes moved and
    on which side, the votes dropped as whole rows, and each changed ballot's allocations
    before the merge and its revision after it.
    """

    __tablename__ = "idea_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    kept_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    duplicate_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    moved: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
