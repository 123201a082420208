"""Who may do what in a space: the one answer views, templates and the API all ask.

Each action is one clause here, so a rule such as "private results are for staff only" or
"an account must confirm its address before it proposes" cannot hold on one page and leak
on another. Who may vote is the space's own setting: app/eligibility/rules.py.
"""
from __future__ import annotations

from app.models import Space

ACTIONS = ("view_results", "propose")


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role("staff")


def is_confirmed(user) -> bool:
    """An account whose owner followed the link sent to its address."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_confirmed and user.deleted_at is None


def can(user, action: str, space: Space) -> bool:
    """Whether `user` (an account or Flask-Login's anonymous user) may `action` in `space`."""
    if action == "view_results":
        return space.show_results or is_staff(user)
    if action == "propose":
        return is_confirmed(user)
    raise ValueError(f"unknown space action {action!r}; known: {', '.join(ACTIONS)}")
