"""Role checks for views: decorators that refuse with 401/403 instead of inline ifs."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import login_manager
from app.models import ROLES


def role_required(*roles: str) -> Callable:
    """Let through users holding one of `roles` (admins always); others get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403, description=_("Your account does not have access to this page."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required("staff")
facilitator_required = role_required("facilitator", "staff")
