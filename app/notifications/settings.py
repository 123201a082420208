"""A person's notification setting, and the signed link that turns it off in one click."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.extensions import db
from app.models import Notice, User
from app.models.user import NOTIFY_CHOICES
from app.text import N_

NOTIFY_LABELS = {
    "immediately": N_("Each time something happens"),
    "daily": N_("A daily digest"),
    "weekly": N_("A weekly digest"),
    "never": N_("No e-mails about ideas"),
}
assert set(NOTIFY_LABELS) == set(NOTIFY_CHOICES)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="plaza-unsubscribe")


def unsubscribe_token(user_id: int) -> str:
    """Never expires: an unsubscribe link in a year-old message must still work."""
    return _serializer().dumps(user_id)


def user_of_token(token: str) -> User | None:
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def set_frequency(user: User, frequency: str) -> None:
    """The caller commits. Turning notices off drops those still waiting for a digest."""
    if frequency not in NOTIFY_CHOICES:
        raise ValueError(frequency)
    user.notify = frequency
    if frequency == "never":
        db.session.execute(sa.update(Notice).where(Notice.user_id == user.id, Notice.status == "pending")
                           .values(status="skipped"))
    elif frequency == "immediately":
        db.session.execute(sa.update(Notice).where(Notice.user_id == user.id, Notice.status == "pending")
                           .values(delivery="immediately"))
    else:
        db.session.execute(sa.update(Notice).where(Notice.user_id == user.id, Notice.status == "pending")
                           .values(delivery="digest"))
