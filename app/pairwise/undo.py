"""Undo of a voter's last pairwise vote: a mis-tap taken back, as All Our Ideas allows.

Only the last vote, only by its own voter (named by the pair id it answered), and only
shortly after it was cast: an undo is for a slip of the finger, not for rewriting a
history the ranking has long since used. The caller commits, then makes the fit stale.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa

from app.core.errors import Conflict, Invalid, NotFound, Refused
from app.extensions import db
from app.models import PairwiseVote
from app.text import _

if TYPE_CHECKING:
    from app.pairwise.tokens import PairToken

UNDO_SECONDS = 10
# The voting screen offers undo for UNDO_SECONDS after it heard back; the vote was stored a
# round trip before that, and the undo takes one more to arrive.
UNDO_GRACE = timedelta(seconds=3)


def _aware(moment: datetime) -> datetime:
    """SQLite gives stored times back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def undo_last_vote(space_id: int, voter_id: int, pair: PairToken, now: datetime) -> PairwiseVote:
    """Delete the vote this voter cast on `pair`, if it is their last and still recent.

    Returns the deleted vote. The pair can then be answered again under the same pair id,
    since nothing is stored for it any more.
    """
    if pair.space_id != space_id:
        raise Invalid(_("This pair belongs to another space."))
    if pair.voter_id != voter_id:
        raise Refused(_("This pair was shown to someone else."))
    vote = db.session.scalar(sa.select(PairwiseVote).where(PairwiseVote.pair_key == pair.nonce))
    if vote is None or vote.space_id != space_id:
        raise NotFound(_("There is no vote on this pair to undo."))
    if vote.voter_id != voter_id:
        raise Refused(_("This vote is someone else's."))
    later = sa.exists().where(PairwiseVote.space_id == space_id, PairwiseVote.voter_id == voter_id,
                              PairwiseVote.id > vote.id)
    if db.session.scalar(sa.select(later)):
        raise Conflict(_("Only your last vote can be undone."))
    if now - _aware(vote.created_at) > timedelta(seconds=UNDO_SECONDS) + UNDO_GRACE:
        raise Conflict(_("A vote can be undone only in the first %(num)s seconds.", num=UNDO_SECONDS))
    db.session.delete(vote)
    db.session.flush()
    return vote
