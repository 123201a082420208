"""Pairwise voting in the JSON API: the next pair, a vote on it, and undo of the last vote."""
from __future__ import annotations

import numpy as np
from flask import current_app, jsonify, request
from flask_babel import gettext as _

from app.api import bp
from app.core.errors import Malformed, Refused
from app.extensions import db
from app.ideas.display import card
from app.lookups import get_space_or_404
from app.models import Idea, PairwiseVote, Space
from app.models.columns import utcnow
from app.pairwise import tokens
from app.pairwise.refits import refitter
from app.pairwise.service import (
    AlreadyCompared,
    UnknownVoter,
    current_voter_id,
    next_pair,
    record_vote,
    require_open,
    votes_by,
)
from app.urls import idea_url
from app.web.voter import forget_voter_id
from app.pairwise.undo import undo_last_vote


@bp.errorhandler(AlreadyCompared)
def already_compared(exc: AlreadyCompared):
    """409 like any conflict (app/errors.py), with the voter's first answer to the pair."""
    return jsonify(error=exc.message, vote=vote_json(exc.vote)), 409


def linked_card(space: Space, idea: Idea) -> dict:
    return {**card(idea), "url": idea_url(space.slug, idea.id)}


def vote_json(vote: PairwiseVote, total: int | None = None) -> dict:
    body = {"id": vote.id, "choice": vote.choice, "reason": vote.skip_reason,
            "left_id": vote.left_idea_id, "right_id": vote.right_idea_id,
            "created_at": vote.created_at.isoformat()}
    return body if total is None else {**body, "your_votes": total}


@bp.get("/spaces/<slug>/pair")
def get_pair(slug: str):
    """The next pair for this voter; `pending` names pair ids whose votes are on their way."""
    space = get_space_or_404(slug)
    require_open(space)
    voter_id = current_voter_id(space, create=True)
    rng = np.random.default_rng(current_app.config.get("PLAZA_PAIR_SEED"))
    pair = next_pair(space, voter_id, request.args.getlist("pending")[:5], rng)
    db.session.commit()  # a new voter row must exist before its token is used
    return jsonify(pair_id=pair.token, left=linked_card(space, pair.left), right=linked_card(space, pair.right),
                   your_votes=pair.your_votes)


@bp.post("/spaces/<slug>/pairwise-votes")
def post_vote(slug: str):
    """Store a vote: 201 when new, 200 with the original when this pair id was answered."""
    space = get_space_or_404(slug)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise Malformed(_('Send a JSON object: {"pair_id": "...", "choice": "left"}.'))
    voter_id = current_voter_id(space, create=False)
    if voter_id is None:
        raise Refused(_("This pair was shown to someone else."))
    try:
        vote, created = record_vote(space, voter_id, payload.get("pair_id"), payload.get("choice"),
                                    payload.get("reason"))
    except UnknownVoter:
        forget_voter_id()
        raise
    body = vote_json(vote, votes_by(space.id, voter_id))
    db.session.commit()
    return jsonify(body), 201 if created else 200


@bp.delete("/spaces/<slug>/pairwise-votes")
def delete_vote(slug: str):
    """Undo the voter's last vote, named by its pair id; 200 with the vote that was taken back."""
    space = get_space_or_404(slug)
    require_open(space)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error=_('Send a JSON object: {"pair_id": "..."}.')), 422
    try:
        pair = tokens.read(payload.get("pair_id"))
    except tokens.PairTokenError as exc:
        return jsonify(error=str(exc)), 422
    voter_id = current_voter_id(space, create=False)
    if voter_id is None:
        return jsonify(error=_("This pair was shown to someone else.")), 403
    vote = undo_last_vote(space.id, voter_id, pair, utcnow())
    body = vote_json(vote, votes_by(space.id, voter_id))
    db.session.commit()
    # The fit's version is the largest vote id, which a deletion need not change.
    refitter().forget(space.id)
    return jsonify(body), 200
