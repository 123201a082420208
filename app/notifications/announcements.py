"""Staff tell everyone who took part in a space what the city decided."""
from __future__ import annotations

import sqlalchemy as sa

from app.core import events
from app.core.errors import Invalid
from app.extensions import db
from app.models import NoticeEvent, Space, User
from app.notifications.events import add
from app.notifications.fanout import participants
from app.spaces.events import SpaceChanged
from app.text import _

SUBJECT_MAX, BODY_MAX = 150, 5000


def recipient_count(space_id: int) -> int:
    """How many people an announcement would reach (confirmed, not opted out)."""
    who = participants(space_id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).join(who, who.c.user_id == User.id)
                             .where(User.deleted_at.is_(None), User.notify != "never",
                                    User.email_confirmed_at.is_not(None)))


def announce(space: Space, subject: str, body: str, actor_id: int) -> int:
    """Queue the announcement to the space's participants; returns how many it will reach."""
    subject, body = subject.strip(), body.strip()
    found = {}
    if not subject or len(subject) > SUBJECT_MAX:
        found["subject"] = _("Write a subject of up to %(max)s characters.", max=SUBJECT_MAX)
    if not body or len(body) > BODY_MAX:
        found["body"] = _("Write the message, up to %(max)s characters.", max=BODY_MAX)
    if found:
        raise Invalid(next(iter(found.values())), found)
    count = recipient_count(space.id)
    add(NoticeEvent(kind="announcement", space_id=space.id, actor_id=actor_id,
                    payload={"subject": subject, "body": body}))
    events.record(db.session, SpaceChanged(space.id, actor_id, "space.announce", {},
                                           {"subject": subject, "recipients": count}))
    return count
