"""One command per thing people do to ideas; the page, the API and kiosk sync call the same.

A command takes plain values, checks the rules, changes the session and records what it
did (app/ideas/events.py); it never commits or rolls back: the caller's unit of work does,
and the audit log, caches and notices follow from the events. Refusals are domain errors
(app/core/errors.py), which the web layer turns into 4xx answers.
"""
from __future__ import annotations

import sqlalchemy as sa

from app.core import events
from app.core.errors import Conflict, Invalid, Refused
from app.extensions import db
from app.ideas.drafts import IdeaDraft, located, problems
from app.ideas.events import IdeaDecided, IdeaFlagged, IdeaModerated, IdeasMerged, IdeaSubmitted, MergeUndone
from app.ideas.merging import MergeError, merge_ideas, undo_merge as undo_merged
from app.ideas.moderation import ModerationError, initial_status, moderate as moderated_status
from app.ideas.transitions import RESPONSE_MISSING, TransitionError, transition
from app.models import Flag, Idea, IdeaMerge, IdeaPhoto, PairwiseVote, Space
from app.text import _

STAFF_FIELDS = ("status", "staff_response", "staff_response_language", "staff_response_translation",
                "merged_into_id")


def require_accepting_ideas(space: Space) -> None:
    """Refused unless the space takes new ideas now; the form page asks before it is filled."""
    if not space.accepts_ideas:
        raise Refused(_("%(space)s is not taking new ideas at the moment.", space=space.name))


def submit_idea(space: Space, author_id: int | None, draft: IdeaDraft, *,
                place_required: bool = True) -> Idea:
    """A new idea (and its photo), pending if the space moderates; Invalid names the fields."""
    require_accepting_ideas(space)
    found = problems(space, draft, place_required=place_required)
    if found:
        raise Invalid(_("Some fields need attention."), found)
    draft = located(space, draft)
    idea = Idea(space_id=space.id, author_id=author_id, title=draft.title, body=draft.body,
                category=draft.category, lat=draft.lat, lng=draft.lng, landmark=draft.landmark or None,
                status=initial_status(space.moderation))
    if draft.photo is not None:
        idea.photo = IdeaPhoto(content_type=draft.photo.content_type, data=draft.photo.data,
                               width=draft.photo.width, height=draft.photo.height)
    db.session.add(idea)
    db.session.flush()
    events.record(db.session, IdeaSubmitted(idea.id, space.id, author_id, idea.status))
    return idea


def flag_idea(idea: Idea, user_id: int, reason: str) -> bool:
    """Report an idea to staff; False when this person had reported it already."""
    already = sa.exists().where(Flag.idea_id == idea.id, Flag.user_id == user_id)
    if db.session.scalar(sa.select(already)):
        return False
    db.session.add(Flag(idea_id=idea.id, user_id=user_id, reason=reason))
    db.session.flush()
    events.record(db.session, IdeaFlagged(idea.id, idea.space_id, user_id))
    return True


def moderate(idea: Idea, action: str, actor_id: int) -> None:
    """Publish or hide an idea; Conflict when the action does not apply to it now."""
    before = _staff_fields(idea)
    try:
        idea.status = moderated_status(idea.status, action)
    except ModerationError as exc:
        raise Conflict(str(exc)) from exc
    events.record(db.session, IdeaModerated(idea.id, idea.space_id, actor_id, f"idea.{action}",
                                            before, _staff_fields(idea)))


def dismiss_reports(idea: Idea, actor_id: int) -> None:
    """Staff keep a reported idea: its reports go, and an idea they hid is public again.
    Whoever reports it after this counts afresh. Conflict when it has no reports."""
    flags = db.session.scalars(sa.select(Flag).where(Flag.idea_id == idea.id).order_by(Flag.id)).all()
    if not flags:
        raise Conflict(_("This idea has no reports to dismiss."))
    before = {**_staff_fields(idea), "flags": [flag.reason for flag in flags]}
    if idea.status == "hidden":
        idea.status = moderated_status(idea.status, "publish")
    for flag in flags:
        db.session.delete(flag)
    db.session.flush()
    events.record(db.session, IdeaModerated(idea.id, idea.space_id, actor_id, "idea.dismiss_flags",
                                            before, {**_staff_fields(idea), "flags": []}))


def decide(idea: Idea, status: str, response: str | None, actor_id: int, *, language: str = "en",
           translation: str | None = None) -> None:
    """The city's decision with its public answer (required for adopted/declined/implemented),
    written in `language`, and optionally its `translation` into the other language."""
    found = {}
    try:
        target = transition(idea.status, status)
    except TransitionError as exc:
        found["status"] = str(exc)
    if status in RESPONSE_MISSING and not response:
        found["response"] = _(RESPONSE_MISSING[status])
    if found:
        raise Invalid(next(iter(found.values())), found)
    before = _staff_fields(idea)
    idea.status = target
    if response:
        idea.staff_response, idea.staff_response_language = response, language
        idea.staff_response_translation = translation or None
    events.record(db.session, IdeaDecided(idea.id, idea.space_id, actor_id, "idea.decide",
                                          before, _staff_fields(idea)))


def merge(kept: Idea, duplicate: Idea, actor_id: int) -> IdeaMerge:
    """Merge `duplicate` into `kept` (app/ideas/merging.py); Conflict when it cannot happen."""
    before = _staff_fields(duplicate)
    set_aside = db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)).where(sa.or_(
        PairwiseVote.left_idea_id == duplicate.id, PairwiseVote.right_idea_id == duplicate.id)))
    try:
        record = merge_ideas(kept, duplicate, actor_id)
    except MergeError as exc:
        raise Conflict(str(exc)) from exc
    events.record(db.session, IdeasMerged(duplicate.id, duplicate.space_id, actor_id, "idea.merge", before,
                                          {**_staff_fields(duplicate), "merge_id": record.id,
                                           "pairwise_set_aside": set_aside,
                                           "ballots_changed": len(record.moved["ballots"])},
                                          kept_id=kept.id))
    return record


def undo_merge(record: IdeaMerge, actor_id: int) -> Idea:
    """Put a merged duplicate back as it was; Conflict says why when that is no longer clean."""
    duplicate = db.session.get(Idea, record.duplicate_id)
    before = _staff_fields(duplicate) if duplicate is not None else {}
    try:
        duplicate = undo_merged(record)
    except MergeError as exc:
        raise Conflict(str(exc)) from exc
    events.record(db.session, MergeUndone(duplicate.id, duplicate.space_id, actor_id, "idea.unmerge", before,
                                          {**_staff_fields(duplicate), "merge_id": record.id}))
    return duplicate


def _staff_fields(idea: Idea) -> dict:
    return {name: getattr(idea, name) for name in STAFF_FIELDS}
