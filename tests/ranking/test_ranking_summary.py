"""Scores, intervals and counts: fast chance-to-beat vs the naive mean, interval coverage."""
from __future__ import annotations

import json

import numpy as np
import pytest

from app.ranking import (
    chance_to_beat,
    count_pairwise,
    map_bt_pairwise,
    summarize_pairwise,
)

#: Binned chance vs the exact n x n mean, in chance units (0..1). The binning error is
#: O(step^2) with step <= 0.01, measured <= 1.1e-6 even for a t(2) spread of range 285.
BINNED_CHANCE_ATOL = 2e-6
#: Exact chance vs the reference's own double loop: only rounding differs.
EXACT_CHANCE_ATOL = 1e-12
#: Accepted share of true chances inside their 95% intervals, over 900 simulated ideas.
#: Measured 0.943-0.977 per seed (mean 0.958); 900 correlated intervals give a standard
#: error near 0.01, so the band is about -5 and +3 of those around 0.95.
COVERAGE_BAND = (0.90, 0.99)


def test_exact_chance_matches_reference(data_dir):
    with open(data_dir / "bt_reference.json", encoding="utf-8") as handle:
        cases = json.load(handle)["cases"]
    for case in cases:
        chance, _ = chance_to_beat(case["theta"], method="exact")
        np.testing.assert_allclose(chance, case["chance"], rtol=0, atol=EXACT_CHANCE_ATOL)


@pytest.mark.parametrize(
    "spread",
    ["normal", "wide", "heavy_tailed", "clustered"],
)
def test_binned_chance_matches_naive_mean(spread):
    rng = np.random.default_rng(11)
    theta = {
        "normal": rng.normal(0.0, 1.0, 3000),
        "wide": rng.normal(0.0, 4.0, 3000),
        "heavy_tailed": rng.standard_t(2, 3000),
        "clustered": np.concatenate([np.zeros(1000), np.full(1000, 1e-3),
                                     rng.normal(0.0, 2.0, 1000)]),
    }[spread]
    diffs = theta[:, None] - theta[None, :]
    sig = 1.0 / (1.0 + np.exp(-diffs))
    naive_chance = (sig.sum(axis=1) - 0.5) / (theta.size - 1)
    naive_slope = ((sig * (1.0 - sig)).sum(axis=1) - 0.25) / (theta.size - 1)
    chance, slope = chance_to_beat(theta, method="binned")
    np.testing.assert_allclose(chance, naive_chance, rtol=0, atol=BINNED_CHANCE_ATOL)
    np.testing.assert_allclose(slope, naive_slope, rtol=0, atol=BINNED_CHANCE_ATOL)


def test_auto_method_uses_binning_for_many_ideas():
    theta = np.random.default_rng(12).normal(size=2000)
    auto, _ = chance_to_beat(theta)
    exact, _ = chance_to_beat(theta, method="exact")
    np.testing.assert_allclose(auto, exact, atol=BINNED_CHANCE_ATOL)


def test_chance_edge_cases():
    assert chance_to_beat([])[0].shape == (0,)
    assert chance_to_beat([3.0])[0].tolist() == [0.5]
    np.testing.assert_allclose(chance_to_beat(np.zeros(5000))[0], 0.5)
    chance, _ = chance_to_beat([0.0, 50.0, -50.0])
    np.testing.assert_allclose(chance, [0.5, 1.0, 0.0], atol=1e-12)
    with pytest.raises(ValueError, match="finite"):
        chance_to_beat([0.0, np.inf])
    with pytest.raises(ValueError, match="method"):
        chance_to_beat([0.0, 1.0], method="fast")  # type: ignore[arg-type]


def test_counts_include_ties_and_skips():
    counts = count_pairwise(
        4, [0, 1, 2, 0], [1, 2, 0, 3], [1.0, 0.0, 0.5, 1.0],
        skip_left=[3, 1], skip_right=[0, 2],
    )
    assert counts.wins.tolist() == [2, 0, 1, 0]
    assert counts.losses.tolist() == [0, 2, 0, 1]
    assert counts.ties.tolist() == [1, 0, 1, 0]
    assert counts.skips.tolist() == [1, 1, 1, 1]
    assert counts.appearances.tolist() == [4, 3, 3, 2]


@pytest.mark.parametrize(
    ("skips", "message"),
    [
        ({"skip_left": [0], "skip_right": [0]}, "must differ"),
        ({"skip_left": [0], "skip_right": [9]}, "not an idea index"),
        ({"skip_left": [0, 1], "skip_right": [2]}, "same length"),
        ({"skip_left": [0.5], "skip_right": [2]}, "integer idea indices"),
    ],
)
def test_bad_skips_raise_value_error(skips, message):
    with pytest.raises(ValueError, match=message):
        count_pairwise(3, [0], [1], [1.0], **skips)


def test_summary_fields_and_bounds(simulate_votes):
    votes = simulate_votes(40, 600, seed=13)
    fit = map_bt_pairwise(40, votes.left, votes.right, votes.outcome)
    counts = count_pairwise(40, votes.left, votes.right, votes.outcome)
    summary = summarize_pairwise(fit, counts)
    assert (0.0 <= summary.ci_low).all() and (summary.ci_high <= 100.0).all()
    assert (summary.ci_low < summary.score).all() and (summary.score < summary.ci_high).all()
    assert summary.wins.tolist() == counts.wins.tolist()
    assert summary.appearances.dtype.kind == "i"
    assert summary.order()[0] == int(np.argmax(summary.score))
    # The score is the mean chance, so it averages exactly 50 over all ideas.
    assert summary.score.mean() == pytest.approx(50.0)


def test_more_votes_narrow_the_interval(simulate_votes):
    widths = []
    for n_votes in (200, 2000):
        votes = simulate_votes(20, n_votes, seed=14)
        fit = map_bt_pairwise(20, votes.left, votes.right, votes.outcome)
        summary = summarize_pairwise(fit, count_pairwise(20, votes.left, votes.right,
                                                         votes.outcome))
        widths.append(float(np.mean(summary.ci_high - summary.ci_low)))
    assert widths[1] < 0.5 * widths[0]


def test_single_idea_has_no_information():
    fit = map_bt_pairwise(1, [], [], [])
    summary = summarize_pairwise(fit, count_pairwise(1, [], [], []))
    assert summary.score.tolist() == [50.0]
    assert (summary.ci_low.tolist(), summary.ci_high.tolist()) == ([0.0], [100.0])


def test_summary_rejects_mismatched_counts():
    fit = map_bt_pairwise(3, [0], [1], [1.0])
    with pytest.raises(ValueError, match="counts cover 2 ideas but the fit has 3"):
        summarize_pairwise(fit, count_pairwise(2, [0], [1], [1.0]))
    with pytest.raises(ValueError, match="level"):
        summarize_pairwise(fit, count_pairwise(3, [0], [1], [1.0]), level=1.5)


def test_intervals_cover_true_chance_about_95_percent(simulate_votes):
    covered = []
    for seed in (0, 1, 2):
        votes = simulate_votes(300, 6000, seed=seed)
        fit = map_bt_pairwise(300, votes.left, votes.right, votes.outcome)
        summary = summarize_pairwise(
            fit, count_pairwise(300, votes.left, votes.right, votes.outcome)
        )
        true_score = 100.0 * chance_to_beat(votes.truth, method="exact")[0]
        covered.append((summary.ci_low <= true_score) & (true_score <= summary.ci_high))
    coverage = float(np.concatenate(covered).mean())
    assert COVERAGE_BAND[0] <= coverage <= COVERAGE_BAND[1], coverage
