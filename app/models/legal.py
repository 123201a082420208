"""The city's terms of use and privacy notice, one text per kind and language."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import choice_type, utcnow
from app.models.user import LANGUAGES

LEGAL_KINDS = ("terms", "privacy")


class LegalText(db.Model):
    """What the city wrote; until it writes one, Plaza shows its own default (app/legal/texts.py)."""

    __tablename__ = "legal_texts"
    __table_args__ = (
        sa.UniqueConstraint("kind", "language", name="uq_legal_texts_kind_language"),
        sa.CheckConstraint("length(trim(body)) >= 1", name="body_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(choice_type(LEGAL_KINDS, "legal_kind"))
    language: Mapped[str] = mapped_column(choice_type(LANGUAGES, "legal_language"))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
