"""Writing the audit log: one entry per staff action, with the state before and after."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Idea, Space, User

IDEA_FIELDS = ("status", "staff_response", "merged_into_id")
SPACE_FIELDS = ("slug", "name", "description", "center_lat", "center_lng", "zoom", "boundary",
                "phase", "categories", "moderation", "anonymous_pairwise", "ideas_during_voting",
                "qv_budget", "qv_negative", "show_results")


def snapshot(obj: Idea | Space) -> dict[str, Any]:
    fields = IDEA_FIELDS if isinstance(obj, Idea) else SPACE_FIELDS
    return {f: getattr(obj, f) for f in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, so the log reads as before → after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(actor: User, action: str, target: Idea | Space, before: dict | None,
           after: dict | None, space_id: int | None = None) -> AuditEntry:
    if before is not None and after is not None:
        before, after = changed(before, after)
    entry = AuditEntry(
        actor_id=actor.id, actor_email=actor.email, action=action,
        target_type="idea" if isinstance(target, Idea) else "space", target_id=target.id,
        space_id=space_id if space_id is not None else getattr(target, "space_id", target.id),
        before=before, after=after,
    )
    db.session.add(entry)
    return entry


def entries(space_id: int | None = None, action: str | None = None,
            actor: str | None = None) -> sa.Select:
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if space_id:
        query = query.where(AuditEntry.space_id == space_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_email.contains(actor.strip().lower()))
    return query
