"""Pair choice: never repeats, exhausts cleanly, reproducible, favours new ideas, explores."""
from __future__ import annotations

import numpy as np
import pytest

from app.ranking import (
    NoPairAvailable,
    choose_pair,
    count_pairwise,
    make_pair_chooser,
    map_bt_pairwise,
    prior_stderr,
)

#: Draws used when measuring shares; a share's binomial standard error is <= 0.008 here.
DRAWS = 4000
#: Allowed distance of the measured exploration share from the configured one (~4 s.e.).
EXPLORE_SHARE_ATOL = 0.03
#: New ideas must be drawn at least this many times as often as established ones.
NEW_IDEA_MIN_RATIO = 5.0


def fitted_chooser(simulate_votes, n_items=50, n_votes=2500, seed=21, **options):
    """A chooser built from a fit of simulated votes, as the app would build it per refit."""
    votes = simulate_votes(n_items, n_votes, seed=seed)
    fit = map_bt_pairwise(n_items, votes.left, votes.right, votes.outcome)
    counts = count_pairwise(n_items, votes.left, votes.right, votes.outcome)
    return make_pair_chooser(fit.theta, fit.stderr, counts.appearances, **options)


def key(pair):
    """The answered-set key of a pair."""
    return (min(pair), max(pair))


@pytest.mark.parametrize("n_items", [2, 3, 6, 9])
def test_never_repeats_and_exhausts(simulate_votes, n_items):
    chooser = fitted_chooser(simulate_votes, n_items=n_items, n_votes=10 * n_items)
    rng = np.random.default_rng(22)
    answered: set[tuple[int, int]] = set()
    total = n_items * (n_items - 1) // 2
    for _ in range(total):
        left, right = chooser.choose(answered, rng)
        assert left != right and 0 <= left < n_items and 0 <= right < n_items
        assert key((left, right)) not in answered
        answered.add(key((left, right)))
    assert len(answered) == total
    with pytest.raises(NoPairAvailable, match=f"answered all {total} pairs"):
        chooser.choose(answered, rng)


def test_many_voters_never_get_a_repeat(simulate_votes):
    chooser = fitted_chooser(simulate_votes, n_items=12, n_votes=300)
    rng = np.random.default_rng(23)
    for _ in range(40):  # 40 voters who each answer 60 of the 66 pairs
        answered: set[tuple[int, int]] = set()
        for _ in range(60):
            pair = key(chooser.choose(answered, rng))
            assert pair not in answered
            answered.add(pair)


def test_recognises_pairs_stored_either_way_round(simulate_votes):
    chooser = fitted_chooser(simulate_votes, n_items=4, n_votes=40)
    rng = np.random.default_rng(24)
    answered = {(1, 0), (2, 0), (3, 0), (2, 1), (3, 1)}  # all but (2, 3), reversed
    for _ in range(20):
        assert key(chooser.choose(answered, rng)) == (2, 3)


def test_fewer_than_two_ideas_raise():
    chooser = make_pair_chooser([0.0], [1.0], [0])
    with pytest.raises(NoPairAvailable, match="at least two ideas"):
        chooser.choose(set(), np.random.default_rng(0))


def test_same_seed_same_pairs(simulate_votes):
    chooser = fitted_chooser(simulate_votes)

    def sequence(seed):
        rng, answered, pairs = np.random.default_rng(seed), set(), []
        for _ in range(200):
            pair = chooser.choose(answered, rng)
            answered.add(key(pair))
            pairs.append(pair)
        return pairs

    assert sequence(5) == sequence(5)
    assert sequence(5) != sequence(6)


def test_exploration_share_matches_setting(simulate_votes):
    for explore in (0.0, 0.2, 0.5):
        chooser = fitted_chooser(simulate_votes, explore=explore)
        rng = np.random.default_rng(25)
        modes = [chooser.draw(set(), rng).mode for _ in range(DRAWS)]
        share = modes.count("explore") / DRAWS
        assert share == pytest.approx(explore, abs=EXPLORE_SHARE_ATOL)


