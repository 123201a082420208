"""Each ranking per district of the space's roll, beside the city-wide one (issue 15).

A voter's district is the one their verification gave (the roll's district column, or the
district of a batch of letter codes). Staff read two things off it: which ideas are in the
top K of every district (wanted everywhere), and which make a top K in one district only
(a local wish the city-wide ranking may hide).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, Space, Verification
from app.models.idea import PUBLIC_STATUSES
from app.pairwise.standings import fit_answers
from app.qv.standings import quadratic_standings

#: A roll with more districts than this is shown by its largest ones: a page of 200
#: neighbourhood tables helps nobody.
MAX_DISTRICTS = 20


@dataclass(frozen=True)
class DistrictRanking:
    district: str
    voters: int
    top: list[int]  # idea ids, best first, at most the space's focus K


@dataclass(frozen=True)
class DistrictResults:
    method: str
    k: int
    districts: list[DistrictRanking]
    everywhere: list[int]  # in the top K of every district
    only_in: dict[int, str]  # idea id → the one district whose top K it is in


def district_voters(space_id: int) -> dict[str, set[int]]:
    """The verified voters of each district, largest districts first."""
    groups: dict[str, set[int]] = defaultdict(set)
    for district, voter_id in db.session.execute(
            sa.select(Verification.district, Verification.voter_id)
            .where(Verification.space_id == space_id, Verification.district.is_not(None),
                   Verification.voter_id.is_not(None))):
        groups[district].add(voter_id)
    largest = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))[:MAX_DISTRICTS]
    return dict(largest)


def pairwise_top(space: Space, voters: set[int], k: int) -> list[int]:
    """The top k of a Bradley-Terry fit of these voters' votes; ideas they never saw are
    left out rather than ranked on the prior alone."""
    idea_ids = np.array(db.session.scalars(sa.select(Idea.id).where(
        Idea.space_id == space.id, Idea.status.in_(PUBLIC_STATUSES)).order_by(Idea.id)).all(), dtype=np.int64)
    position = {int(i): p for p, i in enumerate(idea_ids)}
    votes = db.session.execute(
        sa.select(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id, PairwiseVote.choice)
        .where(PairwiseVote.space_id == space.id, PairwiseVote.voter_id.in_(sorted(voters)))).all()
    answers = [(position[a], position[b], choice) for a, b, choice in votes if a in position and b in position]
    if not answers:
        return []
    _fit, counts, summary = fit_answers(idea_ids.size, answers)
    return [int(idea_ids[p]) for p in summary.order() if counts.appearances[p] > 0][:k]


def quadratic_top(space: Space, voters: set[int], k: int) -> list[int]:
    rows, _totals = quadratic_standings(space, voters_in=voters)
    return [row["id"] for row in rows if row["voters"] > 0][:k]


def titles_of(results) -> dict[int, str]:
    """The titles of every idea the district tables name."""
    ids = {i for result in results if result for row in result.districts for i in row.top}
    return dict(db.session.execute(sa.select(Idea.id, Idea.title).where(Idea.id.in_(sorted(ids)))).all())


def district_results(space: Space, method: str) -> DistrictResults | None:
    """The ranking `method` per district; None when no verified voter has a district."""
    groups = district_voters(space.id)
    if not groups:
        return None
    top_of = pairwise_top if method == "pairwise" else quadratic_top
    k = space.focus_k
    districts = [DistrictRanking(district, len(voters), top_of(space, voters, k))
                 for district, voters in groups.items()]
    in_tops: dict[int, list[str]] = defaultdict(list)
    for ranking in districts:
        for idea_id in ranking.top:
            in_tops[idea_id].append(ranking.district)
    everywhere = [i for i, where in in_tops.items() if len(where) == len(districts)] if len(districts) > 1 else []
    only_in = {i: where[0] for i, where in in_tops.items() if len(where) == 1 and len(districts) > 1}
    return DistrictResults(method, k, districts, everywhere, only_in)
