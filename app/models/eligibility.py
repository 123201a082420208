"""Who may vote in a space: the census roll, letter codes, and each voter's verification.

Only keyed hashes of what identifies a person are stored (app/eligibility/hashing.py). A
claim is a `verifications` row, and the unique index on its roll entry (or code) is what
makes a claim hold once: eight accounts claiming one entry at once leave one row.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import choice_type, utcnow

#: Who may take part, weakest first: each rule admits everyone a stronger one admits.
RULES = ("anyone", "confirmed", "verified")
METHODS = ("roll", "code")
DISTRICT_MAX = 120


class RollEntry(db.Model):
    """One eligible person of a space's roll, as a keyed hash of their identifying values."""

    __tablename__ = "roll_entries"
    __table_args__ = (sa.UniqueConstraint("space_id", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(sa.String(64))
    district: Mapped[str | None] = mapped_column(sa.String(DISTRICT_MAX))
    #: False once an import no longer lists the entry: it cannot be claimed any more, and a
    #: claim already made stays (a re-import never frees or loses one).
    listed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class VerificationCode(db.Model):
    """One single-use code printed on a letter; only its keyed hash is kept."""

    __tablename__ = "verification_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    batch: Mapped[str] = mapped_column(sa.String(40))
    district: Mapped[str | None] = mapped_column(sa.String(DISTRICT_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Verification(db.Model):
    """A voter verified as a resident of a space, and by what.

    The voter may go (an account deleted): the row stays with no voter, so the roll entry
    or code it claimed is never free for someone else.
    """

    __tablename__ = "verifications"
    __table_args__ = (
        sa.UniqueConstraint("space_id", "voter_id"),
        sa.CheckConstraint(
            "(method = 'roll') = (roll_entry_id IS NOT NULL) AND (method = 'code') = (code_id IS NOT NULL)",
            name="claim_matches_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"))
    voter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("voters.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(choice_type(METHODS, "verification_method"))
    roll_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roll_entries.id", ondelete="CASCADE"), unique=True)
    code_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("verification_codes.id", ondelete="CASCADE"), unique=True)
    #: Who checked the person, where someone did (staff, a facilitator).
    verifier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    district: Mapped[str | None] = mapped_column(sa.String(DISTRICT_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class RollUpload(db.Model):
    """A roll a staff member uploaded and is looking at before importing it.

    The preview and the import are two requests, and a browser cannot send a file twice:
    the upload is kept here, in the database every app machine reads, as the keyed hashes
    the roll itself would keep (never the file). It is gone once imported, and stale ones
    go with the next upload.
    """

    __tablename__ = "roll_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    uploaded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    id_columns: Mapped[list[str]] = mapped_column(sa.JSON)
    district_column: Mapped[str | None] = mapped_column(sa.String(120))
    #: zlib-compressed JSON of [[key_hash, district], ...], one per distinct person.
    entries: Mapped[bytes] = mapped_column(sa.LargeBinary)
    rows: Mapped[int] = mapped_column()
    duplicates: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
