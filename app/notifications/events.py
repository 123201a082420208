"""From what happened to ideas to notices: the subscribers of the ideas' events."""
from __future__ import annotations

from dataclasses import dataclass

from app import jobs
from app.core import events
from app.core.events import AFTER_COMMIT, IN_TRANSACTION, Event, subscribe
from app.extensions import db
from app.ideas.events import IdeaDecided, IdeasMerged, IdeaSubmitted
from app.models import Idea, NoticeEvent
from app.notifications.follows import follow


@dataclass(frozen=True)
class NoticeEventAdded(Event):
    notice_event_id: int


@subscribe(IdeaSubmitted, phase=IN_TRANSACTION)
def authors_follow_their_ideas(event: IdeaSubmitted) -> None:
    if event.author_id is not None:
        follow(event.author_id, event.idea_id)


@subscribe(IdeaDecided, phase=IN_TRANSACTION)
def tell_of_a_decision(event: IdeaDecided) -> None:
    idea = db.session.get(Idea, event.idea_id)
    if idea is None or event.before.get("status") == event.after.get("status"):
        return
    add(NoticeEvent(kind="status_changed", space_id=event.space_id, idea_id=idea.id, actor_id=event.actor_id,
                    payload={"title": idea.title, "status": event.after["status"],
                             "response": event.after.get("staff_response") or "",
                             "response_language": event.after.get("staff_response_language"),
                             "response_translation": event.after.get("staff_response_translation")}))


@subscribe(IdeasMerged, phase=IN_TRANSACTION)
def tell_of_a_merge(event: IdeasMerged) -> None:
    duplicate, kept = db.session.get(Idea, event.idea_id), db.session.get(Idea, event.kept_id)
    if duplicate is None or kept is None:
        return
    add(NoticeEvent(kind="merged", space_id=event.space_id, idea_id=duplicate.id, actor_id=event.actor_id,
                    payload={"title": duplicate.title, "kept_id": kept.id, "kept_title": kept.title}))


def add(notice_event: NoticeEvent) -> None:
    """Store the event with the change; its notices are made after the commit."""
    db.session.add(notice_event)
    db.session.flush()
    events.record(db.session, NoticeEventAdded(notice_event.id))


@subscribe(NoticeEventAdded, phase=AFTER_COMMIT)
def fan_out_after_commit(event: NoticeEventAdded) -> None:
    jobs.submit("plaza.fan_out", event.notice_event_id)
