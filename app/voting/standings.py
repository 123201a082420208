"""Load a space's pairwise votes, fit the ranking engine, and keep what the pages need.

A fit is a snapshot: the pair chooser and the ranking read it while new votes are only
stored. `fit_space` is what a refit runs, warm-started from the previous snapshot.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone

import numpy as np
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote
from app.models.idea import PUBLIC_STATUSES, VOTABLE_STATUSES
from app.models.versions import space_version
from app.ranking import (
    BTFit,
    PairChooser,
    RankingSummary,
    VoteCounts,
    count_pairwise,
    make_pair_chooser,
    map_bt_pairwise,
    summarize_pairwise,
)

OUTCOME = {"left": 1.0, "right": 0.0, "tie": 0.5}


@dataclass(frozen=True)
class Standings:
    """One fit of one space: the ranking, and a chooser over the ideas still open to votes."""

    space_id: int
    idea_ids: np.ndarray            # position -> idea id, every public idea
    fit: BTFit
    summary: RankingSummary
    votable: np.ndarray             # positions of the ideas pairs may show
    chooser: PairChooser | None     # None while fewer than two ideas are votable
    votes: int                      # answered and skipped votes included in this fit
    voters: int
    last_vote_id: int
    ideas_version: int              # the space's data version (app/models/versions.py)
    fitted_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def position(self) -> dict[int, int]:
        return {int(i): p for p, i in enumerate(self.idea_ids)}

    @cached_property
    def votable_positions(self) -> dict[int, int]:
        """Idea id -> its position among the votable ideas, as the chooser numbers them;
        built once per fit, not on every pair request."""
        return {int(i): p for p, i in enumerate(self.idea_ids[self.votable])}


def _public_ideas(space_id: int) -> tuple[np.ndarray, np.ndarray]:
    rows = db.session.execute(
        sa.select(Idea.id, Idea.status)
        .where(Idea.space_id == space_id, Idea.status.in_(PUBLIC_STATUSES))
        .order_by(Idea.id)
    ).all()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    votable = np.array([p for p, r in enumerate(rows) if r[1] in VOTABLE_STATUSES], dtype=np.intp)
    return ids, votable


def _votes(space_id: int):
    return db.session.execute(
        sa.select(PairwiseVote.id, PairwiseVote.voter_id, PairwiseVote.left_idea_id,
                  PairwiseVote.right_idea_id, PairwiseVote.choice)
        .where(PairwiseVote.space_id == space_id)
    ).all()


def data_version(space_id: int) -> tuple[int, int]:
    """(last vote id, the space's data version): a fit with both is up to date."""
    version = db.session.scalar(space_version(space_id))
    last_vote = db.session.scalar(
        sa.select(sa.func.max(PairwiseVote.id)).where(PairwiseVote.space_id == space_id)) or 0
    return last_vote, version


def fit_space(space_id: int, previous: Standings | None = None) -> Standings:
    """Fit every stored vote of the space; votes on ideas no longer public are left out."""
    ideas_version = db.session.scalar(space_version(space_id))
    idea_ids, votable = _public_ideas(space_id)
    position = {int(i): p for p, i in enumerate(idea_ids)}
    rows = _votes(space_id)
    fit, counts, summary = fit_answers(
        idea_ids.size, ((position[l], position[r], c) for _, _, l, r, c in rows
                        if l in position and r in position),
        theta0=_warm_start(previous, idea_ids))
    chooser = None
    if votable.size >= 2:
        chooser = make_pair_chooser(fit.theta[votable], fit.stderr[votable],
                                    counts.appearances[votable])
    return Standings(
        space_id=space_id, idea_ids=idea_ids, fit=fit, summary=summary, votable=votable,
        chooser=chooser, votes=len(rows), voters=len({r[1] for r in rows}),
        last_vote_id=max((r[0] for r in rows), default=0), ideas_version=ideas_version,
    )


def fit_answers(n: int, answers: Iterable[tuple[int, int, str]], *, theta0: np.ndarray | None = None
                ) -> tuple[BTFit, VoteCounts, RankingSummary]:
    """The fit, the tallies and the summary of (left, right, choice) answers over n ideas
    numbered 0..n-1: a space's standings and a session room's table are the same sums.
    Skips count as showings only. One pass over the answers: a refit reads a million."""
    left: list[int] = []
    right: list[int] = []
    outcome: list[float] = []
    skip_left: list[int] = []
    skip_right: list[int] = []
    for a, b, choice in answers:
        if choice == "skip":
            skip_left.append(a)
            skip_right.append(b)
        else:
            left.append(a)
            right.append(b)
            outcome.append(OUTCOME[choice])
    arrays = (np.array(left, dtype=np.intp), np.array(right, dtype=np.intp),
              np.array(outcome, dtype=np.float64))
    fit = map_bt_pairwise(n, *arrays, theta0=theta0)
    counts = count_pairwise(n, *arrays, skip_left=np.array(skip_left, dtype=np.intp),
                            skip_right=np.array(skip_right, dtype=np.intp))
    return fit, counts, summarize_pairwise(fit, counts)


def _warm_start(previous: Standings | None, idea_ids: np.ndarray) -> np.ndarray | None:
    """The last fit's strengths for ideas it knew; 0 (the prior's centre) for new ones."""
    if previous is None or previous.idea_ids.size == 0 or idea_ids.size == 0:
        return None
    known = previous.position()
    return np.array([previous.fit.theta[known[int(i)]] if int(i) in known else 0.0
                     for i in idea_ids])
