"""Facilitated sessions in the JSON API: what kiosks and phones call, and the projector feed.

Participant calls name the session by its join code and the participant by a signed token
(not a cookie), so a tablet can send what it stored offline whatever happened to its
cookies in between. Refusals are {"error": ...} with a 4xx, like the rest of the API.
"""
from __future__ import annotations

import numpy as np
from flask import abort, current_app, jsonify, request
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.api import bp
from app.core.errors import Invalid, Malformed, Refused
from app.extensions import db
from app.sessions import display, results
from app.sessions.codes import CodeError, normalize_code
from app.sessions.participants import (
    clamp_count,
    create_participant,
    existing_participant,
    now_utc,
    pair_batch,
    participant_token,
    read_participant,
    require_participants_open,
    require_submissions_open,
)
from app.sessions.service import get_by_code_or_404, get_or_404, kiosk_allowed
from app.sessions.sync import apply_items, check_items


def session_by_code(code: str):
    try:
        code = normalize_code(code)
    except CodeError as exc:
        abort(404, description=str(exc))
    return get_by_code_or_404(code)


def json_body() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise Malformed(_("Send a JSON object."))
    return payload


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sessions/csrf")
def session_csrf():
    """A fresh CSRF token: a kiosk page kept open for hours (or served offline) asks for one."""
    return no_store(jsonify(csrf_token=generate_csrf()))


@bp.get("/sessions/<code>/config")
def session_config(code: str):
    """The session's settings and ideas as the kiosk needs them; fetched when back online."""
    session = session_by_code(code)
    space = display.space_of(session)
    return no_store(jsonify(display.app_settings(session, space, kiosk=False)))


PHONE_PARTICIPANTS = "plaza_phone_participants"


@bp.post("/sessions/<code>/participants")
def session_participants(code: str):
    """A new participant (a fresh anonymous voter) and, for pairwise, a batch of pairs.

    A kiosk unlocked with the PIN starts one for each person in the room; a phone is one
    participant per browser, so asking again gives back the same one (200, not 201).
    """
    session = session_by_code(code)
    require_participants_open(session, now_utc())
    payload = json_body()
    via = "kiosk" if payload.get("via") == "kiosk" and kiosk_allowed(session) else "phone"
    phones = cookie.get(PHONE_PARTICIPANTS, {})
    participant = existing_participant(session, phones.get(str(session.id))) if via == "phone" else None
    created = participant is None
    if created:
        participant = create_participant(session, via)
        if via == "phone":
            kept = {k: v for k, v in phones.items() if k != str(session.id)}
            cookie[PHONE_PARTICIPANTS] = dict(list(kept.items())[-4:] + [(str(session.id), participant.id)])
    space = display.space_of(session)
    pairs = []
    if session.uses_pairwise and space.accepts_votes:
        pairs = pair_batch(space, participant.voter_id, [], clamp_count(payload.get("count")), rng())
    db.session.commit()
    return no_store(jsonify(participant=participant_token(participant), via=via, pairs=pairs,
                            server_time=now_utc().isoformat())), 201 if created else 200


@bp.post("/sessions/<code>/pairs")
def session_pairs(code: str):
    """More pairs for a participant, none of those answered or already `held` by the tablet."""
    session = session_by_code(code)
    require_participants_open(session, now_utc())  # no new pairs once the session ends
    payload = json_body()
    ref = read_participant(session, payload.get("participant"))
    held = payload.get("held", [])
    if not isinstance(held, list) or not all(isinstance(h, str) for h in held):
        raise Invalid(_("held must be a list of pair ids."))
    if not session.uses_pairwise:
        raise Invalid(_("This session does not use pairwise voting."))
    space = display.space_of(session)
    if not space.accepts_votes:
        raise Refused(_("Voting is not open in this space."))
    pairs = pair_batch(space, ref.voter_id, held, clamp_count(payload.get("count")), rng())
    return no_store(jsonify(pairs=pairs))


@bp.post("/sessions/<code>/sync")
def session_sync(code: str):
    """Apply what a tablet stored: one result per item, `saved`, `duplicate`, `refused` or `retry`."""
    session = session_by_code(code)
    now = now_utc()
    require_submissions_open(session, now)
    try:
        items = check_items(request.get_json(silent=True))
    except ValueError as exc:
        raise Malformed(str(exc)) from exc
    outcome = apply_items(session, items, now)
    results.forget_live(session.id)
    return no_store(jsonify(results=outcome))


@bp.get("/sessions/<int:session_id>/live")
def session_live(session_id: int):
    """The projector's figures: counts, and top ideas of the room and of the whole space."""
    session = get_or_404(session_id)
    if not kiosk_allowed(session):
        abort(401 if not current_user.is_authenticated else 403)
    payload = results.live(session)
    return no_store(jsonify(state=display.state(session), **payload))


def rng() -> np.random.Generator:
    return np.random.default_rng(current_app.config.get("PLAZA_PAIR_SEED"))
