"""`can(action, target)` in templates and `require(action, target)` in views: each area's
permission rules asked for the person of the current request."""
from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user

from app.models import Space
from app.spaces import permissions as space_permissions

RULES = {Space: space_permissions.can}


def can(action: str, target: object) -> bool:
    return RULES[type(target)](current_user, action, target)


def require(action: str, target: object, message: str | None = None, status: int = 404) -> None:
    """404 (by default: do not tell what exists) unless the current person may."""
    if not can(action, target):
        abort(status, description=message)


def register(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
