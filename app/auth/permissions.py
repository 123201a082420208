"""What an account may do across Plaza, whatever the space: the site-wide part of `can()`.

The role decorators, the header's links and any API check ask here, so a role's reach is
written once.
"""
from __future__ import annotations

ACTIONS = {
    "use_staff_tools": ("staff",),
    "run_sessions": ("facilitator", "staff"),
}


def can(user, action: str) -> bool:
    """Whether `user` (an account or Flask-Login's anonymous user) may `action` anywhere."""
    try:
        roles = ACTIONS[action]
    except KeyError:
        raise ValueError(f"unknown site action {action!r}; known: {', '.join(ACTIONS)}") from None
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)
