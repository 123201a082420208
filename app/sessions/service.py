"""Sessions in the database: create and edit them, find them, who may run them, kiosk access.

Views validate, call these, and commit once.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Space
from app.models.facilitation import FacilitatedSession
from app.sessions.codes import generate_code
from app.sessions.forms import SessionForm
from app.sessions.pins import hash_pin, locked_until, verify_pin
from app.sessions.windows import as_utc

KIOSK_COOKIE_KEY = "plaza_kiosks"
MAX_KIOSKS_PER_BROWSER = 20
CODE_ATTEMPTS = 20


def spaces_for_sessions() -> list[Space]:
    """Spaces a facilitator may hold a session in: those not closed, by name."""
    return list(db.session.scalars(
        sa.select(Space).where(Space.phase != "closed").order_by(Space.name)))


def space_zone(space_id: int | None) -> str | None:
    """The time zone of the space's latest session: where the space is, as far as Plaza knows."""
    if space_id is None:
        return None
    return db.session.scalar(
        sa.select(FacilitatedSession.timezone).where(FacilitatedSession.space_id == space_id)
        .order_by(FacilitatedSession.created_at.desc(), FacilitatedSession.id.desc()).limit(1))


def zones_in_use(limit: int = 5) -> list[str]:
    """The time zones of earlier sessions, most recently used first."""
    return list(db.session.scalars(
        sa.select(FacilitatedSession.timezone).group_by(FacilitatedSession.timezone)
        .order_by(sa.func.max(FacilitatedSession.id).desc()).limit(limit)))


def sessions_for(user) -> sa.Select:
    """Sessions a person runs (staff and admins see every one), newest first."""
    query = (sa.select(FacilitatedSession)
             .options(joinedload(FacilitatedSession.space))
             .order_by(FacilitatedSession.starts_at.desc(), FacilitatedSession.id.desc()))
    if not user.has_role("staff"):
        query = query.where(FacilitatedSession.facilitator_id == user.id)
    return query


def can_manage(session: FacilitatedSession, user) -> bool:
    """The facilitator who made it, staff and admins."""
    return user.is_authenticated and (user.has_role("staff") or session.facilitator_id == user.id)


def get_managed_or_404(session_id: int) -> FacilitatedSession:
    """A session the current person runs; 404 if there is none, 403 if it is someone else's."""
    session = db.session.get(FacilitatedSession, session_id)
    if session is None:
        abort(404, description=_("There is no session at this address."))
    if not can_manage(session, current_user):
        abort(403, description=_("This session is run by another facilitator."))
    return session


def get_by_code_or_404(code: str) -> FacilitatedSession:
    return db.first_or_404(FacilitatedSession.by_code(code),
                           description=_("No session has this code; check it with the facilitator."))


def get_or_404(session_id: int) -> FacilitatedSession:
    session = db.session.get(FacilitatedSession, session_id)
    if session is None:
        abort(404, description=_("There is no session at this address."))
    return session


def new_join_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """A code no session has yet; a handful of tries is plenty among 30^6 codes."""
    for _attempt in range(CODE_ATTEMPTS):
        code = generate_code(choice)
        taken = db.session.scalar(sa.select(FacilitatedSession.id)
                                  .where(FacilitatedSession.join_code == code))
        if taken is None:
            return code
    raise RuntimeError("could not find a free join code")


def create_session(form: SessionForm, facilitator_id: int,
                   choice: Callable[[str], str] = secrets.choice) -> FacilitatedSession:
    """A validated form becomes a session with a fresh join code; the caller commits."""
    for _attempt in range(CODE_ATTEMPTS):
        session = FacilitatedSession(space_id=form.space.data, facilitator_id=facilitator_id,
                                     join_code=new_join_code(choice), pin_hash=hash_pin(form.pin.data))
        apply_settings(session, form)
        try:
            with db.session.begin_nested():
                db.session.add(session)
            return session
        except IntegrityError:  # another facilitator took the same code a moment ago
            continue
    raise RuntimeError("could not find a free join code")


def apply_settings(session: FacilitatedSession, form: SessionForm) -> None:
    session.name = form.name.data
    session.place = form.place.data or ""
    session.starts_at, session.ends_at = form.window
    session.timezone = form.timezone.data
    session.mode = form.mode.data
    session.collect_ideas = form.collect_ideas.data
    session.show_room_results = form.show_room_results.data
    session.idle_seconds = form.idle_seconds.data
    if form.pin.data:
        session.pin_hash = hash_pin(form.pin.data)
        session.pin_failures, session.pin_failed_at = 0, None


def end_now(session: FacilitatedSession, now: datetime) -> bool:
    """Move the end of the window to now; False if it had ended already. The caller commits."""
    if as_utc(session.ends_at) <= now:
        return False
    session.ends_at = now
    if as_utc(session.starts_at) >= now:  # ended before it began
        session.starts_at = now - timedelta(seconds=1)
    return True


@dataclass(frozen=True)
class PinAttempt:
    ok: bool
    locked_until: datetime | None = None


def try_pin(session: FacilitatedSession, pin: str, now: datetime) -> PinAttempt:
    """Check a PIN against the session, counting failures; the caller commits.

    The session's row stays locked from reading the counter to writing it, so wrong PINs
    sent at once are checked one after the other and each sees the failures before it
    (60 at once got 8 past the lock-out when each read the counter on its own).
    """
    session = db.session.scalar(sa.select(FacilitatedSession).where(FacilitatedSession.id == session.id)
                                .with_for_update().execution_options(populate_existing=True))
    until = locked_until(session.pin_failures,
                         as_utc(session.pin_failed_at) if session.pin_failed_at else None)
    if until is not None and now < until:
        return PinAttempt(False, until)
    if verify_pin(pin, session.pin_hash):
        session.pin_failures, session.pin_failed_at = 0, None
        return PinAttempt(True)
    failures = db.session.execute(
        sa.update(FacilitatedSession).where(FacilitatedSession.id == session.id)
        .values(pin_failures=FacilitatedSession.pin_failures + 1, pin_failed_at=now)
        .returning(FacilitatedSession.pin_failures)).scalar_one()
    return PinAttempt(False, locked_until(failures, now))


def authorize_kiosk(session_id: int) -> None:
    """Remember in this browser's signed cookie that it may run the session's kiosk."""
    kiosks = [i for i in cookie.get(KIOSK_COOKIE_KEY, []) if i != session_id]
    cookie[KIOSK_COOKIE_KEY] = (kiosks + [session_id])[-MAX_KIOSKS_PER_BROWSER:]
    cookie.permanent = True  # a tablet restarted in the middle of a workshop stays a kiosk


def kiosk_allowed(session: FacilitatedSession) -> bool:
    return session.id in cookie.get(KIOSK_COOKIE_KEY, []) or can_manage(session, current_user)
