"""Participants of a session: created with a fresh anonymous voter, named by a signed token,
and handed a batch of pairs in advance so a tablet can keep voting while offline.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from app.core.errors import Conflict, Invalid, Malformed, NotFound, Refused
from app.extensions import db
from app.ideas.display import card
from app.models import Space
from app.models.facilitation import FacilitatedSession, SessionParticipant
from app.sessions.windows import (
    WindowState,
    takes_participants,
    takes_submissions,
    window_state,
)
from app.voters import voter_id_for_anon_key
from app.pairwise import tokens
from app.pairwise.service import draw_pairs

PAIRS_PER_BATCH = 20
MAX_PAIRS_PER_BATCH = 40
MAX_HELD = 200  # pairs on screen plus votes still waiting in an offline outbox


@dataclass(frozen=True)
class ParticipantRef:
    session_id: int
    participant_id: int
    voter_id: int


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="plaza-session-participant")


def participant_token(participant: SessionParticipant) -> str:
    return _serializer().dumps([participant.session_id, participant.id, participant.voter_id])


def read_participant(session: FacilitatedSession, token: object) -> ParticipantRef:
    """The participant a token names, if it is genuine and of this session."""
    if not isinstance(token, str) or not token or len(token) > 300:
        raise Malformed(_("participant is missing or not a participant token."))
    try:
        session_id, participant_id, voter_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError) as exc:
        raise Malformed(_("This participant token is not valid.")) from exc
    if session_id != session.id:
        raise Invalid(_("This participant belongs to another session."))
    return ParticipantRef(session_id, participant_id, voter_id)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def require_participants_open(session: FacilitatedSession, now: datetime) -> None:
    if not takes_participants(session.starts_at, session.ends_at, now):
        ended = window_state(session.starts_at, session.ends_at, now) is WindowState.ENDED
        raise Refused(_("This session has ended.") if ended
                             else _("This session has not started yet."))


def require_submissions_open(session: FacilitatedSession, now: datetime) -> None:
    if not takes_submissions(session.starts_at, session.ends_at, now):
        raise Refused(_("This session is over; votes are no longer taken."))


def existing_participant(session: FacilitatedSession, participant_id: object) -> SessionParticipant | None:
    """The participant a phone already has in this session, if it is still there."""
    if isinstance(participant_id, bool) or not isinstance(participant_id, int):
        return None
    participant = db.session.get(SessionParticipant, participant_id)
    return participant if participant is not None and participant.session_id == session.id else None


def create_participant(session: FacilitatedSession, via: str) -> SessionParticipant:
    """A new participant with its own anonymous voter; the caller commits."""
    voter_id = voter_id_for_anon_key(f"session:{session.id}:{secrets.token_urlsafe(18)}")
    participant = SessionParticipant(session_id=session.id, voter_id=voter_id, via=via)
    db.session.add(participant)
    db.session.flush()
    return participant


def mark_started(participant_id: int, when: datetime) -> None:
    """Record the first sign of life of a participant; later ones change nothing."""
    db.session.execute(
        sa.update(SessionParticipant)
        .where(SessionParticipant.id == participant_id, SessionParticipant.started_at.is_(None))
        .values(started_at=when))


def pair_batch(space: Space, voter_id: int, held: list[str], count: int,
               rng: np.random.Generator) -> list[dict]:
    """Up to `count` distinct pairs the voter has neither answered nor holds, with signed
    ids; none (an empty batch) when there is no pair left to draw."""
    try:
        pairs, _answered = draw_pairs(space, voter_id, held[:MAX_HELD], count, rng)
    except (NotFound, Conflict):
        return []
    return [{"pair_id": tokens.issue(space.id, voter_id, left.id, right.id),
             "left": card(left), "right": card(right)} for left, right in pairs]


def clamp_count(raw: object) -> int:
    if raw is None:
        return PAIRS_PER_BATCH
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_PAIRS_PER_BATCH:
        raise Invalid(_("count must be a whole number from 1 to %(max)s.",
                                    max=MAX_PAIRS_PER_BATCH))
    return raw
