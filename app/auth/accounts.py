"""Account rules shared by the register page and the create-user command."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import ROLES, User
from app.models.user import normalize_email

PASSWORD_MIN = 10


class AccountError(ValueError):
    """An account that cannot be created; the message is meant for the person."""


def create_account(email: str, password: str, display_name: str, role: str = "resident") -> User:
    """Add a new user to the session (not committed) after checking the rules."""
    email = normalize_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError("Enter an e-mail address like name@example.org.")
    if role not in ROLES:
        raise AccountError(f"Role must be one of: {', '.join(ROLES)}.")
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"Use at least {PASSWORD_MIN} characters for the password.")
    if not display_name.strip():
        raise AccountError("Enter a name to show with your ideas.")
    if email_taken(email):
        raise AccountError("An account with this e-mail already exists.")
    user = User(email=email, display_name=display_name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    return user


def email_taken(email: str) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(User.email == normalize_email(email))))
