"""How sure the top K is: each idea's chance to be among the K best, and what is still open.

Staff adopt the top of a ranking, not all of it, so the question they ask is "is this idea
really among the ten best?". ``top_k_probability`` answers it from a fit by sampling
strengths from an approximate posterior, independently per idea, and counting how often
each idea lands in the sampled top K. It is computed once per fit.

The posterior is not the fit's own. The fit's prior (a virtual opponent, in effect a
logistic prior of s.d. 1.8 for ``prior=1``) is deliberately weak, which is right for scores
but leaves thinly voted top ideas too extreme: in simulation (200 ideas, truth N(0, 1),
1,000 uniform votes) ideas given 84% were in the true top 10 only half the time. So the
fit's prior is divided out (Laplace: each idea's likelihood becomes a normal of precision
``1/stderr^2`` minus the prior's curvature) and replaced by a normal prior fitted to the
space's own spread of strengths by maximum marginal likelihood (empirical Bayes). A new
idea with no votes then gets the space's spread, which is what is known about it.

Given the votes, a second pass draws the contenders (the ideas the first, independent
pass found a chance for) jointly, with the Hessian's block between them (the other ideas
held at their means). The fit keeps only the Hessian's
diagonal, which is right when pairs are drawn all over the list, but pairs chosen by the
focus on the top K chain the contenders to their neighbours; independent draws then
ignore how uncertainty adds up along the chain, and in simulation ideas given 97% were
in the true top 10 only 91% of the time (94% drawn jointly).

Only ideas that could plausibly reach the top K are sampled: an idea whose optimistic
strength ``mean + PRUNE_Z * sd`` is below the K-th largest pessimistic strength
``mean - PRUNE_Z * sd`` would need two draws beyond ``PRUNE_Z`` standard deviations to get
in (each has a chance of 0.0013), and is given 0. Of 10^4 ideas with 10^6 votes, about
300 are left to sample.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

from app.ranking.bradley_terry import FloatArray, IntArray, check_pairs

#: Posterior s.d.s beyond which an idea is taken to have no chance of the top K.
PRUNE_Z = 3.0
#: Most contenders drawn jointly (their Cholesky factor and solves cost ~20 ms at this
#: size); with more, in a young space of thousands of ideas, they keep independent draws.
MAX_JOINT = 256
#: Posterior draws per fit: a chance of 0.5 is then known to +/- 0.025 (one s.e.).
SAMPLES = 400
#: Most numbers drawn per fit (~25 ms on a shared 2-core machine): with more contenders
#: than ``_BUDGET / SAMPLES`` (~2,600), fewer draws are made, at least ``_MIN_SAMPLES``.
_BUDGET = 1 << 20
_MIN_SAMPLES = 100
#: Draws are made in blocks of about this many numbers, so memory stays near 2 MB.
_BLOCK_NUMBERS = 1 << 19
#: Bounds on the variance of the space's spread of strengths, in theta units squared.
_SPREAD_RANGE = (0.01, 100.0)
#: Fixed-point iterations for the spread; it moves by less than 1e-6 well before that.
_SPREAD_ITERATIONS = 200
#: Below this likelihood precision an idea tells nothing about the spread (no votes).
_NO_INFORMATION = 1e-9


@dataclass(frozen=True)
class TopKStatus:
    """Which ideas are surely in the top K, surely out, and still open.

    ``open_places`` is how many of the K places the open ideas are competing for: the
    results page reads "3 places are still open between 7 ideas". Index arrays are in
    order of decreasing ``p_top``.
    """

    k: int
    surely_in: IntArray
    surely_out: IntArray
    still_open: IntArray
    open_places: int

    @property
    def settled(self) -> bool:
        """True when no idea is still open: the top K is known at the chosen certainty."""
        return self.still_open.size == 0


def _checked_fit(theta: ArrayLike, stderr: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """``theta``/``stderr`` as float arrays, or ValueError saying what is wrong."""
    values = np.asarray(theta, dtype=np.float64)
    errors = np.asarray(stderr, dtype=np.float64)
    if values.ndim != 1 or errors.shape != values.shape:
        raise ValueError(
            f"theta and stderr must be 1-D and equally long, got shapes "
            f"{values.shape}, {errors.shape}"
        )
    if not (np.isfinite(values).all() and np.isfinite(errors).all() and (errors > 0).all()):
        raise ValueError("theta must be finite and stderr finite and positive")
    return values, errors


def _checked_k(k: int) -> int:
    """The focus size as an int, or ValueError."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return int(k)


