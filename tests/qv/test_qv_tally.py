"""The quadratic tally and its bootstrap interval, against figures worked out by hand."""
import numpy as np
import pytest

from app.qv.tally import bootstrap_quadratic, tally_quadratic

# Three voters, three ideas (hand-computed below):
#   voter 0: idea 0 +3, idea 1 -2
#   voter 1: idea 0 +1, idea 2 +4
#   voter 2: idea 1 +5
VOTERS = [0, 0, 1, 1, 2]
ITEMS = [0, 1, 0, 2, 1]
VOTES = [3, -2, 1, 4, 5]
#: Percentile ends at 1,000 replicates sit on exact values here; no tolerance needed.
EXACT = 0.0
#: Replicates for comparing two bootstraps, and how far (in votes) their ends may differ.
BIG_BOOT = 40_000
MONTE_CARLO_VOTES = 1.0


def test_tally_by_hand():
    tally = tally_quadratic(3, VOTERS, ITEMS, VOTES)
    assert tally.votes_net.tolist() == [4, 3, 4]        # 3+1, -2+5, 4
    assert tally.votes_for.tolist() == [4, 5, 4]
    assert tally.votes_against.tolist() == [0, 2, 0]
    assert tally.credits.tolist() == [10, 29, 16]       # 9+1, 4+25, 16
    assert tally.voters.tolist() == [2, 2, 1]


def test_tally_counts_ideas_without_votes_as_zero():
    tally = tally_quadratic(4, [7], [2], [-3])
    assert tally.votes_net.tolist() == [0, 0, -3, 0]
    assert tally.votes_against.tolist() == [0, 0, 3, 0]
    assert tally.credits.tolist() == [0, 0, 9, 0]
    assert tally.voters.tolist() == [0, 0, 1, 0]


def test_tally_of_nothing():
    tally = tally_quadratic(2, [], [], [])
    assert tally.votes_net.tolist() == [0, 0] and tally.voters.tolist() == [0, 0]
    assert tally_quadratic(0, [], [], []).votes_net.size == 0


@pytest.mark.parametrize("voters, items, votes, message", [
    ([0], [3], [1], "items must lie in 0..2"),
    ([0], [-1], [1], "items must lie"),
    ([-1], [0], [1], "voters must be non-negative"),
    ([0], [0], [0], "non-zero"),
    ([0, 0], [1, 1], [1, 2], "one allocation per idea"),
    ([0], [0], [1.5], "votes must hold integers"),
    ([0, 1], [0], [1], "same length"),
])
def test_tally_refuses_malformed_input(voters, items, votes, message):
    with pytest.raises(ValueError, match=message):
        tally_quadratic(3, voters, items, votes)


def test_bootstrap_two_voters_by_hand():
    # Voters give +3 and +1 to one idea. Drawing two voters with replacement gives
    # 6 (p 1/4), 4 (p 1/2) or 2 (p 1/4), so the 2.5% and 97.5% ends are 2 and 6.
    low, high = bootstrap_quadratic(1, [0, 1], [0, 0], [3, 1], np.random.default_rng(1))
    assert low.tolist() == pytest.approx([2.0], abs=EXACT)
    assert high.tolist() == pytest.approx([6.0], abs=EXACT)


def test_bootstrap_one_voter_has_no_spread():
    low, high = bootstrap_quadratic(2, [5, 5], [0, 1], [2, -1], np.random.default_rng(0))
    assert low.tolist() == [2.0, -1.0] and high.tolist() == [2.0, -1.0]


def test_bootstrap_without_voters_is_zero():
    low, high = bootstrap_quadratic(3, [], [], [], np.random.default_rng(0))
    assert low.tolist() == [0.0] * 3 and high.tolist() == [0.0] * 3


def test_bootstrap_is_reproducible_with_the_same_seed():
    rng_data = np.random.default_rng(42)
    voters = np.repeat(np.arange(60), 3)
    items = np.concatenate([rng_data.choice(10, 3, replace=False) for _ in range(60)])
    votes = rng_data.integers(1, 6, voters.size) * rng_data.choice([-1, 1], voters.size)
    first = bootstrap_quadratic(10, voters, items, votes, np.random.default_rng(7))
    again = bootstrap_quadratic(10, voters, items, votes, np.random.default_rng(7))
    other = bootstrap_quadratic(10, voters, items, votes, np.random.default_rng(8))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])
    net = tally_quadratic(10, voters, items, votes).votes_net
    assert np.all(first[0] <= net) and np.all(net <= first[1])


def joint_bootstrap(n_items, voters, items, votes, rng, n_boot, level):
    """The textbook bootstrap: draw whole ballots with replacement and add them up."""
    ballots = np.zeros((max(voters) + 1, n_items))
    ballots[voters, items] = votes
    drawn = rng.integers(0, ballots.shape[0], size=(n_boot, ballots.shape[0]))
    nets = ballots[drawn].sum(axis=1)
    tail = 100 * (1 - level) / 2
    return np.percentile(nets, [tail, 100 - tail], axis=0, method="inverted_cdf")


@pytest.mark.parametrize("level", [0.95, 0.5])
def test_bootstrap_matches_resampling_whole_ballots(level):
    """Drawing each idea's votes from its value counts has the same law as drawing ballots."""
    data = np.random.default_rng(11)
    n_voters, n_items = 40, 5
    voters, items, votes = [], [], []
    for voter in range(n_voters):
        for item in data.choice(n_items, int(data.integers(1, 4)), replace=False):
            voters.append(voter)
            items.append(int(item))
            votes.append(int(data.choice([-3, -1, 1, 2, 4])))
    ours = bootstrap_quadratic(n_items, voters, items, votes, np.random.default_rng(1),
                               n_boot=BIG_BOOT, level=level)
    textbook = joint_bootstrap(n_items, voters, items, votes, np.random.default_rng(2),
                               BIG_BOOT, level)
    np.testing.assert_allclose(ours, textbook, atol=MONTE_CARLO_VOTES)


def test_bootstrap_voter_numbers_need_not_be_contiguous():
    dense = bootstrap_quadratic(3, VOTERS, ITEMS, VOTES, np.random.default_rng(5))
    sparse = bootstrap_quadratic(3, [v * 1000 + 17 for v in VOTERS], ITEMS, VOTES,
                                 np.random.default_rng(5))
    np.testing.assert_array_equal(dense[0], sparse[0])


@pytest.mark.parametrize("kwargs", [{"level": 1.0}, {"level": 0.0}, {"n_boot": 0}])
def test_bootstrap_refuses_bad_settings(kwargs):
    with pytest.raises(ValueError):
        bootstrap_quadratic(3, VOTERS, ITEMS, VOTES, np.random.default_rng(0), **kwargs)


def test_interval_ends_are_whole_numbers_of_votes():
    low, high = bootstrap_quadratic(3, VOTERS, ITEMS, VOTES, np.random.default_rng(4))
    assert np.all(low == np.round(low)) and np.all(high == np.round(high))
