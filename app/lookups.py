"""Fetch what a URL names, or answer 404: shared by the pages and the API."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.ideas.moderation import can_view
from app.models import Idea, Space


_SPACE_BY_SLUG = Space.by_slug(sa.bindparam("slug"))  # built once: every API request runs it


def get_space_or_404(slug: str) -> Space:
    space = db.session.scalar(_SPACE_BY_SLUG, {"slug": slug})
    if space is None:
        abort(404, description=_("There is no space at this address."))
    return space


def viewer_is_staff() -> bool:
    return current_user.is_authenticated and current_user.has_role("staff")


def get_visible_idea_or_404(space: Space, idea_id: int) -> Idea:
    """An idea of this space the current person may see; others get the same 404."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.space_id != space.id or not can_view(
        idea.status,
        is_author=current_user.is_authenticated and idea.author_id == current_user.id,
        is_staff=viewer_is_staff(),
    ):
        abort(404, description=_("There is no idea at this address."))
    return idea
