"""Quadratic-voting ballots in the JSON API: read and replace the caller's ballot."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.api import bp
from app.extensions import db
from app.lookups import get_space_or_404
from app.qv.ballots import Ballot, load_ballot, save_ballot, voter_id_of_user
from app.qv.budget import BallotError
from app.voters import voter_id_for_user
from app.web.permissions import require_confirmed

BODY_HINT = _l('Send the ballot as JSON: {"allocations": {"<idea id>": votes, ...}}.')


def ballot_json(ballot: Ballot) -> dict:
    """The ballot as the API shows it; idea ids are object keys, so they are strings."""
    return {
        "budget": ballot.budget,
        "credits_used": ballot.credits_used,
        "credits_left": ballot.credits_left,
        "allocations": {str(idea_id): votes for idea_id, votes in sorted(ballot.allocations.items())},
    }


@bp.get("/spaces/<slug>/qv-ballot")
@login_required
def get_qv_ballot(slug: str):
    """The caller's ballot in this space (empty before their first save)."""
    space = get_space_or_404(slug)
    ballot = load_ballot(space, voter_id_of_user(current_user.id))
    return jsonify(ballot_json(ballot))


@bp.put("/spaces/<slug>/qv-ballot")
@login_required
def put_qv_ballot(slug: str):
    """Replace the caller's ballot; 422 with a reason, and nothing changed, if it breaks a rule."""
    space = get_space_or_404(slug)
    require_confirmed("vote_qv", space)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description=str(BODY_HINT))
    if "allocations" not in payload:
        abort(422, description=str(BODY_HINT))
    try:
        ballot = save_ballot(space, voter_id_for_user(current_user.id), payload["allocations"])
    except BallotError as exc:
        db.session.rollback()
        abort(422, description=str(exc))
    db.session.commit()
    return jsonify(ballot_json(ballot))
