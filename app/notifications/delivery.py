"""Sending notices: each claimed before it is sent, so none goes out twice.

A notice is `pending` until a delivery claims it (`sending`), then `sent`. An SMTP server
that refuses or times out puts the claimed notices back to `pending` with one attempt
more, and the job is retried with backoff; after MAX_ATTEMPTS they are `failed`, which
staff see per space. A delivery interrupted after claiming (a worker killed) is not sent
again: after STALE its notices are marked failed, since they may have gone out.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app import jobs
from app.extensions import db
from app.jobs.tasks import TRANSIENT
from app.mail import compose, connection
from app.models import Notice, NoticeEvent, Space, User
from app.notifications.fanout import DELIVER_BATCH
from app.notifications.messages import authors_of, notices_mail_values, recipient

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
#: Sent notices are marked in groups this size: one commit per message was most of a
#: delivery's time, and a worker killed mid-group leaves at most these few marked failed
#: (after STALE) although they went out, never sent twice.
MARK_EVERY = 20
STALE = timedelta(minutes=15)
QUEUE_AGAIN_AFTER = timedelta(minutes=1)


def now() -> datetime:
    return datetime.now(timezone.utc)


def claim(notice_ids: list[int]) -> list[int]:
    """Mark the still-pending notices among these that go out one by one (not in a digest)
    as being sent, and return them."""
    claimed = db.session.scalars(
        sa.update(Notice).where(Notice.id.in_(notice_ids), Notice.status == "pending",
                                Notice.delivery == "immediately")
        .values(status="sending", claimed_at=now()).returning(Notice.id)).all()
    db.session.commit()
    return sorted(claimed)


def deliver_notices(notice_ids: list[int]) -> int:
    """Send each of these notices on its own (those still pending); returns how many went."""
    claimed = claim(notice_ids)
    rows = db.session.execute(
        sa.select(Notice, NoticeEvent, Space, User)
        .join(NoticeEvent, NoticeEvent.id == Notice.event_id).join(Space, Space.id == Notice.space_id)
        .join(User, User.id == Notice.user_id).where(Notice.id.in_(claimed)).order_by(Notice.id)).all()
    authors = authors_of([event for _n, event, _s, _u in rows])
    went: list[int] = []
    marked = 0
    try:
        with connection() as send:
            for notice, event, space, user in rows:
                send(compose(recipient(user), "notice",
                             lambda: notices_mail_values(user.id, [(event, space)], digest=False, authors=authors)))
                went.append(notice.id)
                if len(went) - marked >= MARK_EVERY:
                    mark_sent(went[marked:])
                    marked = len(went)
    except TRANSIENT as exc:
        db.session.rollback()
        mark_sent(went[marked:])
        give_back([n.id for n, *_ in rows[len(went):]], exc)
        raise
    mark_sent(went[marked:])
    return len(went)


def mark_sent(notice_ids: list[int]) -> None:
    if not notice_ids:
        return
    db.session.execute(sa.update(Notice).where(Notice.id.in_(notice_ids))
                       .values(status="sent", sent_at=now(), last_error=None))
    db.session.commit()


def give_back(notice_ids: list[int], error: Exception) -> None:
    """The server did not take them: pending again for a retry, or failed after the last."""
    if not notice_ids:
        return
    message = f"{type(error).__name__}: {error}"[:500]
    db.session.rollback()
    db.session.execute(
        sa.update(Notice).where(Notice.id.in_(notice_ids), Notice.status == "sending")
        .values(attempts=Notice.attempts + 1, last_error=message,
                status=sa.case((Notice.attempts + 1 >= MAX_ATTEMPTS, "failed"), else_="pending")))
    db.session.commit()
    log.warning("Could not send %s notices (%s); they will be tried again", len(notice_ids), message)


def sweep(at: datetime | None = None) -> None:
    """What a broker outage or a crash left behind: fan-outs and deliveries never run, and
    deliveries that were interrupted. Runs every minute from beat."""
    at = at or now()
    waiting = db.session.scalars(sa.select(NoticeEvent.id).where(
        NoticeEvent.fanned_out_at.is_(None), NoticeEvent.created_at < at - QUEUE_AGAIN_AFTER)).all()
    for event_id in waiting:
        jobs.submit("plaza.fan_out", event_id)
    stuck = db.session.scalars(sa.select(Notice.id).where(
        Notice.status == "pending", Notice.delivery == "immediately",
        Notice.created_at < at - QUEUE_AGAIN_AFTER).order_by(Notice.id)).all()
    for start in range(0, len(stuck), DELIVER_BATCH):
        jobs.submit("plaza.deliver", stuck[start:start + DELIVER_BATCH])
    db.session.execute(sa.update(Notice).where(Notice.status == "sending", Notice.claimed_at < at - STALE)
                       .values(status="failed", last_error="Interrupted while sending; not sent again, "
                                                           "so nobody receives it twice."))
    db.session.commit()
