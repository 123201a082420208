"""One event, one notice per person to tell: the author and followers of an idea, or
everyone who took part in a space (an announcement)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from app import jobs
from app.extensions import db
from app.models import Flag, Follow, Idea, Notice, NoticeEvent, PairwiseVote, QVBallot, User, Voter
from app.notifications.follows import move_follows
from app.upserts import dialect_insert

DELIVER_BATCH = 100


def recipients(event: NoticeEvent) -> sa.Select:
    """Ids of the accounts this event concerns, before anyone's settings are applied."""
    if event.kind == "announcement":
        return participants(event.space_id)
    author = sa.select(Idea.author_id.label("user_id")).where(Idea.id == event.idea_id, Idea.author_id.is_not(None))
    followers = sa.select(Follow.user_id).where(Follow.idea_id == event.idea_id)
    return sa.union(author, followers)


def participants(space_id: int) -> sa.Select:
    """Everyone with an account who proposed, voted, cast a ballot or reported in the space."""
    authors = sa.select(Idea.author_id.label("user_id")).where(Idea.space_id == space_id, Idea.author_id.is_not(None))
    voters = (sa.select(Voter.user_id).join(PairwiseVote, PairwiseVote.voter_id == Voter.id)
              .where(PairwiseVote.space_id == space_id, Voter.user_id.is_not(None)))
    balloters = (sa.select(Voter.user_id).join(QVBallot, QVBallot.voter_id == Voter.id)
                 .where(QVBallot.space_id == space_id, Voter.user_id.is_not(None)))
    reporters = sa.select(Flag.user_id).join(Idea, Idea.id == Flag.idea_id).where(Idea.space_id == space_id)
    return sa.union(authors, voters, balloters, reporters)


def fan_out(event_id: int) -> int:
    """Create the event's notices (once: unique per person and event) and send the
    immediate ones; returns how many notices it created. Safe to run twice."""
    event = db.session.get(NoticeEvent, event_id)
    if event is None or event.fanned_out_at is not None:
        return 0
    who = recipients(event).subquery()
    delivery = sa.case((User.notify == "immediately", "immediately"), else_="digest")
    now = sa.literal(datetime.now(timezone.utc), sa.DateTime(timezone=True))
    chosen = (sa.select(User.id, sa.literal(event.id), sa.literal(event.space_id), delivery,
                        sa.literal("pending"), sa.literal(0), now)
              .join(who, who.c.user_id == User.id)
              .where(User.deleted_at.is_(None), User.notify != "never",
                     User.email_confirmed_at.is_not(None), User.id != (event.actor_id or 0)))
    columns = ["user_id", "event_id", "space_id", "delivery", "status", "attempts", "created_at"]
    # Counted from RETURNING: psycopg gives -1 as the row count of this INSERT ... SELECT.
    created = len(db.session.execute(dialect_insert(Notice.__table__).from_select(columns, chosen)
                                     .on_conflict_do_nothing().returning(Notice.__table__.c.id)).all())
    if event.kind == "merged":
        move_follows(event.idea_id, event.payload["kept_id"])
    event.fanned_out_at = datetime.now(timezone.utc)
    db.session.commit()
    submit_immediate(event.id)
    return created


def submit_immediate(event_id: int) -> None:
    ids = db.session.scalars(sa.select(Notice.id).where(
        Notice.event_id == event_id, Notice.delivery == "immediately", Notice.status == "pending")
        .order_by(Notice.id)).all()
    for start in range(0, len(ids), DELIVER_BATCH):
        jobs.submit("plaza.deliver", ids[start:start + DELIVER_BATCH])
