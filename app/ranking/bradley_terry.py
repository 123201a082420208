"""Bradley-Terry strengths from pairwise votes, by MAP with a weak prior (Newman 2023).

The model: idea ``i`` beats idea ``j`` with probability ``sigmoid(theta_i - theta_j)``.
The prior is a *virtual opponent* of strength ``theta = 0`` against which every idea has
won ``prior`` games and lost ``prior`` games, i.e. a log-prior
``prior * (log sigmoid(theta_i) + log sigmoid(-theta_i))`` per idea. It keeps an idea with no
wins (or no losses, or no votes) at a finite score and pulls thin evidence toward the middle.

The MAP is the fixed point of the iteration of M. E. J. Newman, "Efficient computation of
rankings from pairwise comparisons", JMLR 24 (2023), with the prior entering as games
against the virtual opponent (pi = exp(theta)):

    pi_i <- (prior/(pi_i + 1) + sum_won  pi_j/(pi_i + pi_j))
            / (prior/(pi_i + 1) + sum_lost    1/(pi_i + pi_j))

computed straight from the vote arrays with ``np.bincount`` (no n x n matrix).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Largest item count for which winners are radix-sorted as uint16 (see ``_Games``).
_UINT16_ITEMS = 1 << 16
#: Iterations in a row without a smaller change after which the step is halved, down to
#: ``_MIN_STEP``: all ideas update at once, and on a star of votes (one idea against many
#: that have no other votes, among many unvoted ideas) the full step flips back and
#: forth for ever (found by the pair-choice simulation: a 0.55 change after 1000 steps).
_GROWING_STEPS = 3
_MIN_STEP = 0.125


class ConvergenceError(RuntimeError):
    """The fixed-point iteration did not reach ``tol`` within ``max_iter`` iterations."""


@dataclass(frozen=True)
class BTFit:
    """A Bradley-Terry MAP fit.

    ``theta`` are log-strengths centred to mean 0 (only differences are identified by the
    votes, so the centring loses nothing). ``stderr[i]`` is ``1/sqrt(H_ii)``, with ``H`` the
    Hessian of the negative log-posterior in ``theta`` at the optimum, prior included: the
    uncertainty of ``theta_i`` with the other ideas held fixed, which is what a comparison
    of idea ``i`` against the field needs. ``iterations`` is how many updates were needed.
    """

    theta: FloatArray
    stderr: FloatArray
    iterations: int


def prior_stderr(prior: float = 1.0) -> float:
    """Stderr of an idea with no votes: its theta is 0 and only the prior's curvature remains.

    Useful for an idea added after the last fit, until the next refit includes it.
    """
    if not prior > 0.0:
        raise ValueError(f"prior must be positive, got {prior!r}")
    return float(1.0 / np.sqrt(0.5 * prior))


def check_pairs(n_items: int, left: ArrayLike, right: ArrayLike) -> tuple[IntArray, IntArray]:
    """Return ``left``/``right`` as intp arrays, or raise ValueError saying what is wrong."""
    if isinstance(n_items, bool) or not isinstance(n_items, (int, np.integer)) or n_items < 0:
        raise ValueError(f"n_items must be a non-negative integer, got {n_items!r}")
    arrays = []
    for name, values in (("left", left), ("right", right)):
        array = np.asarray(values)
        if array.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} must hold integer idea indices, got dtype {array.dtype}")
        array = array.astype(np.intp, copy=False)
        if array.size and (array.min() < 0 or array.max() >= n_items):
            bad = int(np.flatnonzero((array < 0) | (array >= n_items))[0])
            raise ValueError(
                f"{name}[{bad}] = {int(array[bad])} is not an idea index in 0..{n_items - 1}"
            )
        arrays.append(array)
    left_idx, right_idx = arrays
    if left_idx.shape != right_idx.shape:
        raise ValueError(
            f"left and right must have the same length, got {left_idx.size} and {right_idx.size}"
        )
    same = np.flatnonzero(left_idx == right_idx)
    if same.size:
        raise ValueError(
            f"left and right must differ: vote {int(same[0])} compares idea "
            f"{int(left_idx[same[0]])} with itself"
        )
    return left_idx, right_idx


def check_votes(
    n_items: int, left: ArrayLike, right: ArrayLike, outcome: ArrayLike
) -> tuple[IntArray, IntArray, FloatArray]:
    """Validate a vote list; ``outcome`` must be 1.0 (left won), 0.0 (right won) or 0.5 (tie)."""
    left_idx, right_idx = check_pairs(n_items, left, right)
    result = np.asarray(outcome, dtype=np.float64)
    if result.ndim != 1 or result.size != left_idx.size:
        raise ValueError(
            f"outcome must be a 1-D array as long as left ({left_idx.size}), "
            f"got shape {result.shape}"
        )
    valid = (result == 0.0) | (result == 0.5) | (result == 1.0)
    if not valid.all():
        bad = int(np.flatnonzero(~valid)[0])
        raise ValueError(
            f"outcome[{bad}] = {float(result[bad])}; outcomes must be 1.0 (left won), "
            "0.0 (right won) or 0.5 (tie)"
        )
    return left_idx, right_idx, result


@dataclass(frozen=True)
class _Games:
    """Votes as weighted (winner, loser) games, sorted by winner.

    A tie becomes two games of weight 1/2, one each way, which is exactly its likelihood
    ``p**0.5 * (1-p)**0.5``. Sorting by winner turns one of the two scatter-adds of every
    iteration into a contiguous segment sum (``np.add.reduceat``) and the winners' gather
    into ``np.repeat``, the fastest operations numpy has for them.
    """

    losers: IntArray  # loser of each game, games sorted by winner
    weights: FloatArray | None  # None when every game has weight 1 (no ties)
    counts: IntArray  # games won by each idea (length n_items)
    has_wins: NDArray[np.bool_]  # ideas with at least one won game
    starts: IntArray  # index of the first game of each idea in ``has_wins``


def _games(n_items: int, left: IntArray, right: IntArray, outcome: FloatArray) -> _Games:
    """Turn validated votes into winner-sorted games (see ``_Games`` for why)."""
    tie = outcome == 0.5
    left_won = outcome == 1.0
    winners = np.where(left_won, left, right)
    losers = np.where(left_won, right, left)
    weights: FloatArray | None = None
    if tie.any():
        # np.where made right the winner of every tie; add the left-wins half.
        winners = np.concatenate([winners, left[tie]])
        losers = np.concatenate([losers, right[tie]])
        weights = np.concatenate([np.where(tie, 0.5, 1.0), np.full(int(tie.sum()), 0.5)])
    # A stable uint16 argsort is a radix sort, several times faster than a comparison sort.
    keys = winners.astype(np.uint16) if n_items <= _UINT16_ITEMS else winners
    order = np.argsort(keys, kind="stable")
    losers = losers[order]
    if weights is not None:
        weights = weights[order]
    counts = np.bincount(winners, minlength=n_items)
    has_wins = counts > 0
    starts = (np.cumsum(counts) - counts)[has_wins]
    return _Games(losers, weights, counts, has_wins, starts)


def _scatter_sum(index: IntArray, values: FloatArray, n_items: int) -> FloatArray:
    """Sum ``values`` per idea in ``index`` (a weighted ``np.bincount``, typed as float)."""
    return np.bincount(index, values, minlength=n_items).astype(np.float64, copy=False)


def _by_winner(games: _Games, values: FloatArray) -> FloatArray:
    """Sum per-game values over each idea's won games (the games are grouped by winner)."""
    totals = np.zeros(games.counts.size)
    if games.starts.size:
        totals[games.has_wins] = np.add.reduceat(values, games.starts)
    return totals


