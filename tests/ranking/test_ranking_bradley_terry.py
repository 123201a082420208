"""map_bt_pairwise: agreement with an independent MAP solution, ties, prior, convergence, inputs."""
from __future__ import annotations

import json

import numpy as np
import pytest

from app.ranking import BTFit, ConvergenceError, map_bt_pairwise, prior_stderr

#: Solver stops when no theta moves by more than tol = 1e-8; with linear convergence the
#: remaining error is a few times that (measured: <= 3.4e-9 on the reference cases).
THETA_ATOL = 1e-7
#: stderr depends smoothly on theta, so it inherits the same relative accuracy.
STDERR_RTOL = 1e-7
#: Two fits of the same posterior from different starts agree to this.
SAME_FIT_ATOL = 1e-6


def load_cases(data_dir):
    """The stored reference cases (see make_reference.py)."""
    with open(data_dir / "bt_reference.json", encoding="utf-8") as handle:
        return json.load(handle)["cases"]


def test_matches_reference_solutions(data_dir):
    for case in load_cases(data_dir):
        fit = map_bt_pairwise(case["n_items"], case["left"], case["right"], case["outcome"],
                              prior=case["prior"])
        np.testing.assert_allclose(fit.theta, case["theta"], rtol=0, atol=THETA_ATOL,
                                   err_msg=case["name"])
        np.testing.assert_allclose(fit.stderr, case["stderr"], rtol=STDERR_RTOL,
                                   err_msg=case["name"])


def test_returns_centred_frozen_fit(simulate_votes):
    votes = simulate_votes(20, 300, seed=4)
    fit = map_bt_pairwise(20, votes.left, votes.right, votes.outcome)
    assert isinstance(fit, BTFit)
    assert abs(fit.theta.mean()) < 1e-12
    assert fit.iterations >= 1
    with pytest.raises(AttributeError):
        fit.iterations = 0  # type: ignore[misc]


def test_tie_counts_as_half_a_win_each_way():
    # Two ties have the likelihood of one win each way: p^(1/2)(1-p)^(1/2) twice = p(1-p).
    base_left, base_right, base_outcome = [0, 1, 2, 2], [1, 2, 3, 0], [1.0, 1.0, 0.0, 1.0]
    with_ties = map_bt_pairwise(4, base_left + [3, 3], base_right + [1, 1],
                                base_outcome + [0.5, 0.5])
    with_split = map_bt_pairwise(4, base_left + [3, 1], base_right + [1, 3],
                                 base_outcome + [1.0, 1.0])
    np.testing.assert_allclose(with_ties.theta, with_split.theta, atol=SAME_FIT_ATOL)
    np.testing.assert_allclose(with_ties.stderr, with_split.stderr, rtol=1e-6)


def test_only_ties_give_equal_strengths():
    fit = map_bt_pairwise(3, [0, 1, 2], [1, 2, 0], [0.5, 0.5, 0.5])
    np.testing.assert_allclose(fit.theta, 0.0, atol=SAME_FIT_ATOL)


def test_idea_without_wins_gets_a_finite_lowest_score():
    left, right = [0, 0, 0, 1, 2], [1, 2, 3, 2, 3]
    fit = map_bt_pairwise(4, left, right, [0.0, 0.0, 0.0, 1.0, 0.5])
    assert np.isfinite(fit.theta).all() and np.isfinite(fit.stderr).all()
    assert fit.theta[0] == fit.theta.min()


def test_unbeaten_idea_stays_finite_and_prior_pulls_toward_zero():
    left, right = [0] * 6 + [1, 2], [1, 2, 3, 1, 2, 3, 2, 3]
    outcome = [1.0] * 6 + [1.0, 0.0]
    spreads = [np.ptp(map_bt_pairwise(4, left, right, outcome, prior=prior).theta)
               for prior in (0.1, 1.0, 10.0, 100.0)]
    assert np.isfinite(spreads).all()
    assert spreads == sorted(spreads, reverse=True)
    assert spreads[-1] < 0.2 * spreads[0]


def test_no_votes_gives_prior_only_fit():
    fit = map_bt_pairwise(5, [], [], [], prior=2.0)
    np.testing.assert_array_equal(fit.theta, np.zeros(5))
    np.testing.assert_allclose(fit.stderr, prior_stderr(2.0))


