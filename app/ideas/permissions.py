"""Who may do what with an idea (see app/spaces/permissions.py for the space's own)."""
from __future__ import annotations

from app.ideas.moderation import can_view
from app.models import Idea
from app.spaces.permissions import is_confirmed, is_staff

ACTIONS = ("view", "flag", "follow", "moderate", "decide")


def can(user, action: str, idea: Idea) -> bool:
    if action == "view":
        author = bool(getattr(user, "is_authenticated", False)) and idea.author_id == user.id
        return can_view(idea.status, is_author=author, is_staff=is_staff(user))
    if action == "flag":
        return is_confirmed(user)
    if action == "follow":
        return bool(getattr(user, "is_authenticated", False)) and user.deleted_at is None
    if action in ("moderate", "decide"):
        return is_staff(user)
    raise ValueError(f"unknown idea action {action!r}; known: {', '.join(ACTIONS)}")
