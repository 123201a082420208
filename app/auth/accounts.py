"""Account rules shared by the register page and the create-user command."""
from __future__ import annotations

import functools
import secrets

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.auth import login_sessions
from app.auth.passwords import WeakPassword, check_password_strength
from app.models import ROLES, User
from app.models.user import normalize_email
from app.text import N_, _, label_for

# How each role reads on the badge beside a person's name and in lists of accounts.
ROLE_LABELS = {
    "resident": N_("resident"),
    "facilitator": N_("facilitator"),
    "staff": N_("staff"),
    "admin": N_("admin"),
}


class AccountError(ValueError):
    """An account that cannot be created; the message is meant for the person."""


def create_account(email: str, password: str, display_name: str, role: str = "resident") -> User:
    """Add a new user to the session (not committed) after checking the rules."""
    email = normalize_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(_("Enter an e-mail address like name@example.org."))
    if role not in ROLES:
        raise AccountError(_("Role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    try:
        check_password_strength(password, known=(email, display_name))
    except WeakPassword as exc:
        raise AccountError(str(exc)) from exc
    if not display_name.strip():
        raise AccountError(_("Enter a name to show with your ideas."))
    if email_taken(email):
        raise AccountError(_("An account with this e-mail already exists."))
    user = User(email=email, display_name=display_name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    return user


def change_password(user: User, password: str) -> None:
    """A new password, and every other login of the account ends; the caller commits."""
    try:
        check_password_strength(password, known=(user.email, user.display_name))
    except WeakPassword as exc:
        raise AccountError(str(exc)) from exc
    user.set_password(password)
    login_sessions.end_all_others(user)


@functools.cache
def _dummy_hash() -> str:
    """A hash made the way real ones are, checked when no account has the address."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User | None:
    """The account with this e-mail and password, or None.

    An unknown address costs one password hash too: without it, the answer came 13 times
    faster for an address with no account, which told anyone who has an account here.
    """
    user = db.session.scalar(User.by_email(email))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def role_label(role: str) -> str:
    """The `role_label` filter: a role in the request's language (the stored value stays English)."""
    return label_for(ROLE_LABELS, role)


def email_taken(email: str) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(User.email == normalize_email(email))))
