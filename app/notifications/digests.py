"""Daily and weekly digests: one message with everything since the last, or none at all.

A digest for the period ending at `boundary` (the digest hour, in PLAZA_TIMEZONE; weekly
ones on PLAZA_DIGEST_WEEKDAY) holds exactly the person's digest notices created before that
boundary and not yet sent; notices created after it wait for the next. Beat runs this every
quarter of an hour; it does nothing between boundaries, so a late or repeated run is safe.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.jobs.tasks import TRANSIENT
from app.mail import compose, connection
from app.models import Notice, NoticeEvent, Space, User
from app.notifications.delivery import give_back, mark_sent
from app.notifications.messages import notices_mail_values, recipient


def last_boundary(now: datetime, frequency: str, hour: int, weekday: int, zone: ZoneInfo) -> datetime:
    """The most recent digest time at or before `now`, as an aware UTC datetime."""
    local = now.astimezone(zone)
    boundary = datetime.combine(local.date(), time(hour), tzinfo=zone)
    if boundary > local:
        boundary -= timedelta(days=1)
    if frequency == "weekly":
        boundary -= timedelta(days=(boundary.weekday() - weekday) % 7)
    return boundary.astimezone(timezone.utc)


def send_due_digests(now: datetime | None = None) -> int:
    """Send every digest that is due; returns how many were sent."""
    now = now or datetime.now(timezone.utc)
    config = current_app.config
    zone = ZoneInfo(config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    sent = 0
    for frequency in ("daily", "weekly"):
        boundary = last_boundary(now, frequency, config["PLAZA_DIGEST_HOUR"], config["PLAZA_DIGEST_WEEKDAY"], zone)
        users = db.session.scalars(
            sa.select(User.id).join(Notice, Notice.user_id == User.id)
            .where(User.notify == frequency, Notice.status == "pending", Notice.delivery == "digest",
                   Notice.created_at < boundary).distinct()).all()
        for user_id in users:
            sent += send_digest(user_id, boundary)
    return sent


def send_digest(user_id: int, boundary: datetime) -> int:
    """The person's digest up to `boundary`: 1 if sent, 0 if there was nothing to say."""
    claimed = db.session.scalars(
        sa.update(Notice).where(Notice.user_id == user_id, Notice.status == "pending",
                                Notice.delivery == "digest", Notice.created_at < boundary)
        .values(status="sending", claimed_at=datetime.now(timezone.utc)).returning(Notice.id)).all()
    db.session.commit()
    if not claimed:
        return 0
    user = db.session.get(User, user_id)
    rows = db.session.execute(
        sa.select(NoticeEvent, Space).join(Notice, Notice.event_id == NoticeEvent.id)
        .join(Space, Space.id == NoticeEvent.space_id).where(Notice.id.in_(claimed))
        .order_by(NoticeEvent.created_at, NoticeEvent.id)).all()
    try:
        with connection() as send:
            send(compose(recipient(user), "notice",
                         lambda: notices_mail_values(user.id, [tuple(r) for r in rows], digest=True)))
    except TRANSIENT as exc:
        give_back(claimed, exc)
        return 0
    mark_sent(claimed)
    return 1
