"""Load a space's pairwise votes, fit the ranking engine, and keep what the pages need.

A fit is a snapshot: the pair chooser and the ranking read it while new votes are only
stored. `fit_space` is what the refit job runs (app/pairwise/refit_job.py), warm-started
from the stored fit; web workers only ever read stored fits (app/pairwise/stored.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone

import numpy as np
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, Space
from app.models.idea import PUBLIC_STATUSES, VOTABLE_STATUSES
from app.pairwise.vote_reader import CHOICE_CODES, SKIP, VoteArrays
from app.ranking import (
    BTFit,
    PairChooser,
    RankingSummary,
    TopKStatus,
    VoteCounts,
    classify_top_k,
    count_pairwise,
    make_pair_chooser,
    map_bt_pairwise,
    summarize_pairwise,
    top_k_probability,
    votes_to_settle,
)

OUTCOME = {"left": 1.0, "right": 0.0, "tie": 0.5}
#: OUTCOME by choice code (app/pairwise/vote_reader.py CHOICE_CODES); skips are never looked up.
_OUTCOMES = np.array([OUTCOME[c] if c in OUTCOME else np.nan for c in CHOICE_CODES], dtype=np.float64)
#: The top-K chances are drawn with this seed, so a fit always shows the same chances.
TOP_K_SEED = 19


@dataclass(frozen=True)
class TopK:
    """How sure the top K of one fit is: each idea's chance (by position) and the split."""

    p_top: np.ndarray
    status: TopKStatus
    votes_to_settle: int | None     # None before any vote; 0 once nothing is open


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
    top_k: TopK                     # over every public idea, for the space's focus_k
    fitted_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def version(self) -> tuple[int, int, int]:
        """What the fit covers, comparable with `data_version`."""
        return self.last_vote_id, self.ideas_version, self.top_k.status.k

    def position(self) -> dict[int, int]:
        return {int(i): p for p, i in enumerate(self.idea_ids)}

    @cached_property
    def votable_positions(self) -> dict[int, int]:
        """Idea id -> its position among the votable ideas, as the chooser numbers them;
        built once per fit, not on every pair request."""
        return {int(i): p for p, i in enumerate(self.idea_ids[self.votable])}


def public_ideas(space_id: int) -> tuple[np.ndarray, np.ndarray]:
    """(every public idea's id, in id order; the positions of those open to votes)."""
    rows = db.session.execute(
        sa.select(Idea.id, Idea.status)
        .where(Idea.space_id == space_id, Idea.status.in_(PUBLIC_STATUSES))
        .order_by(Idea.id)
    ).all()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    votable = np.array([p for p, r in enumerate(rows) if r[1] in VOTABLE_STATUSES], dtype=np.intp)
    return ids, votable


def _space_inputs(space_id: int) -> tuple[int, int]:
    """(the space's data version, its focus_k), read before the data they guard."""
    version, focus_k = db.session.execute(
        sa.select(Space.data_version, Space.focus_k).where(Space.id == space_id)).one()
    return version, focus_k


def data_version(space_id: int) -> tuple[int, int, int]:
    """(last vote id, the space's data version, its focus_k): a fit with all three is up to
    date. The focus is in it because the top-K chances are part of the fit, and a machine
    that did not save the setting must see it change too."""
    version, focus_k = _space_inputs(space_id)
    last_vote = db.session.scalar(
        sa.select(sa.func.max(PairwiseVote.id)).where(PairwiseVote.space_id == space_id)) or 0
    return last_vote, version, focus_k


def fit_space(space_id: int, votes: VoteArrays, ideas_version: int, focus_k: int,
              warm: tuple[np.ndarray, np.ndarray] | None = None, *, voters: int) -> Standings:
    """The fit of `votes` over today's public ideas: what the refit job runs, and only it.

    Votes on ideas no longer public are left out. `warm` is (idea ids, strengths) of the
    previous fit, to start from; `voters` is how many distinct voters cast `votes`, which
    the job keeps as it reads.
    """
    idea_ids, votable = public_ideas(space_id)
    answers = answers_over(idea_ids, votes)
    fit, counts, summary = fit_arrays(idea_ids.size, answers, theta0=warm_start(warm, idea_ids))
    top_k = _top_k(fit, answers, focus_k)
    return assemble(space_id, idea_ids, votable, fit, counts, summary, top_k, focus_k,
                    votes=len(votes), voters=int(voters),
                    last_vote_id=votes.last_id, ideas_version=ideas_version)