def _normal_spread(values: FloatArray, variances: FloatArray) -> tuple[float, float]:
    """Variance and centre of a normal population seen through normal noise of known variances.

    Maximises the marginal likelihood ``prod_i N(values_i; centre, spread + variances_i)``
    by its fixed point ``spread = sum w^2 (r^2 - v) / sum w^2`` (``w = 1 / (spread + v)``,
    ``r`` the residual), which weighs thinly measured ideas down instead of letting their
    wild estimates inflate the spread.
    """
    low, high = _SPREAD_RANGE
    spread = float(np.clip(np.var(values) - np.mean(variances), low, high))
    centre = float(np.mean(values))
    for _ in range(_SPREAD_ITERATIONS):
        weights = 1.0 / (spread + variances)
        centre = float(weights @ values / weights.sum())
        squared = weights * weights
        residual = values - centre
        updated = float(squared @ (residual * residual - variances) / squared.sum())
        updated = min(max(updated, low), high)
        if abs(updated - spread) < 1e-6 * spread:
            return updated, centre
        spread = updated
    return spread, centre


@dataclass(frozen=True)
class _Posterior:
    """The space's posterior, with what drawing contenders jointly needs."""

    mean: FloatArray
    sd: FloatArray
    precision: FloatArray  # each idea's likelihood precision (the fit's prior divided out)
    pull: FloatArray  # the likelihood's slope at theta: what the fit's prior balanced
    spread: float | None  # variance of the space's normal prior; None if not fitted
    centre: float


def _posterior(theta: FloatArray, stderr: FloatArray, prior: float) -> _Posterior:
    """See ``space_posterior``."""
    half = np.tanh(0.5 * theta)
    pull = prior * half
    precision = np.maximum(1.0 / (stderr * stderr) - 0.5 * prior * (1.0 - half * half), 0.0)
    informed = precision > _NO_INFORMATION
    if np.count_nonzero(informed) < 3:
        return _Posterior(theta, stderr, precision, pull, None, 0.0)
    spread, centre = _normal_spread(
        theta[informed] + pull[informed] / precision[informed], 1.0 / precision[informed]
    )
    posterior_precision = precision + 1.0 / spread
    mean = (precision * theta + pull + centre / spread) / posterior_precision
    return _Posterior(mean, 1.0 / np.sqrt(posterior_precision), precision, pull, spread,
                      centre)


def space_posterior(
    theta: FloatArray, stderr: FloatArray, prior: float
) -> tuple[FloatArray, FloatArray]:
    """Posterior mean and s.d. of each strength under the space's fitted normal prior.

    See the module docstring. ``prior`` must be the one the fit used. The likelihood of
    idea ``i`` is approximated by a normal of precision ``h_i = 1/stderr_i^2 - c_i``, with
    ``c_i`` the fit prior's curvature at ``theta_i`` (as in the fit's Hessian), centred at
    ``theta_i + g_i / h_i``, with ``g_i = prior * tanh(theta_i / 2)`` the pull the fit's
    prior had to balance. Returns the fit unchanged when fewer than three ideas have votes.
    """
    posterior = _posterior(theta, stderr, prior)
    return posterior.mean, posterior.sd


def _joint_draws(
    theta: FloatArray, posterior: _Posterior, candidates: IntArray, left: IntArray,
    right: IntArray, samples: int, rng: np.random.Generator,
) -> FloatArray:
    """``samples`` joint draws of the candidates' strengths (rows), the others held fixed.

    The precision is the Hessian's block over the candidates: each idea's likelihood
    precision plus the space's prior on the diagonal, ``-sum p (1 - p)`` over the votes
    between two candidates off it. The mean is the optimum of the same quadratic, given
    the other ideas at their (independent) posterior means.
    """
    assert posterior.spread is not None
    size = candidates.size
    position = np.full(theta.size, -1, dtype=np.intp)
    position[candidates] = np.arange(size)
    touching = (position[left] >= 0) | (position[right] >= 0)
    left, right = left[touching], right[touching]
    a, b = position[left], position[right]
    win = 1.0 / (1.0 + np.exp(theta[right] - theta[left]))
    information = win * (1.0 - win)
    both = (a >= 0) & (b >= 0)
    precision = np.bincount(a[both] * size + b[both], information[both],
                            minlength=size * size).reshape(size, size)
    precision = -(precision + precision.T)
    precision[np.diag_indices(size)] = posterior.precision[candidates] + 1.0 / posterior.spread
    # Votes against the others pull toward where those others now stand.
    one = (a >= 0) != (b >= 0)
    inner = np.where(a[one] >= 0, a[one], b[one])
    other = np.where(a[one] >= 0, right[one], left[one])
    shift = posterior.mean[other] - theta[other]
    pull = (posterior.pull[candidates]
            + (posterior.centre - theta[candidates]) / posterior.spread
            + np.bincount(inner, information[one] * shift, minlength=size))
    factor = _cholesky(precision)
    mean = theta[candidates] + _solve_upper(factor, _solve_lower(factor, pull))
    noise = _solve_upper(factor, rng.standard_normal((size, samples)))
    return (mean[:, None] + noise).T