def _won_and_lost(
    games: _Games, pi: FloatArray, pi_loser: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Newman's two sums: ``sum_won pi_j/(pi_i+pi_j)`` and ``sum_lost 1/(pi_i+pi_j)``.

    ``pi_loser`` is a reusable buffer, one entry per game: reusing it spares a page-faulting
    allocation of the biggest array every iteration.
    """
    np.take(pi, games.losers, out=pi_loser, mode="clip")  # indices are validated
    inverse = np.repeat(pi, games.counts)
    inverse += pi_loser
    np.reciprocal(inverse, out=inverse)
    if games.weights is not None:
        inverse *= games.weights
    lost = _scatter_sum(games.losers, inverse, pi.size)
    inverse *= pi_loser
    return _by_winner(games, inverse), lost


def _level_shift(theta: FloatArray, max_steps: int = 50) -> float:
    """Return the shift ``c`` that maximises the posterior along ``theta + c``.

    Votes only see differences, so along the all-ones direction only the prior acts and its
    optimum solves ``sum_i tanh((theta_i + c)/2) = 0``. Plain Newman steps creep along that
    direction (the prior is weak), so we take this exact 1-D step after every update: it
    cut the iterations from ~120 to ~15 on 10^6 votes over 10^4 ideas.
    """
    shift = 0.0
    for _ in range(max_steps):
        slope_terms = np.tanh(0.5 * (theta + shift))
        value = float(slope_terms.sum())
        slope = 0.5 * float((1.0 - slope_terms * slope_terms).sum())
        if slope <= 0.0:  # every idea is far in a tail; no finite level is better
            break
        step = value / slope
        shift -= step
        if abs(step) < 1e-13:
            break
    return shift


def _win_variance(difference: FloatArray) -> FloatArray:
    """``p (1 - p)`` for ``p = sigmoid(difference)``, without overflow for any difference."""
    tail = np.exp(-np.abs(difference))
    return tail / (1.0 + tail) ** 2


def _hessian_diagonal(games: _Games, theta: FloatArray, prior: float) -> FloatArray:
    """Diagonal of the negative log-posterior Hessian: sum of ``w p (1-p)`` plus the prior's."""
    info = _win_variance(np.repeat(theta, games.counts) - theta[games.losers])
    if games.weights is not None:
        info *= games.weights
    diagonal = _scatter_sum(games.losers, info, theta.size) + _by_winner(games, info)
    return diagonal + 2.0 * prior * _win_variance(theta)


def map_bt_pairwise(
    n_items: int,
    left: ArrayLike,
    right: ArrayLike,
    outcome: ArrayLike,
    *,
    prior: float = 1.0,
    theta0: ArrayLike | None = None,
    max_iter: int = 1000,
    tol: float = 1e-8,
) -> BTFit:
    """Fit Bradley-Terry log-strengths by MAP with a virtual-opponent prior.

    ``left``/``right`` are idea indices in ``0..n_items-1`` and ``outcome`` is 1.0 when the
    left idea won, 0.0 when the right one won, 0.5 for "equally good" (half a win each way).
    Skipped pairs must not be passed: they carry no preference.

    ``prior`` is how many games every idea is taken to have won and lost against a virtual
    idea of strength 0 (must be > 0). ``theta0`` warm-starts the iteration, normally with the
    previous fit's ``theta`` (padded with 0 for ideas added since): after a few new votes
    it converges in fewer iterations.
    Iterates until the largest change of any ``theta_i`` is below ``tol``; raises
    ``ConvergenceError`` if that takes more than ``max_iter`` iterations.
    """
    left_idx, right_idx, result = check_votes(n_items, left, right, outcome)
    prior = float(prior)
    if not np.isfinite(prior) or prior <= 0.0:
        raise ValueError(f"prior must be a positive number of virtual games, got {prior!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    if not tol > 0.0:
        raise ValueError(f"tol must be positive, got {tol!r}")
    if theta0 is None:
        theta = np.zeros(n_items)
    else:
        theta = np.array(theta0, dtype=np.float64)
        if theta.shape != (n_items,) or not np.isfinite(theta).all():
            raise ValueError(
                f"theta0 must be {n_items} finite numbers, got shape {theta.shape}"
            )

    games = _games(n_items, left_idx, right_idx, result)
    theta = theta + _level_shift(theta)
    change = np.inf
    step, growing = 1.0, 0
    pi_loser = np.empty(games.losers.size)
    for iteration in range(1, max_iter + 1):
        pi = np.exp(theta)
        won, lost = _won_and_lost(games, pi, pi_loser)
        virtual = prior / (pi + 1.0)
        updated = np.log(won + virtual) - np.log(lost + virtual)
        if step < 1.0:
            updated = theta + step * (updated - theta)
        updated += _level_shift(updated)
        last_change, change = change, float(np.max(np.abs(updated - theta), initial=0.0))
        theta = updated
        growing = growing + 1 if change >= last_change else 0
        if growing == _GROWING_STEPS and step > _MIN_STEP:
            step, growing = 0.5 * step, 0
        if change < tol:
            stderr = 1.0 / np.sqrt(_hessian_diagonal(games, theta, prior))
            centred = theta - theta.mean() if n_items else theta
            return BTFit(theta=centred, stderr=stderr, iterations=iteration)
    raise ConvergenceError(
        f"Bradley-Terry iteration did not converge in {max_iter} iterations "
        f"(last change {change:.3g}, tol {tol:.3g})"
    )