def test_empty_and_single_idea():
    assert map_bt_pairwise(0, [], [], []).theta.shape == (0,)
    assert map_bt_pairwise(1, [], [], []).stderr.tolist() == [prior_stderr(1.0)]


def test_unseen_idea_keeps_prior_stderr(data_dir):
    case = next(c for c in load_cases(data_dir) if c["name"] == "small_ties")
    fit = map_bt_pairwise(case["n_items"], case["left"], case["right"], case["outcome"])
    unseen = case["n_items"] - 1  # the generator never shows the last idea here
    assert unseen not in case["left"] + case["right"]
    assert fit.stderr[unseen] > fit.stderr[:unseen].max()


def test_max_iter_one_raises(simulate_votes):
    votes = simulate_votes(30, 400, seed=5)
    with pytest.raises(ConvergenceError, match="did not converge in 1 iterations"):
        map_bt_pairwise(30, votes.left, votes.right, votes.outcome, max_iter=1)
    assert issubclass(ConvergenceError, RuntimeError)


def test_warm_start_converges_in_fewer_iterations(simulate_votes):
    votes = simulate_votes(300, 30_300, seed=6)
    old = slice(0, 30_000)
    previous = map_bt_pairwise(300, votes.left[old], votes.right[old], votes.outcome[old])
    cold = map_bt_pairwise(300, votes.left, votes.right, votes.outcome)
    warm = map_bt_pairwise(300, votes.left, votes.right, votes.outcome, theta0=previous.theta)
    assert warm.iterations < cold.iterations
    np.testing.assert_allclose(warm.theta, cold.theta, atol=SAME_FIT_ATOL)


def test_recovers_true_order(simulate_votes):
    votes = simulate_votes(50, 5000, seed=7)
    fit = map_bt_pairwise(50, votes.left, votes.right, votes.outcome)
    assert np.corrcoef(fit.theta, votes.truth)[0, 1] > 0.95


@pytest.mark.parametrize(
    ("n_items", "left", "right", "outcome", "message"),
    [
        (3, [0, 1], [1, 1], [1.0, 0.0], "must differ: vote 1 compares idea 1 with itself"),
        (3, [0, 3], [1, 2], [1.0, 0.0], r"left\[1\] = 3 is not an idea index in 0..2"),
        (3, [0, 1], [-1, 2], [1.0, 0.0], r"right\[0\] = -1 is not an idea index"),
        (3, [0, 1], [1], [1.0, 0.0], "same length"),
        (3, [0, 1], [1, 2], [1.0], "outcome must be a 1-D array as long as left"),
        (3, [0, 1], [1, 2], [1.0, 0.3], r"outcome\[1\] = 0.3"),
        (3, [0, 1], [1, 2], [2.0, 0.0], r"outcome\[0\] = 2.0"),
        (3, [0, 1], [1, 2], [float("nan"), 0.0], r"outcome\[0\] = nan"),
        (3, [0.0, 1.0], [1, 2], [1.0, 0.0], "integer idea indices"),
        (3, [[0, 1]], [[1, 2]], [1.0, 0.0], "1-D array"),
        (-1, [], [], [], "n_items must be a non-negative integer"),
        (2.5, [0], [1], [1.0], "n_items must be a non-negative integer"),
    ],
)
def test_bad_votes_raise_value_error(n_items, left, right, outcome, message):
    with pytest.raises(ValueError, match=message):
        map_bt_pairwise(n_items, left, right, outcome)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"prior": 0.0}, "prior must be a positive"),
        ({"prior": float("inf")}, "prior must be a positive"),
        ({"max_iter": 0}, "max_iter must be a positive integer"),
        ({"tol": 0.0}, "tol must be positive"),
        ({"theta0": [0.0, 0.0]}, "theta0 must be 3 finite numbers"),
        ({"theta0": [0.0, float("nan"), 0.0]}, "theta0 must be 3 finite numbers"),
    ],
)
def test_bad_options_raise_value_error(options, message):
    with pytest.raises(ValueError, match=message):
        map_bt_pairwise(3, [0, 1], [1, 2], [1.0, 0.0], **options)
