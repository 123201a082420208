"""Facilitated in-person sessions and their participants.

A session belongs to a space; each person who votes on a kiosk tablet or on their own
phone is a participant, with a fresh anonymous Voter, so their votes count in the space
like anyone else's and can also be counted for the room.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import choice_type, utcnow

SESSION_MODES = ("pairwise", "quadratic", "both")
PARTICIPANT_VIA = ("kiosk", "phone")
SESSION_NAME_MAX = 120
PLACE_MAX = 200
CLIENT_KEY_MAX = 64


class FacilitatedSession(db.Model):
    """A workshop in a space: a time window, a voting mode, a join code and a kiosk PIN."""

    __tablename__ = "facilitated_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("length(name) >= 1", name="name_not_empty"),
        sa.CheckConstraint("idle_seconds BETWEEN 30 AND 900", name="idle_range"),
        sa.CheckConstraint("pin_failures >= 0", name="pin_failures_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    facilitator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(SESSION_NAME_MAX))
    place: Mapped[str] = mapped_column(sa.String(PLACE_MAX), default="")
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    mode: Mapped[str] = mapped_column(choice_type(SESSION_MODES, "session_mode"))
    collect_ideas: Mapped[bool] = mapped_column(default=False)
    # The projector may show the room's own tally; the space-wide standings follow the
    # space's own rule (private results are staff only, projector included).
    show_room_results: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    idle_seconds: Mapped[int] = mapped_column(default=120)
    join_code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    pin_hash: Mapped[str] = mapped_column(sa.String(200))
    pin_failures: Mapped[int] = mapped_column(default=0)
    pin_failed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    space = relationship("Space")
    facilitator = relationship("User")

    @property
    def uses_pairwise(self) -> bool:
        return self.mode in ("pairwise", "both")

    @property
    def uses_quadratic(self) -> bool:
        return self.mode in ("quadratic", "both")

    @staticmethod
    def by_code(code: str) -> sa.Select:
        return sa.select(FacilitatedSession).where(FacilitatedSession.join_code == code)

    def __repr__(self) -> str:
        return f"<FacilitatedSession {self.id} {self.join_code} {self.name!r}>"


class SessionParticipant(db.Model):
    """One person in a session: a fresh anonymous voter per turn on a kiosk, or a phone."""

    __tablename__ = "session_participants"
    __table_args__ = (
        sa.CheckConstraint("ballot_seq >= 0", name="ballot_seq_not_negative"),
        sa.Index("ix_session_participants_session_started", "session_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("facilitated_sessions.id", ondelete="CASCADE"))
    voter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("voters.id", ondelete="CASCADE"), unique=True)
    via: Mapped[str] = mapped_column(choice_type(PARTICIPANT_VIA, "participant_via"))
    # Tablets keep a few participants in stock for offline use: only a started one counts.
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Compare-and-set guard: a ballot is applied only if its sequence number is newer.
    ballot_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class SessionIdea(db.Model):
    """An idea written down in a session; the client's key makes a resend add nothing."""

    __tablename__ = "session_ideas"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "client_key", name="uq_session_ideas_participant_key"),
        sa.CheckConstraint("length(client_key) >= 8", name="client_key_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("facilitated_sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("session_participants.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ideas.id", ondelete="CASCADE"), unique=True)
    client_key: Mapped[str] = mapped_column(sa.String(CLIENT_KEY_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    idea = relationship("Idea")
