"""What Plaza tells people by e-mail: who follows which idea, what happened, each notice."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import choice_type, utcnow

NOTICE_KINDS = ("status_changed", "merged", "announcement")
NOTICE_STATUSES = ("pending", "sending", "sent", "failed", "skipped")
DELIVERIES = ("immediately", "digest")


class Follow(db.Model):
    """A person hears what happens to an idea: their own, or one they chose to follow."""

    __tablename__ = "follows"
    __table_args__ = (sa.UniqueConstraint("user_id", "idea_id", name="uq_follows_user_idea"),
                      sa.Index("ix_follows_idea_id", "idea_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class NoticeEvent(db.Model):
    """Something people are to be told of, written in the transaction that made it happen.

    One row, however many people follow the idea: a job turns it into their notices after
    the commit (`fanned_out_at`), so a decision with 10,000 followers costs its request one
    insert, and a broker that is down loses nothing (a sweep finds the row again).
    """

    __tablename__ = "notice_events"
    __table_args__ = (sa.Index("ix_notice_events_pending", "fanned_out_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(choice_type(NOTICE_KINDS, "notice_kind"))
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    fanned_out_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Notice(db.Model):
    """One person's notice of one event: sent at most once (unique per person and event)."""

    __tablename__ = "notices"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "event_id", name="uq_notices_user_event"),
        sa.Index("ix_notices_user_status", "user_id", "status"),
        sa.Index("ix_notices_status_created", "status", "created_at"),
        sa.Index("ix_notices_space_status", "space_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("notice_events.id", ondelete="CASCADE"))
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    delivery: Mapped[str] = mapped_column(choice_type(DELIVERIES, "notice_delivery"))
    status: Mapped[str] = mapped_column(choice_type(NOTICE_STATUSES, "notice_status"), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
