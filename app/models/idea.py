"""An improvement proposed for a space, pinned on its map."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.ideas.answers import answer_for
from app.models.columns import choice_type, utcnow
from app.statuses import IDEA_STATUSES, PUBLIC_STATUSES, VOTABLE_STATUSES  # noqa: F401

TITLE_MAX = 120
BODY_MAX = 2000


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        sa.CheckConstraint("length(title) >= 1", name="title_not_empty"),
        sa.CheckConstraint("lat IS NULL OR lat BETWEEN -90 AND 90", name="lat_range"),
        sa.CheckConstraint("lng IS NULL OR lng BETWEEN -180 AND 180", name="lng_range"),
        sa.CheckConstraint("(lat IS NULL) = (lng IS NULL)", name="lat_lng_together"),
        sa.Index("ix_ideas_space_status", "space_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    # Nullable: ideas written down in a facilitated session have no account behind them.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.String(40))
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lng: Mapped[float | None] = mapped_column(sa.Float)
    #: The space's landmark the resident chose instead of pointing at the map; lat and lng
    #: hold its point. Kept as the name it had, should staff rename or remove it later.
    landmark: Mapped[str | None] = mapped_column(sa.String(80))
    status: Mapped[str] = mapped_column(
        choice_type(IDEA_STATUSES, "idea_status"), default="published"
    )
    staff_response: Mapped[str | None] = mapped_column(sa.Text)
    # The language staff wrote the answer in, and its optional version in the other one.
    staff_response_language: Mapped[str | None] = mapped_column(sa.String(2))
    staff_response_translation: Mapped[str | None] = mapped_column(sa.Text)
    # Set when staff merge this idea into a duplicate; its votes then count for that one.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ideas.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    space = relationship("Space", back_populates="ideas")
    author = relationship("User")
    photo = relationship("IdeaPhoto", uselist=False, cascade="all, delete-orphan",
                         lazy="raise_on_sql")

    def answer_in(self, language: str) -> str | None:
        """The city's answer as a reader of `language` should see it."""
        return answer_for(self.staff_response, self.staff_response_language,
                          self.staff_response_translation, language)

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.title!r} {self.status}>"
