"""`can(action, target)` in templates and `require(action, target)` in views: each area's
permission rules asked for the person of the current request."""
from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user

from app.auth import permissions as site_permissions
from app.core.errors import Refused
from app.ideas import permissions as idea_permissions
from app.models import Idea, Space
from app.spaces import permissions as space_permissions
from app.text import N_, _

RULES = {Space: space_permissions.can, Idea: idea_permissions.can}
CONFIRM_FIRST = N_("Confirm your e-mail address first: follow the link we sent you when you signed up.")


def can(action: str, target: object | None = None) -> bool:
    """May the current person do `action` to `target` (a space, an idea), or anywhere when
    there is no target?"""
    if target is None:
        return site_permissions.can(current_user, action)
    return RULES[type(target)](current_user, action, target)


def require(action: str, target: object, message: str | None = None, status: int = 404) -> None:
    """404 (by default: do not tell what exists) unless the current person may."""
    if not can(action, target):
        abort(status, description=message)


def require_confirmed(action: str, target: object) -> None:
    """Refused (403) for an account whose address is not confirmed yet; the error page
    offers to send the link again."""
    if not can(action, target):
        raise Refused(_(CONFIRM_FIRST))


def register(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
