"""Role checks for views: decorators that refuse with 401/403 instead of inline ifs."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import permissions
from app.extensions import login_manager


def permission_required(action: str) -> Callable:
    """Let through users whom app.auth.permissions allows `action` (admins always); others get
    403, and anonymous visitors go to the login page."""
    if action not in permissions.ACTIONS:
        raise ValueError(f"Unknown action: {action!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not permissions.can(current_user, action):
                abort(403, description=_("Your account does not have access to this page."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = permission_required("use_staff_tools")
facilitator_required = permission_required("run_sessions")
