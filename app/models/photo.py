"""An idea's photo, kept in the database so every worker and backup has it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import utcnow


class IdeaPhoto(db.Model):
    """Re-encoded on upload (no EXIF/GPS left), so what is stored is safe to serve."""

    __tablename__ = "idea_photos"
    __table_args__ = (sa.CheckConstraint("width > 0 AND height > 0", name="positive_size"),)

    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(sa.String(40))
    # Loaded only when served: asking whether an idea has a photo must not read the image.
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
