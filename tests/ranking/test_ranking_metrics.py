"""Kendall tau-b and Spearman rho against hand-worked values."""
from __future__ import annotations

import math

import numpy as np
import pytest

from app.ranking import kendall_tau, spearman_rho


def test_perfect_and_reversed_orders():
    x = np.arange(10.0)
    assert kendall_tau(x, x ** 3) == pytest.approx(1.0)
    assert kendall_tau(x, -x) == pytest.approx(-1.0)
    assert spearman_rho(x, np.exp(x)) == pytest.approx(1.0)
    assert spearman_rho(x, -x) == pytest.approx(-1.0)


def test_hand_worked_values_with_ties():
    # Pairs of (1,2,3,4) vs (1,3,2,4): 5 concordant, 1 discordant -> tau = 4/6.
    assert kendall_tau([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(4 / 6)
    # Spearman = 1 - 6 * sum d^2 / (n (n^2 - 1)) = 1 - 6 * 2 / 60 = 0.8.
    assert spearman_rho([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    # y ties its first two: 5 untied pairs in y, all concordant; tau-b = 5 / sqrt(6 * 5).
    assert kendall_tau([1, 2, 3, 4], [1, 1, 2, 3]) == pytest.approx(5 / math.sqrt(30))
    # Average ranks of y are (1.5, 1.5, 3, 4).
    ry = np.array([1.5, 1.5, 3, 4]) - 2.5
    rx = np.array([1, 2, 3, 4]) - 2.5
    expected = (rx @ ry) / math.sqrt((rx @ rx) * (ry @ ry))
    assert spearman_rho([1, 2, 3, 4], [1, 1, 2, 3]) == pytest.approx(expected)


def test_blocks_agree_with_small_loop():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=1100), rng.integers(0, 20, 1100).astype(float)
    sign = np.sign(x[:, None] - x[None, :]) * np.sign(y[:, None] - y[None, :])
    ties_y = sum(c * (c - 1) // 2 for c in np.unique(y, return_counts=True)[1])
    pairs = 1100 * 1099 // 2
    expected = sign.sum() / 2 / math.sqrt(pairs * (pairs - ties_y))
    assert kendall_tau(x, y) == pytest.approx(expected)


def test_constant_input_gives_nan_and_bad_input_raises():
    assert math.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))
    assert math.isnan(spearman_rho([1, 2, 3], [2, 2, 2]))
    with pytest.raises(ValueError, match="equal length"):
        kendall_tau([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="finite"):
        spearman_rho([1, np.nan], [1, 2])
