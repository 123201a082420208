"""Changes to ideas that both the pages and the API make; the caller commits once."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.ideas.forms import IdeaForm
from app.ideas.moderation import ModerationError, initial_status, moderate, status_after_flag
from app.ideas.queries import distinct_flaggers
from app.models import Flag, Idea, IdeaPhoto, Space
from app.text import _


def create_idea(form: IdeaForm, space: Space, author_id: int | None) -> Idea:
    """A validated form becomes an idea (and its photo), pending if the space moderates."""
    idea = Idea(
        space_id=space.id,
        author_id=author_id,
        title=form.title.data,
        body=form.body.data or "",
        category=form.category.data,
        lat=form.lat.data,
        lng=form.lng.data,
        status=initial_status(space.moderation),
    )
    photo = form.processed_photo
    if photo is not None:
        idea.photo = IdeaPhoto(content_type=photo.content_type, data=photo.data,
                               width=photo.width, height=photo.height)
    db.session.add(idea)
    db.session.flush()
    return idea


def flag_idea(idea: Idea, user_id: int, reason: str) -> bool:
    """Record a flag; False when this person had flagged the idea already."""
    already = sa.exists().where(Flag.idea_id == idea.id, Flag.user_id == user_id)
    if db.session.scalar(sa.select(already)):
        return False
    db.session.add(Flag(idea_id=idea.id, user_id=user_id, reason=reason))
    db.session.flush()
    idea.status = status_after_flag(idea.status, db.session.scalar(distinct_flaggers(idea.id)))
    return True


def moderate_idea(idea: Idea, action: str) -> None:
    """Apply a staff action; raises ModerationError when it does not apply."""
    idea.status = moderate(idea.status, action)


def dismiss_flags(idea: Idea) -> list[str]:
    """Staff keep a reported idea: its reports go, and an idea they hid is public again.

    Returns the reasons of the dismissed reports, for the audit log; ModerationError when
    the idea has none. Whoever reports it after this counts afresh.
    """
    flags = db.session.scalars(sa.select(Flag).where(Flag.idea_id == idea.id).order_by(Flag.id)).all()
    if not flags:
        raise ModerationError(_("This idea has no reports to dismiss."))
    if idea.status == "hidden":
        idea.status = moderate(idea.status, "publish")
    for flag in flags:
        db.session.delete(flag)
    db.session.flush()
    return [flag.reason for flag in flags]
