"""Who sees an idea, and how flags and staff decisions move it between statuses."""
from __future__ import annotations

from datetime import datetime, timedelta

from app.ideas.transitions import MODERATION_ACTIONS, TransitionError, transition
from app.models.idea import PUBLIC_STATUSES
from app.text import _

FLAG_THRESHOLD = 3
# Reports count only from accounts at least this old: three accounts opened a minute ago
# must not be able to take down an idea.
FLAG_MIN_ACCOUNT_AGE = timedelta(days=1)


class ModerationError(ValueError):
    """A moderation step that does not apply to the idea as it is now."""


def initial_status(space_moderated: bool) -> str:
    """In a moderated space nobody else sees a new idea until staff publish it."""
    return "pending" if space_moderated else "published"


def needs_review(counted_flaggers: int) -> bool:
    """Reports never hide an idea by themselves: enough of them, from established accounts,
    put it first in the staff's moderation queue, and staff decide."""
    return counted_flaggers >= FLAG_THRESHOLD


def counted_since(now: datetime) -> datetime:
    """Accounts created before this moment have their reports counted."""
    return now - FLAG_MIN_ACCOUNT_AGE


def moderate(status: str, action: str) -> str:
    """The status after a staff action, or ModerationError saying why it cannot happen."""
    if action not in MODERATION_ACTIONS:
        raise ModerationError(_("Unknown moderation action: %(action)s.", action=repr(action)))
    try:
        return transition(status, MODERATION_ACTIONS[action])
    except TransitionError as exc:
        raise ModerationError(str(exc)) from exc


def can_view(status: str, *, is_author: bool, is_staff: bool) -> bool:
    """Public statuses for everyone; pending and hidden ideas for staff and their author."""
    return status in PUBLIC_STATUSES or is_staff or is_author
