"""Accounts: residents, facilitators, city staff and admins."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.columns import choice_type, utcnow

ROLES = ("resident", "facilitator", "staff", "admin")
LANGUAGES = ("en", "es")
# How often a person hears about the ideas they follow; most people ask for fewer e-mails.
NOTIFY_CHOICES = ("immediately", "daily", "weekly", "never")


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively, so they are stored lower-cased."""
    return email.strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # Enforced in the database too, so no import path can store a mixed-case duplicate.
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint("length(display_name) >= 1", name="display_name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(choice_type(ROLES, "user_role"), default="resident")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Set when the person followed the link sent to the address; until then the account may
    # vote pairwise where anyone may, but not propose, report or cast a ballot.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    language: Mapped[str] = mapped_column(choice_type(LANGUAGES, "user_language"), default="en",
                                          server_default="en")
    notify: Mapped[str] = mapped_column(choice_type(NOTIFY_CHOICES, "notify_choice"), default="weekly",
                                        server_default="weekly")
    # When the person ticked "I accept the terms of use and the privacy notice" at sign-up;
    # empty for accounts made before Plaza asked, or by staff and scripts.
    terms_accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Set when the person deleted the account: name and address are gone, votes and ideas stay.
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def confirm_email(self) -> None:
        """Mark the current address as the person's own; confirming again keeps the first date."""
        if self.email_confirmed_at is None:
            self.email_confirmed_at = utcnow()

    # The login session this object was loaded for (not stored): Flask-Login keeps it in
    # the session and remember-me cookies through get_id(), so ending it revokes both.
    session_token = None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @validates("email")
    def _normalize_email(self, key: str, value: str) -> str:
        return normalize_email(value)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        """Admins may do anything a narrower role may."""
        return self.role == "admin" or self.role in roles

    @staticmethod
    def by_email(email: str) -> sa.Select:
        return sa.select(User).where(User.email == normalize_email(email))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ExternalIdentity(db.Model):
    """An account's login at the city's identity provider (OpenID Connect): who the provider
    says it is (`issuer`, `subject`), and whether that provider verifies residents."""

    __tablename__ = "external_identities"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    verifies: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class LoginSession(db.Model):
    """One logged-in browser. Logging out deletes it, so a copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the token in the cookies: a leaked table logs nobody in.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
