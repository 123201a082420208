"""Quadratic-voting ballots in the JSON API: read and replace the caller's ballot."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.extensions import db
from app.lookups import get_space_or_404
from app.qv.ballots import Ballot, load_ballot, save_ballot
from app.qv.budget import BallotError
from app.core.errors import LoginNeeded
from app.web.voter import has_voter, voter_id

BODY_HINT = _l('Send the ballot as JSON: {"allocations": {"<idea id>": votes, ...}}.')


def ballot_json(ballot: Ballot) -> dict:
    """The ballot as the API shows it; idea ids are object keys, so they are strings."""
    return {
        "budget": ballot.budget,
        "credits_used": ballot.credits_used,
        "credits_left": ballot.credits_left,
        "allocations": {str(idea_id): votes for idea_id, votes in sorted(ballot.allocations.items())},
    }


def _voter_or_401() -> int | None:
    if not has_voter():
        raise LoginNeeded(_("Log in, or verify as a resident, to have a ballot."))
    return voter_id(create=False)


@bp.get("/spaces/<slug>/qv-ballot")
def get_qv_ballot(slug: str):
    """The caller's ballot in this space (empty before their first save)."""
    space = get_space_or_404(slug)
    ballot = load_ballot(space, _voter_or_401())
    return jsonify(ballot_json(ballot))


@bp.put("/spaces/<slug>/qv-ballot")
def put_qv_ballot(slug: str):
    """Replace the caller's ballot; 422 with a reason, and nothing changed, if it breaks a
    rule; 403 saying how to become eligible for a voter the space's rule does not admit."""
    space = get_space_or_404(slug)
    _voter_or_401()
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description=str(BODY_HINT))
    if "allocations" not in payload:
        abort(422, description=str(BODY_HINT))
    try:
        ballot = save_ballot(space, voter_id(create=True), payload["allocations"])
    except BallotError as exc:
        db.session.rollback()
        abort(422, description=str(exc))
    db.session.commit()
    return jsonify(ballot_json(ballot))
