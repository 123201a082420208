"""Server-side login sessions: what a session or remember-me cookie is worth.

Flask-Login's cookies only name a user, so a cookie copied before logout kept working for
a year. Each login now gets a random token stored (hashed) here and carried in both
cookies; logging out deletes it, and a password change deletes every other one.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models import LoginSession, User

# Longer than the remember-me cookie lives (Flask-Login: 365 days), so no live cookie is cut.
KEEP_FOR = timedelta(days=400)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> None:
    """A new login session for `user`, whose get_id() then names it; the caller commits."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_hash(token)))
    stale = datetime.now(timezone.utc) - KEEP_FOR
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id,
                                                     LoginSession.created_at < stale))
    user.session_token = token


def end(user: User) -> None:
    """Revoke the session `user` was loaded for; the caller commits."""
    if user.session_token:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.token_hash == _hash(user.session_token)))
    user.session_token = None


def end_all_others(user: User) -> None:
    """Revoke every other login of `user` (after a password change or reset)."""
    keep = _hash(user.session_token) if user.session_token else ""
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id,
                                                     LoginSession.token_hash != keep))


_USER_BY_SESSION = (sa.select(User).join(LoginSession, LoginSession.user_id == User.id)
                    .where(User.id == sa.bindparam("user_id"),
                           LoginSession.token_hash == sa.bindparam("token_hash")))


def load(session_id: str) -> User | None:
    """The user of a live login session, from the id in a cookie ("<user id>:<token>")."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or not token or len(user_id) > 10:
        return None
    user = db.session.scalar(_USER_BY_SESSION, {"user_id": int(user_id), "token_hash": _hash(token)})
    if user is not None:
        user.session_token = token
    return user
