"""Pairwise voting as the API and the pages use it: who votes, the next pair, storing a vote."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask import session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Idea, PairwiseVote, SKIP_REASONS, Space
from app.models.idea import VOTABLE_STATUSES
from app.ranking import NoPairAvailable
from app.voters import voter_id_for_anon_key, voter_id_for_user
from app.voting import tokens
from app.voting.refits import refitter

VOTER_SESSION_KEY = "plaza_voter"


class VotingRefused(Exception):
    """A vote or pair request that cannot be served; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def current_voter_id(space: Space, *, create: bool) -> int | None:
    """The account's voter, or an anonymous one kept in the signed session cookie."""
    if current_user.is_authenticated:
        return voter_id_for_user(current_user.id)
    if not space.anonymous_pairwise:
        raise VotingRefused(401, _("Log in to vote in this space."))
    key = session.get(VOTER_SESSION_KEY)
    if key is None:
        if not create:
            return None
        key = secrets.token_urlsafe(18)
        session[VOTER_SESSION_KEY] = key
        session.permanent = True
    return voter_id_for_anon_key(key)


def require_open(space: Space) -> None:
    if not space.accepts_votes:
        message = (_("Voting has closed in this space.") if space.phase == "closed"
                   else _("Voting has not started in this space yet."))
        raise VotingRefused(403, message)


def answered_pairs(space_id: int, voter_id: int) -> set[tuple[int, int]]:
    """Idea-id pairs (low, high) this voter has already answered, skips included."""
    rows = db.session.execute(
        sa.select(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id)
        .where(PairwiseVote.space_id == space_id, PairwiseVote.voter_id == voter_id)
    ).all()
    return {(min(a, b), max(a, b)) for a, b in rows}


@dataclass(frozen=True)
class Pair:
    token: str
    left: Idea
    right: Idea


def next_pair(space: Space, voter_id: int, pending: list[str], rng: np.random.Generator) -> Pair:
    """A pair the voter has not answered (nor has in flight), chosen from the current fit."""
    excluded = answered_pairs(space.id, voter_id)
    for token in pending:
        try:
            shown = tokens.read(token)
        except tokens.PairTokenError:
            continue
        if shown.voter_id == voter_id and shown.space_id == space.id:
            excluded.add((min(shown.left_id, shown.right_id), max(shown.left_id, shown.right_id)))
    standings = refitter().current(space.id)
    for attempt in range(2):
        if standings.chooser is None:
            raise VotingRefused(404, _("This space needs at least two ideas before voting can start."))
        ids = standings.idea_ids[standings.votable]
        positions = {int(i): p for p, i in enumerate(ids)}
        answered = {(positions[a], positions[b]) for a, b in excluded
                    if a in positions and b in positions}
        try:
            first, second = standings.chooser.choose(answered, rng)
        except NoPairAvailable:
            raise VotingRefused(404, _("You have compared every pair of ideas here. Thank you!"))
        left = db.session.get(Idea, int(ids[first]))
        right = db.session.get(Idea, int(ids[second]))
        if all(i is not None and i.status in VOTABLE_STATUSES for i in (left, right)):
            return Pair(tokens.issue(space.id, voter_id, left.id, right.id), left, right)
        standings = refitter().refit_now(space.id)  # an idea was hidden since the last fit
    raise VotingRefused(409, _("The ideas changed while choosing a pair; please try again."))


def record_vote(space: Space, voter_id: int, pair_id: object, choice: object,
                reason: object) -> tuple[PairwiseVote, bool]:
    """Store one answer; (vote, False) when this pair id was already answered (a replay)."""
    try:
        token = tokens.read(pair_id)
    except tokens.PairTokenError as exc:
        raise VotingRefused(400, str(exc)) from exc
    if token.space_id != space.id:
        raise VotingRefused(422, _("This pair belongs to another space."))
    if token.voter_id != voter_id:
        raise VotingRefused(403, _("This pair was shown to someone else."))
    replay = db.session.scalar(sa.select(PairwiseVote).where(PairwiseVote.pair_key == token.nonce))
    if replay is not None:
        return replay, False
    require_open(space)
    if choice not in ("left", "right", "tie", "skip"):
        raise VotingRefused(422, _("choice must be one of: left, right, tie, skip."))
    if reason is not None and (choice != "skip" or reason not in SKIP_REASONS):
        raise VotingRefused(422, _("reason goes with choice 'skip' and must be one of: %(reasons)s.",
                                   reasons=", ".join(SKIP_REASONS)))
    ideas = db.session.scalars(sa.select(Idea).where(Idea.id.in_([token.left_id, token.right_id]))).all()
    if len(ideas) != 2 or any(i.space_id != space.id or i.status not in VOTABLE_STATUSES for i in ideas):
        raise VotingRefused(422, _("One of these ideas is no longer open to votes; load a new pair."))
    key = (min(token.left_id, token.right_id), max(token.left_id, token.right_id))
    if key in answered_pairs(space.id, voter_id):
        # The same pair id may have been stored a moment ago by a concurrent request.
        replay = db.session.scalar(sa.select(PairwiseVote).where(PairwiseVote.pair_key == token.nonce))
        if replay is not None:
            return replay, False
        raise VotingRefused(409, _("You have already compared these two ideas."))
    vote = PairwiseVote(space_id=space.id, voter_id=voter_id, left_idea_id=token.left_id,
                        right_idea_id=token.right_id, choice=choice,
                        skip_reason=reason if choice == "skip" else None, pair_key=token.nonce)
    db.session.add(vote)
    try:
        db.session.commit()
    except IntegrityError:  # the same pair id sent twice at once: the first one won
        db.session.rollback()
        original = db.session.scalar(sa.select(PairwiseVote).where(PairwiseVote.pair_key == token.nonce))
        if original is None:
            raise
        return original, False
    refitter().note_vote(space.id)
    return vote, True


def votes_by(space_id: int, voter_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)).where(
        PairwiseVote.space_id == space_id, PairwiseVote.voter_id == voter_id))
