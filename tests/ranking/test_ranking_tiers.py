"""Tiers: ideas whose intervals overlap the tier leader's share a rank range."""
from __future__ import annotations

import pytest

from app.ranking import Tier, count_pairwise, map_bt_pairwise, summarize_pairwise, tiers_from_intervals
from tests.ranking.test_ranking_mercator import context_data


def spans(low, high):
    return [(t.first, t.last) for t in tiers_from_intervals(low, high)]


def test_separate_intervals_keep_strict_ranks():
    assert spans([80, 60, 40], [90, 70, 50]) == [(1, 1), (2, 2), (3, 3)]


def test_overlapping_intervals_share_one_range():
    # 2 and 3 reach into 1's interval; 4 does not.
    assert spans([70, 65, 50, 20], [90, 80, 75, 40]) == [(1, 3), (1, 3), (1, 3), (4, 4)]


def test_a_tier_is_anchored_on_its_leader_not_chained():
    # Each neighbour overlaps the next, but 3 does not reach the leader's low end 70.
    assert spans([70, 55, 40], [90, 72, 60]) == [(1, 2), (1, 2), (3, 3)]


def test_touching_ends_count_as_overlap_and_too_close_says_so():
    tiers = tiers_from_intervals([50, 40], [60, 50])
    assert tiers == [Tier(1, 2), Tier(1, 2)] and tiers[0].too_close
    assert not tiers_from_intervals([1], [2])[0].too_close


def test_no_rows_no_tiers():
    assert tiers_from_intervals([], []) == []


@pytest.mark.parametrize("low, high", [([1, 2], [3]), ([5], [4])])
def test_bad_intervals_are_refused(low, high):
    with pytest.raises(ValueError):
        tiers_from_intervals(low, high)


def test_real_wiki_survey_has_fewer_tiers_than_ideas(data_dir):
    """Mercator 'work': 34 ideas, 10 pairs per respondent; most cannot be told apart."""
    items, left, right, outcome, skip_l, skip_r = context_data(data_dir, "work")
    n = len(items)
    summary = summarize_pairwise(map_bt_pairwise(n, left, right, outcome),
                                 count_pairwise(n, left, right, outcome))
    order = summary.order()
    tiers = tiers_from_intervals(summary.ci_low[order], summary.ci_high[order])
    distinct = sorted({(t.first, t.last) for t in tiers})
    assert len(tiers) == n
    assert 1 < len(distinct) < n / 2
    assert distinct[0][0] == 1 and distinct[-1][1] == n
    assert all(a[1] + 1 == b[0] for a, b in zip(distinct, distinct[1:]))