def assemble(space_id: int, idea_ids: np.ndarray, votable: np.ndarray, fit: BTFit,
             counts: VoteCounts, summary: RankingSummary, top_k: TopK, focus_k: int, *,
             votes: int, voters: int, last_vote_id: int, ideas_version: int,
             fitted_at: datetime | None = None) -> Standings:
    """Standings with a chooser over the votable ideas; a fresh fit and a stored one alike."""
    chooser = None
    if votable.size >= 2:
        # The chances are over every public idea; the chooser's are over the votable ones,
        # which it computes itself when some public ideas (declined, built) take no votes.
        whole = votable.size == idea_ids.size
        chooser = make_pair_chooser(fit.theta[votable], fit.stderr[votable],
                                    counts.appearances[votable], focus_k=focus_k,
                                    p_top=top_k.p_top if whole else None)
    return Standings(
        space_id=space_id, idea_ids=idea_ids, fit=fit, summary=summary, votable=votable,
        chooser=chooser, votes=votes, voters=voters, last_vote_id=last_vote_id,
        ideas_version=ideas_version, top_k=top_k,
        fitted_at=fitted_at or datetime.now(timezone.utc),
    )


def answers_over(idea_ids: np.ndarray, votes: VoteArrays) -> Answers:
    """The votes between ideas of `idea_ids`, as positions in it; others dropped."""
    if idea_ids.size == 0 or len(votes) == 0:
        return answer_arrays(())
    position = positions_by_id(idea_ids, max(int(votes.left.max()), int(votes.right.max())))
    left = position[votes.left]
    right = position[votes.right]
    known = (left >= 0) & (right >= 0)
    skip = known & (votes.choice == SKIP)
    decided = known & (votes.choice != SKIP)
    return Answers(left[decided], right[decided], _OUTCOMES[votes.choice[decided]],
                   left[skip], right[skip])


def positions_by_id(idea_ids: np.ndarray, highest: int) -> np.ndarray:
    """A table from idea id (up to `highest`) to its position in `idea_ids`, -1 for others.

    Ids are a table's serial numbers, so the table is as long as the ideas ever submitted,
    and a lookup in it is a gather: a refit maps millions of votes in milliseconds, where a
    binary search of each took a third of a second.
    """
    position = np.full(max(highest, int(idea_ids.max())) + 1, -1, dtype=np.intp)
    position[idea_ids] = np.arange(idea_ids.size)
    return position


def _top_k(fit: BTFit, answers: Answers, k: int) -> TopK:
    """Each idea's chance to be in the top k, drawn jointly along the voted pairs, and which
    ideas are surely in, surely out or still open; once per fit."""
    p_top = top_k_probability(fit.theta, fit.stderr, k, np.random.default_rng(TOP_K_SEED),
                              left=answers.left, right=answers.right)
    status = classify_top_k(p_top, k)
    needed = 0 if status.settled or fit.theta.size <= k else votes_to_settle(
        fit.theta, fit.stderr, status, answers.left.size)
    return TopK(p_top, status, needed)


@dataclass(frozen=True)
class Answers:
    """Answers as the engine's index arrays: decided pairs with their outcome, and skips."""

    left: np.ndarray
    right: np.ndarray
    outcome: np.ndarray
    skip_left: np.ndarray
    skip_right: np.ndarray


def fit_answers(n: int, answers: Iterable[tuple[int, int, str]], *, theta0: np.ndarray | None = None
                ) -> tuple[BTFit, VoteCounts, RankingSummary]:
    """The fit, the tallies and the summary of (left, right, choice) answers over n ideas
    numbered 0..n-1: a space's standings and a session room's table are the same sums."""
    return fit_arrays(n, answer_arrays(answers), theta0=theta0)


def fit_arrays(n: int, answers: Answers, *, theta0: np.ndarray | None = None
               ) -> tuple[BTFit, VoteCounts, RankingSummary]:
    """`fit_answers` once the answers are arrays. Skips count as showings only."""
    decided = (answers.left, answers.right, answers.outcome)
    fit = map_bt_pairwise(n, *decided, theta0=theta0)
    counts = count_pairwise(n, *decided, skip_left=answers.skip_left, skip_right=answers.skip_right)
    return fit, counts, summarize_pairwise(fit, counts)


def answer_arrays(answers: Iterable[tuple[int, int, str]]) -> Answers:
    """(left, right, choice) answers as arrays, in one pass: a refit reads a million."""
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
    return Answers(np.array(left, dtype=np.intp), np.array(right, dtype=np.intp),
                   np.array(outcome, dtype=np.float64), np.array(skip_left, dtype=np.intp),
                   np.array(skip_right, dtype=np.intp))


def warm_start(warm: tuple[np.ndarray, np.ndarray] | None, idea_ids: np.ndarray
               ) -> np.ndarray | None:
    """The last fit's strengths for ideas it knew; 0 (the prior's centre) for new ones."""
    if warm is None or warm[0].size == 0 or idea_ids.size == 0:
        return None
    return aligned(warm[0], warm[1], idea_ids, 0.0)


def aligned(ids: np.ndarray, values: np.ndarray, idea_ids: np.ndarray, missing: float) -> np.ndarray:
    """`values` (one per id of `ids`, sorted) for each of `idea_ids`, `missing` where unknown."""
    out = np.full(idea_ids.size, missing, dtype=np.result_type(values.dtype, type(missing)))
    if ids.size == 0:
        return out
    at = np.minimum(np.searchsorted(ids, idea_ids), ids.size - 1)
    found = ids[at] == idea_ids
    out[found] = values[at[found]]
    return out
