"""Every staff action is in the audit log, written in the action's own transaction.

The entries come from the actions' events (app/core/events.py), so no view can forget one
and no entry can outlive a change that was rolled back.
"""
from __future__ import annotations

from app.audit.log import record
from app.core.events import IN_TRANSACTION, subscribe
from app.extensions import db
from app.ideas.events import StaffChange
from app.legal.events import LegalTextChanged
from app.models import Idea, LegalText, Space, User
from app.spaces.events import SpaceChanged


@subscribe(StaffChange, SpaceChanged, phase=IN_TRANSACTION)
def log_staff_action(event: StaffChange | SpaceChanged) -> None:
    actor = db.session.get(User, event.actor_id)
    target = db.session.get(Idea if isinstance(event, StaffChange) else Space,
                            event.idea_id if isinstance(event, StaffChange) else event.space_id)
    if actor is None or target is None:
        return
    record(actor, event.action, target, event.before or None, event.after, space_id=event.space_id)


@subscribe(LegalTextChanged, phase=IN_TRANSACTION)
def log_legal_text_change(event: LegalTextChanged) -> None:
    actor = db.session.get(User, event.actor_id)
    text = db.session.get(LegalText, event.text_id)
    if actor is None or text is None:
        return
    record(actor, "legal.update", text, {"body": event.before}, {"body": event.after})