# numpy.linalg hands factorisations and solves to OpenBLAS, whose threads stall on a machine
# busier than its cores (a web server's): a 100 x 100 Cholesky factor took 80 ms there
# against 0.3 ms on one thread. Up to MAX_JOINT, a factor made column by column with einsum
# (which does not call BLAS) and solves made of vector-matrix products take a few ms.


def _cholesky(matrix: FloatArray) -> FloatArray:
    """Lower Cholesky factor of a symmetric positive definite matrix, column by column."""
    size = matrix.shape[0]
    factor = np.zeros_like(matrix)
    for j in range(size):
        row = factor[j, :j]
        pivot = np.sqrt(matrix[j, j] - np.einsum("k,k->", row, row))
        factor[j, j] = pivot
        factor[j + 1:, j] = (matrix[j + 1:, j]
                             - np.einsum("ik,k->i", factor[j + 1:, :j], row)) / pivot
    return factor


def _solve_lower(factor: FloatArray, rhs: FloatArray) -> FloatArray:
    """``x`` with ``factor @ x = rhs`` (``factor`` lower triangular), by forward steps."""
    x = np.array(rhs, dtype=np.float64)
    for j in range(factor.shape[0]):
        x[j] = (x[j] - factor[j, :j] @ x[:j]) / factor[j, j]
    return x


def _solve_upper(factor: FloatArray, rhs: FloatArray) -> FloatArray:
    """``x`` with ``factor.T @ x = rhs`` (``factor`` lower triangular), by backward steps."""
    x = np.array(rhs, dtype=np.float64)
    for j in range(factor.shape[0] - 1, -1, -1):
        x[j] = (x[j] - factor[j + 1:, j] @ x[j + 1:]) / factor[j, j]
    return x


def top_k_candidates(mean: FloatArray, sd: FloatArray, k: int) -> IntArray:
    """Ideas with a chance of the top K (see the module docstring), in index order."""
    n_items = mean.size
    if k >= n_items:
        return np.arange(n_items)
    pessimistic = mean - PRUNE_Z * sd
    kth_pessimistic = np.partition(pessimistic, n_items - k)[n_items - k]
    return np.flatnonzero(mean + PRUNE_Z * sd >= kth_pessimistic)


def _count_top(draws: np.ndarray, k: int) -> NDArray[np.int64]:
    """How often each column (idea) is among the ``k`` largest of its row (draw)."""
    size = draws.shape[1]
    kth = np.partition(draws, size - k, axis=1)[:, size - k, None]
    return np.count_nonzero(draws >= kth, axis=0)


def top_k_probability(
    theta: ArrayLike,
    stderr: ArrayLike,
    k: int,
    rng: np.random.Generator,
    *,
    left: ArrayLike | None = None,
    right: ArrayLike | None = None,
    prior: float = 1.0,
    samples: int = SAMPLES,
) -> FloatArray:
    """Chance of each idea to be among the ``k`` strongest, given the votes so far.

    ``theta``/``stderr`` are a fit's (``BTFit``, fitted with this ``prior``), ideas added
    since with theta 0 and the prior-only stderr. ``left``/``right`` are the fitted votes'
    ideas, as passed to ``map_bt_pairwise`` (the outcomes do not matter): pass them, so that
    up to ``MAX_JOINT`` contenders are then drawn jointly (see the module docstring);
    without them every idea is drawn on its own. Strengths are drawn ``samples`` times from the
    space's posterior; independent draws are made in float32, which is ample for counting,
    and fewer than ``samples`` when more than ~2,600 ideas are contenders (see
    ``_BUDGET``): a young space with thousands of ideas and few votes, where every chance
    is small anyway. Deterministic for a given generator state; with ``k >= n`` every
    chance is 1.
    """
    values, errors = _checked_fit(theta, stderr)
    k = _checked_k(k)
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples!r}")
    if not (np.isfinite(prior) and prior > 0.0):
        raise ValueError(f"prior must be a positive number of virtual games, got {prior!r}")
    n_items = values.size
    votes = None
    if left is not None or right is not None:
        votes = check_pairs(n_items, () if left is None else left, () if right is None else right)
    if k >= n_items:
        return np.ones(n_items)
    posterior = _posterior(values, errors, float(prior))
    candidates = top_k_candidates(posterior.mean, posterior.sd, k)
    p_top = np.zeros(n_items)
    p_top[candidates] = _independent_chances(posterior, candidates, k, samples, rng)
    contenders = np.flatnonzero(p_top)
    if votes is not None and posterior.spread is not None and k < contenders.size <= MAX_JOINT:
        # Second pass over the ideas the first one found a chance for: jointly.
        draws = _joint_draws(values, posterior, contenders, *votes, samples, rng)
        p_top[contenders] = _count_top(draws, k) / samples
    return p_top


