"""The quadratic-voting ranking of a space: what the ranking API and results pages show.

``score`` is an idea's net votes (votes for minus votes against, summed over ballots), and
``ci_low``/``ci_high`` its 95% percentile-bootstrap interval over voters (see
``app.qv.tally``). The bootstrap is seeded with ``DEFAULT_SEED`` unless a generator is
passed, so the same ballots always give the same interval. Only votable ideas count
(``app.qv.budget.VOTABLE_STATUSES``), and only ballots with at least one vote on them.
"""
from __future__ import annotations

from collections.abc import Collection

import numpy as np

from app.extensions import db
from app.models import Space
from app.qv.ballots import counted_allocations, votable_idea_ids
from app.qv.tally import bootstrap_quadratic, tally_quadratic

DEFAULT_SEED = 20_240_605


def quadratic_standings(space: Space, rng: np.random.Generator | None = None,
                        voters_in: Collection[int] | None = None) -> tuple[list[dict], dict]:
    """One row per votable idea, best first, and the totals of the space.

    Rows: ``{"id", "score", "ci_low", "ci_high", "votes_net", "votes_for", "votes_against",
    "credits", "voters"}``; ideas nobody voted on are included with zeros. Ties in score
    are broken by more voters, then by the older idea (lower id). Totals: ``{"votes"``
    (Σ|n| over all allocations), ``"voters"`` (ballots with any vote), ``"credits"}``.
    """
    rng = rng if rng is not None else np.random.default_rng(DEFAULT_SEED)
    idea_ids = np.fromiter(db.session.scalars(votable_idea_ids(space.id)), dtype=np.int64)
    rows = np.array(db.session.execute(counted_allocations(space.id)).all(),
                    dtype=np.int64).reshape(-1, 3)
    # An idea whose status changed between the two queries is left out, not misplaced.
    rows = rows[np.isin(rows[:, 1], idea_ids)]
    if voters_in is not None:  # one group of voters (a district), for results by group
        rows = rows[np.isin(rows[:, 0], np.fromiter(voters_in, dtype=np.int64))]
    voters, items, votes = rows[:, 0], np.searchsorted(idea_ids, rows[:, 1]), rows[:, 2]

    n_items = idea_ids.size
    tally = tally_quadratic(n_items, voters, items, votes)
    low, high = bootstrap_quadratic(n_items, voters, items, votes, rng)
    order = np.lexsort((idea_ids, -tally.voters, -tally.votes_net))
    standings = [{
        "id": int(idea_ids[k]),
        "score": float(tally.votes_net[k]),
        "ci_low": float(low[k]),
        "ci_high": float(high[k]),
        "votes_net": int(tally.votes_net[k]),
        "votes_for": int(tally.votes_for[k]),
        "votes_against": int(tally.votes_against[k]),
        "credits": int(tally.credits[k]),
        "voters": int(tally.voters[k]),
    } for k in order]
    totals = {
        "votes": int(np.abs(votes).sum()),
        "voters": int(np.unique(voters).size),
        "credits": int((votes * votes).sum()),
    }
    return standings, totals
