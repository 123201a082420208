"""Per-idea figures for people: vote counts, and the chance to beat another idea with a 95% CI.

The score of idea ``i`` is ``100 * mean_{j != i} sigmoid(theta_i - theta_j)``: the estimated
chance (in %) that it wins against an idea drawn at random from the others, the same reading
as the All Our Ideas score. At 10^4 ideas the plain mean is 10^8 sigmoids, so large fits use
a binned convolution (``chance_to_beat``) that is exact to ~1e-6 and costs O(n + G log G).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from app.ranking.bradley_terry import BTFit, FloatArray, IntArray, check_pairs, check_votes

#: Up to this many ideas the exact n x n sum is cheaper than setting up the convolution.
EXACT_MAX_ITEMS = 512
#: Fewest grid points for the binned convolution; the error scales as (step)^2.
GRID_SIZE = 4096
#: Largest grid step in theta; wider fits get more points (up to ``_MAX_GRID``) to keep it.
GRID_STEP = 0.01
_MAX_GRID = 1 << 16
#: Rows per block in the exact sum, so memory stays at a few MB for any n.
_EXACT_BLOCK = 256

Kernel = Callable[[FloatArray], FloatArray]


@dataclass(frozen=True)
class VoteCounts:
    """How often each idea won, lost, tied, was skipped, and was shown at all."""

    wins: IntArray
    losses: IntArray
    ties: IntArray
    skips: IntArray
    appearances: IntArray  # wins + losses + ties + skips: every time the idea was shown


@dataclass(frozen=True)
class RankingSummary:
    """What the results page shows per idea: score and interval in 0..100, and vote counts."""

    score: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    wins: IntArray
    losses: IntArray
    ties: IntArray
    appearances: IntArray

    def order(self) -> IntArray:
        """Idea indices from best to worst score (ties keep index order)."""
        return np.argsort(-self.score, kind="stable")


def count_pairwise(
    n_items: int,
    left: ArrayLike,
    right: ArrayLike,
    outcome: ArrayLike,
    *,
    skip_left: ArrayLike = (),
    skip_right: ArrayLike = (),
) -> VoteCounts:
    """Count wins, losses, ties and appearances per idea.

    ``left``/``right``/``outcome`` are the answered votes exactly as given to
    ``map_bt_pairwise``; ``skip_left``/``skip_right`` are the pairs shown but skipped ("can't
    decide"). Skips are kept apart because they must not enter the fit, yet an idea that
    was shown and skipped has still appeared, and the pair chooser balances appearances.
    """
    left_idx, right_idx, result = check_votes(n_items, left, right, outcome)
    skip_l, skip_r = check_pairs(n_items, skip_left, skip_right)

    def tally(mask_left: NDArray[np.bool_], mask_right: NDArray[np.bool_]) -> IntArray:
        """Count idea occurrences among the selected left and right entries."""
        picked = np.concatenate([left_idx[mask_left], right_idx[mask_right]])
        return np.bincount(picked, minlength=n_items).astype(np.intp)

    wins = tally(result == 1.0, result == 0.0)
    losses = tally(result == 0.0, result == 1.0)
    ties = tally(result == 0.5, result == 0.5)
    skips = np.bincount(np.concatenate([skip_l, skip_r]), minlength=n_items).astype(np.intp)
    return VoteCounts(wins, losses, ties, skips, wins + losses + ties + skips)


def _sigmoid(x: FloatArray) -> FloatArray:
    """Logistic function via tanh: no overflow for any x, and fast."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _sigmoid_slope(x: FloatArray) -> FloatArray:
    """Derivative of the logistic function, ``sigmoid(x) * sigmoid(-x)``."""
    half = np.tanh(0.5 * x)
    return 0.25 * (1.0 - half * half)


def _pair_sums_exact(theta: FloatArray, weights: FloatArray, kernel: Kernel) -> FloatArray:
    """``sum_j weights_j * kernel(theta_i - theta_j)`` for every i, in row blocks."""
    out = np.empty(theta.size)
    for start in range(0, theta.size, _EXACT_BLOCK):
        block = theta[start:start + _EXACT_BLOCK, None]
        out[start:start + _EXACT_BLOCK] = kernel(block - theta[None, :]) @ weights
    return out


def _pair_sums_binned(
    theta: FloatArray, weights: FloatArray, kernel: Kernel, grid_size: int
) -> FloatArray:
    """Same sums as ``_pair_sums_exact`` via linear binning, an FFT convolution and interpolation.

    Each theta_j's weight is split between its two neighbouring grid points (keeping mass and
    mean), the kernel is convolved on the grid, and the result is read back at theta_i by
    linear interpolation. Both steps err by O(h^2 * max|kernel''|), h the grid step, so with
    h <= ``GRID_STEP`` the error is ~1e-6 per unit weight at worst (~1e-7 typically).
    """
    low, high = float(theta.min()), float(theta.max())
    grid_size = int(min(max(grid_size, np.ceil((high - low) / GRID_STEP) + 1), _MAX_GRID))
    step = (high - low) / (grid_size - 1)
    position = (theta - low) / step
    cell = np.minimum(position.astype(np.intp), grid_size - 2)
    frac = position - cell
    mass = np.bincount(cell, weights * (1.0 - frac), minlength=grid_size)
    mass += np.bincount(cell + 1, weights * frac, minlength=grid_size)
    offsets = np.arange(-(grid_size - 1), grid_size, dtype=np.float64) * step
    size = 1 << int(np.ceil(np.log2(3 * grid_size - 2)))
    spectrum = np.multiply(np.fft.rfft(mass, size), np.fft.rfft(kernel(offsets), size))
    conv = np.fft.irfft(spectrum, size)
    on_grid = conv[grid_size - 1:2 * grid_size - 1]
    return np.interp(theta, low + step * np.arange(grid_size), on_grid).astype(np.float64)


def _pair_sums(
    theta: FloatArray, weights: FloatArray, kernel: Kernel, method: str, grid_size: int
) -> FloatArray:
    """Dispatch between the exact and binned pair sums."""
    if theta.size == 0 or float(np.ptp(theta)) == 0.0:  # every difference is 0
        return np.full(theta.size, float(weights.sum()) * float(kernel(np.zeros(1))[0]))
    if method == "exact" or (method == "auto" and theta.size <= EXACT_MAX_ITEMS):
        return _pair_sums_exact(theta, weights, kernel)
    return _pair_sums_binned(theta, weights, kernel, grid_size)


def chance_to_beat(
    theta: ArrayLike,
    *,
    method: Literal["auto", "exact", "binned"] = "auto",
    grid_size: int = GRID_SIZE,
) -> tuple[FloatArray, FloatArray]:
    """Return ``(chance, slope)``: each idea's mean win probability against the others.

    ``chance_i = mean_{j != i} sigmoid(theta_i - theta_j)`` in 0..1, and ``slope_i`` is its
    derivative in ``theta_i`` (needed for the delta-method interval). ``"exact"`` sums all
    pairs; ``"binned"`` uses the O(n + G log G) convolution; ``"auto"`` picks exact up to
    ``EXACT_MAX_ITEMS`` ideas. With fewer than two ideas there is nobody to beat: 0.5, 0.
    """
    values = np.asarray(theta, dtype=np.float64)
    if values.ndim != 1 or not np.isfinite(values).all():
        raise ValueError("theta must be a 1-D array of finite numbers")
    if method not in ("auto", "exact", "binned"):
        raise ValueError(f"method must be 'auto', 'exact' or 'binned', got {method!r}")
    if grid_size < 16:
        raise ValueError(f"grid_size must be at least 16, got {grid_size}")
    n_items = values.size
    if n_items < 2:
        return np.full(n_items, 0.5), np.zeros(n_items)
    ones = np.ones(n_items)
    # Each sum includes j == i, whose terms are sigmoid(0) = 1/2 and sigmoid'(0) = 1/4.
    wins = _pair_sums(values, ones, _sigmoid, method, grid_size) - 0.5
    slope = _pair_sums(values, ones, _sigmoid_slope, method, grid_size) - 0.25
    chance = np.clip(wins / (n_items - 1), 0.0, 1.0)
    return chance, np.maximum(slope / (n_items - 1), 0.0)


def _others_variance(
    theta: FloatArray, stderr: FloatArray, method: str, grid_size: int
) -> FloatArray:
    """Variance of ``chance_i`` from the other ideas' uncertainty (each weighs 1/(n-1))."""
    n_items = theta.size
    variance = stderr * stderr

    def squared_slope(x: FloatArray) -> FloatArray:
        """Squared logistic slope: how strongly theta_j moves chance_i, squared."""
        return _sigmoid_slope(x) ** 2

    total = _pair_sums(theta, variance, squared_slope, method, grid_size) - variance / 16.0
    return np.maximum(total, 0.0) / (n_items - 1) ** 2


def summarize_pairwise(
    fit: BTFit,
    counts: VoteCounts,
    *,
    level: float = 0.95,
    method: Literal["auto", "exact", "binned"] = "auto",
) -> RankingSummary:
    """Scores (0..100) with ``level`` intervals, plus the vote counts, for every idea.

    The interval is the delta method on the logit of the chance: its variance is
    ``(slope_i * se_i)^2 + sum_j (dchance_i/dtheta_j * se_j)^2``, divided by
    ``(chance (1 - chance))^2`` for the logit. Working on the logit scale keeps both bounds
    inside 0..100 and makes them asymmetric near the ends, as a chance should be.
    Covariances between the thetas are ignored (the diagonal Hessian is all we keep).
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    n_items = fit.theta.size
    if counts.wins.size != n_items:
        raise ValueError(f"counts cover {counts.wins.size} ideas but the fit has {n_items}")
    chance, slope = chance_to_beat(fit.theta, method=method)
    if n_items < 2:
        low, high = np.zeros(n_items), np.ones(n_items)
    else:
        variance = (slope * fit.stderr) ** 2 + _others_variance(
            fit.theta, fit.stderr, method, GRID_SIZE
        )
        inner = np.clip(chance, 1e-12, 1.0 - 1e-12)
        logit = np.log(inner) - np.log1p(-inner)
        half_width = NormalDist().inv_cdf(0.5 + level / 2.0) * np.sqrt(variance) / (
            inner * (1.0 - inner)
        )
        low, high = _sigmoid(logit - half_width), _sigmoid(logit + half_width)
    return RankingSummary(
        score=100.0 * chance,
        ci_low=100.0 * low,
        ci_high=100.0 * high,
        wins=counts.wins,
        losses=counts.losses,
        ties=counts.ties,
        appearances=counts.appearances,
    )