def _independent_chances(
    posterior: _Posterior, candidates: IntArray, k: int, samples: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Top-K chances of the candidates, each drawn on its own, in float32 blocks."""
    size = candidates.size
    samples = min(samples, max(_MIN_SAMPLES, _BUDGET // size))
    centre = posterior.mean[candidates].astype(np.float32)
    spread = posterior.sd[candidates].astype(np.float32)
    hits = np.zeros(size, dtype=np.int64)
    rows = max(1, _BLOCK_NUMBERS // size)
    for start in range(0, samples, rows):
        draws = rng.standard_normal((min(rows, samples - start), size), dtype=np.float32)
        draws *= spread
        draws += centre
        hits += _count_top(draws, k)
    return hits / samples


def classify_top_k(p_top: ArrayLike, k: int, *, sure: float = 0.95) -> TopKStatus:
    """Split the ideas into surely in (``p_top >= sure``), surely out (``<= 1 - sure``), open.

    ``sure`` is the certainty staff read as "surely"; the open places are the K places not
    taken by the surely-in ideas (never more than there are open ideas).
    """
    chances = np.asarray(p_top, dtype=np.float64)
    k = _checked_k(k)
    if chances.ndim != 1 or not ((chances >= 0.0) & (chances <= 1.0)).all():
        raise ValueError("p_top must be a 1-D array of chances between 0 and 1")
    if not 0.5 < sure < 1.0:
        raise ValueError(f"sure must be between 0.5 and 1, got {sure!r}")
    order = np.argsort(-chances, kind="stable")
    ranked = chances[order]
    surely_in = order[ranked >= sure]
    surely_out = order[ranked <= 1.0 - sure]
    still_open = order[(ranked > 1.0 - sure) & (ranked < sure)]
    places = min(max(min(k, chances.size) - surely_in.size, 0), still_open.size)
    return TopKStatus(k, surely_in, surely_out, still_open, places)


def votes_to_settle(
    theta: ArrayLike,
    stderr: ArrayLike,
    status: TopKStatus,
    votes: int,
    *,
    sure: float = 0.95,
    resolution: float = 0.1,
) -> int | None:
    """Rough number of further votes until no idea is open, if votes keep coming as so far.

    Each open idea is set against its rival across the boundary of the top K: the K+1-th
    strongest idea for one ranked inside, the K-th for one ranked outside. The pair is
    settled once their gap ``d`` is ``z`` standard errors of the difference (``z`` the
    one-sided normal quantile of ``sure``). Information, ``1 / stderr^2``, has grown with
    the ``votes`` so far and is assumed to keep growing at that pace, so the pair needs
    ``votes * (z^2 (se_i^2 + se_rival^2) / d^2 - 1)`` more. Gaps under ``resolution`` (in
    theta: 0.1 is a 52.5% / 47.5% pair) count as that gap, or one near-tie would make the
    estimate infinite. The slowest pair sets the answer, at least 1 while any idea is open.
    ``None`` before any vote (no pace to extrapolate); 0 when nothing is open.
    """
    values, errors = _checked_fit(theta, stderr)
    if status.settled:
        return 0
    if votes <= 0:
        return None
    if not resolution > 0.0:
        raise ValueError(f"resolution must be positive, got {resolution!r}")
    if values.size <= status.k:
        raise ValueError(f"status is for the top {status.k} of more than {values.size} ideas")
    order = np.argsort(-values, kind="stable")
    last_in, first_out = order[status.k - 1], order[status.k]
    rank = np.empty(values.size, dtype=np.intp)
    rank[order] = np.arange(values.size)
    open_ideas = status.still_open
    rival = np.where(rank[open_ideas] < status.k, first_out, last_in)
    gap = np.maximum(np.abs(values[open_ideas] - values[rival]), resolution)
    z = NormalDist().inv_cdf(sure)
    growth = z * z * (errors[open_ideas] ** 2 + errors[rival] ** 2) / gap ** 2
    return max(int(np.ceil(votes * (float(growth.max()) - 1.0))), 1)
