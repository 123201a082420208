"""What residents and staff say about ideas: flags and photos kept beside the idea."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import utcnow

FLAG_REASON_MAX = 500


class Flag(db.Model):
    """A resident's report that an idea breaks the rules; one per person and idea."""

    __tablename__ = "flags"
    __table_args__ = (
        sa.UniqueConstraint("idea_id", "user_id", name="uq_flags_idea_user"),
        sa.CheckConstraint("length(reason) >= 1", name="reason_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(FLAG_REASON_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