def test_new_ideas_are_shown_much_more_often(simulate_votes):
    n_old, n_new = 60, 5
    votes = simulate_votes(n_old, 3000, seed=26)
    fit = map_bt_pairwise(n_old, votes.left, votes.right, votes.outcome)
    counts = count_pairwise(n_old, votes.left, votes.right, votes.outcome)
    # Five ideas submitted since the last refit: theta 0, prior-only stderr, never shown.
    chooser = make_pair_chooser(
        np.append(fit.theta, np.zeros(n_new)),
        np.append(fit.stderr, np.full(n_new, prior_stderr(1.0))),
        np.append(counts.appearances, np.zeros(n_new, dtype=int)),
    )
    rng = np.random.default_rng(27)
    shown = np.zeros(n_old + n_new)
    modes = []
    for _ in range(DRAWS):
        drawn = chooser.draw(set(), rng)
        shown[[drawn.left, drawn.right]] += 1
        modes.append(drawn.mode)
    per_new, per_old = shown[n_old:].mean(), shown[:n_old].mean()
    assert per_new >= NEW_IDEA_MIN_RATIO * per_old, (per_new, per_old)
    assert "catch_up" in modes


def test_information_pairs_are_closer_than_random(simulate_votes):
    chooser = fitted_chooser(simulate_votes, n_items=200, n_votes=10_000, explore=0.0)
    rng = np.random.default_rng(28)
    gaps = [abs(chooser.theta[a] - chooser.theta[b])
            for a, b in (chooser.choose(set(), rng) for _ in range(1000))]
    random_gaps = np.abs(np.subtract(*rng.choice(chooser.theta, size=(2, 1000))))
    assert np.mean(gaps) < 0.5 * np.mean(random_gaps)


def test_one_off_choose_pair(simulate_votes):
    votes = simulate_votes(10, 100, seed=29)
    fit = map_bt_pairwise(10, votes.left, votes.right, votes.outcome)
    counts = count_pairwise(10, votes.left, votes.right, votes.outcome)
    pair = choose_pair(fit.theta, fit.stderr, counts.appearances, {(0, 1)},
                       np.random.default_rng(30))
    assert pair[0] != pair[1] and key(pair) != (0, 1)


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        (([0.0, 1.0], [1.0], [0, 0]), {}, "equally long"),
        (([0.0, 1.0], [1.0, 0.0], [0, 0]), {}, "stderr finite and positive"),
        (([0.0, np.nan], [1.0, 1.0], [0, 0]), {}, "theta must be finite"),
        (([0.0, 1.0], [1.0, 1.0], [0, -1]), {}, "non-negative integers"),
        (([0.0, 1.0], [1.0, 1.0], [0.5, 1.0]), {}, "non-negative integers"),
        (([0.0, 1.0], [1.0, 1.0], [0, 0]), {"explore": 1.5}, "explore must be a share"),
        (([0.0, 1.0], [1.0, 1.0], [0, 0]), {"catch_up": -0.1}, "catch_up must be a share"),
        (([0.0, 1.0], [1.0, 1.0], [0, 0]), {"n_candidates": 0}, "n_candidates >= 1"),
    ],
)
def test_bad_chooser_inputs_raise_value_error(arguments, options, message):
    with pytest.raises(ValueError, match=message):
        make_pair_chooser(*arguments, **options)


def test_falls_back_to_the_last_free_pair(simulate_votes):
    chooser = fitted_chooser(simulate_votes, n_items=30, n_votes=600)
    everything = {(a, b) for a in range(30) for b in range(a + 1, 30)}
    answered = everything - {(7, 19)}
    rng = np.random.default_rng(31)
    draws = [chooser.draw(answered, rng) for _ in range(20)]
    assert {key((drawn.left, drawn.right)) for drawn in draws} == {(7, 19)}
    assert "fallback" in {drawn.mode for drawn in draws}  # sampling rarely hits it


def test_ignores_answered_pairs_of_unknown_ideas(simulate_votes):
    chooser = fitted_chooser(simulate_votes, n_items=3, n_votes=30)
    answered = {(0, 1), (0, 2), (5, 9), (7, 8)}  # ideas 5..9 were deleted since
    assert key(chooser.choose(answered, np.random.default_rng(32))) == (1, 2)
