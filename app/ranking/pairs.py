"""Which two ideas to show a voter next.

Most draws aim at information: the first idea is drawn with probability proportional to
its posterior variance (uncertain ideas need votes), its partner is the best of a few
candidates by ``p (1 - p) (se_i^2 + se_j^2)``, which ranks pairs exactly like the Laplace
approximation of the mutual information ``1/2 log(1 + p (1-p) var(theta_i - theta_j))``
between the vote and the strengths. A share ``explore`` of draws is a uniform random pair,
so no pair is starved by a wrong early estimate, and ideas shown far less than the median
(new ideas) take a share ``catch_up`` of the first picks until they have caught up.

Scoring all n^2 pairs per request is out of the question at 10^4 ideas, so everything
that depends only on the fit lives in a ``PairChooser`` built once per refit, and a
request only samples a handful of candidates from it (~30 microseconds).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from math import ceil
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from app.ranking.bradley_terry import FloatArray, IntArray

Pair = tuple[int, int]
Mode = Literal["explore", "catch_up", "information", "fallback"]

#: Sampling rounds before falling back to the exhaustive search for an unanswered pair.
_MAX_ROUNDS = 8


class NoPairAvailable(LookupError):
    """The voter has already answered every pair of ideas (or there are fewer than two)."""


@dataclass(frozen=True)
class PairDraw:
    """A chosen pair in display order, and which rule chose it (for tests and analytics)."""

    left: int
    right: int
    mode: Mode


@dataclass(frozen=True)
class PairChooser:
    """Per-fit tables for fast pair choice; build with ``make_pair_chooser``."""

    theta: FloatArray
    variance: FloatArray  # stderr ** 2
    by_rank: IntArray  # ideas sorted by theta
    rank: IntArray  # position of each idea in ``by_rank``
    first_cdf: FloatArray  # cumulative first-pick probabilities, last entry exactly 1
    lagging: NDArray[np.bool_]  # shown far less than the median idea
    explore: float
    window: int  # half-width, in ranks, of the neighbourhood searched for partners
    n_candidates: int

    @property
    def n_items(self) -> int:
        """Number of ideas the chooser knows."""
        return int(self.theta.size)

    def choose(self, answered: Collection[Pair], rng: np.random.Generator) -> Pair:
        """Return the next pair ``(left, right)`` in display order; see ``draw``."""
        drawn = self.draw(answered, rng)
        return drawn.left, drawn.right

    def draw(self, answered: Collection[Pair], rng: np.random.Generator) -> PairDraw:
        """Draw a pair this voter has not answered, in random display order.

        ``answered`` holds the voter's answered pairs as ``(min, max)`` tuples (the other
        orientation is also recognised). Raises ``NoPairAvailable`` when none is left.
        Deterministic for a given generator state.
        """
        n_items = self.n_items
        if n_items < 2:
            raise NoPairAvailable(f"need at least two ideas to form a pair, have {n_items}")
        if len(answered) < n_items * (n_items - 1) // 2:
            for _ in range(_MAX_ROUNDS):
                found = self._sample(answered, rng)
                if found is not None:
                    return self._display(found[0], found[1], found[2], rng)
        first, second = self._exhaustive(answered, rng)
        return self._display(first, second, "fallback", rng)

    def _sample(
        self, answered: Collection[Pair], rng: np.random.Generator
    ) -> tuple[int, int, Mode] | None:
        """One round: an exploration pair or an informative pair, or None if all answered."""
        n_items = self.n_items
        if rng.random() < self.explore:
            first = int(rng.integers(n_items))
            second = int(rng.integers(n_items - 1))
            second += second >= first
            return None if _is_answered(answered, first, second) else (first, second, "explore")
        first = self._pick_first(rng.random())
        partner = self._best_partner(first, answered, rng)
        if partner is None:
            return None
        return first, partner, "catch_up" if self.lagging[first] else "information"

    def _pick_first(self, u: float) -> int:
        """Map a uniform number to an idea through the first-pick distribution."""
        return min(int(np.searchsorted(self.first_cdf, u, side="right")), self.n_items - 1)

    def _best_partner(
        self, first: int, answered: Collection[Pair], rng: np.random.Generator
    ) -> int | None:
        """Most informative unanswered partner among near-in-rank and uncertain candidates.

        Neighbours in rank give ``p`` near 1/2 (the votes that order the list); candidates
        drawn like first picks add uncertain ideas from anywhere on the scale.
        """
        n_items, k = self.n_items, self.n_candidates
        near = self.rank[first] + rng.integers(-self.window, self.window + 1, size=k)
        near = self.by_rank[np.clip(near, 0, n_items - 1)]
        wide = np.searchsorted(self.first_cdf, rng.random(k), side="right")
        candidates = np.concatenate([near, np.minimum(wide, n_items - 1)])
        p_win = 1.0 / (1.0 + np.exp(self.theta[candidates] - self.theta[first]))
        gain = p_win * (1.0 - p_win) * (self.variance[candidates] + self.variance[first])
        gain[candidates == first] = -1.0
        for index in np.argsort(-gain, kind="stable").tolist():
            if gain[index] < 0.0:
                break
            second = int(candidates[index])
            if not _is_answered(answered, first, second):
                return second
        return None

    def _exhaustive(self, answered: Collection[Pair], rng: np.random.Generator) -> Pair:
        """Find an unanswered pair by counting, for voters who answered nearly everything.

        O(|answered| + n): ideas with fewer than ``n - 1`` answered partners still have
        one, so pick the most uncertain such idea and its most informative free partner.
        """
        n_items = self.n_items
        pairs = _canonical_pairs(answered, n_items)
        degree = np.zeros(n_items, dtype=np.intp)
        for a, b in pairs:
            degree[a] += 1
            degree[b] += 1
        open_ideas = np.flatnonzero(degree < n_items - 1)
        if open_ideas.size == 0:
            raise NoPairAvailable(
                f"the voter has answered all {n_items * (n_items - 1) // 2} pairs"
            )
        first = int(open_ideas[rng.integers(open_ideas.size)])
        free = np.ones(n_items, dtype=bool)
        free[first] = False
        for a, b in pairs:
            if a == first:
                free[b] = False
            elif b == first:
                free[a] = False
        partners = np.flatnonzero(free)
        p_win = 1.0 / (1.0 + np.exp(self.theta[partners] - self.theta[first]))
        gain = p_win * (1.0 - p_win) * (self.variance[partners] + self.variance[first])
        return first, int(partners[int(np.argmax(gain))])

    def _display(self, first: int, second: int, mode: Mode, rng: np.random.Generator) -> PairDraw:
        """Put the pair in random left/right order so position bias cannot favour a rule."""
        if rng.random() < 0.5:
            first, second = second, first
        return PairDraw(first, second, mode)


def _is_answered(answered: Collection[Pair], a: int, b: int) -> bool:
    """Whether the voter answered the pair, whichever way round it was stored."""
    return (a, b) in answered or (b, a) in answered


def _canonical_pairs(answered: Collection[Pair], n_items: int) -> set[Pair]:
    """Answered pairs as ``(min, max)``, dropping ones about ideas outside ``0..n-1``."""
    pairs = set()
    for a, b in answered:
        low, high = (int(a), int(b)) if a < b else (int(b), int(a))
        if 0 <= low < high < n_items:
            pairs.add((low, high))
    return pairs


def make_pair_chooser(
    theta: ArrayLike,
    stderr: ArrayLike,
    appearances: ArrayLike,
    *,
    explore: float = 0.2,
    catch_up: float = 0.5,
    lag_ratio: float = 0.5,
    n_candidates: int = 8,
    neighbourhood: float = 0.05,
) -> PairChooser:
    """Build the per-fit tables for ``PairChooser.choose`` (O(n log n), once per refit).

    ``theta``/``stderr`` come from the fit; ``appearances`` counts every showing, skips
    included. Ideas shown fewer than ``lag_ratio`` times the median count are *lagging* (a
    new idea): together they receive a share ``catch_up`` of the non-exploration first
    picks, the neediest most, until they catch up. ``n_candidates`` partners are drawn
    within ``neighbourhood`` (a fraction of the ideas) in rank, and as many by uncertainty.
    Ideas added after the fit should be passed with theta 0 and the prior-only stderr.
    """
    values = np.asarray(theta, dtype=np.float64)
    errors = np.asarray(stderr, dtype=np.float64)
    shown = np.asarray(appearances)
    n_items = values.size
    if values.ndim != 1 or errors.shape != values.shape or shown.shape != values.shape:
        raise ValueError(
            f"theta, stderr and appearances must be 1-D and equally long, got shapes "
            f"{values.shape}, {errors.shape}, {shown.shape}"
        )
    if not (np.isfinite(values).all() and np.isfinite(errors).all() and (errors > 0).all()):
        raise ValueError("theta must be finite and stderr finite and positive")
    if shown.size and (not np.issubdtype(shown.dtype, np.integer) or shown.min() < 0):
        raise ValueError("appearances must be non-negative integers")
    for name, share in (("explore", explore), ("catch_up", catch_up)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name} must be a share between 0 and 1, got {share!r}")
    if lag_ratio < 0.0 or n_candidates < 1 or not 0.0 <= neighbourhood <= 1.0:
        raise ValueError("lag_ratio must be >= 0, n_candidates >= 1, neighbourhood in 0..1")

    variance = errors * errors
    weights = variance / variance.sum() if n_items else variance
    lagging = np.zeros(n_items, dtype=bool)
    if n_items:
        median = float(np.median(shown))
        lagging = shown < lag_ratio * median
        if lagging.any():
            deficit = np.where(lagging, median - shown, 0.0)
            weights = (1.0 - catch_up) * weights + catch_up * deficit / deficit.sum()
    first_cdf = np.cumsum(weights)
    if n_items:
        first_cdf /= first_cdf[-1]
        first_cdf[-1] = 1.0
    by_rank = np.argsort(values, kind="stable")
    rank = np.empty(n_items, dtype=np.intp)
    rank[by_rank] = np.arange(n_items)
    return PairChooser(
        theta=values,
        variance=variance,
        by_rank=by_rank,
        rank=rank,
        first_cdf=first_cdf,
        lagging=lagging,
        explore=float(explore),
        window=max(1, ceil(neighbourhood * n_items)),
        n_candidates=int(n_candidates),
    )


def choose_pair(
    theta: ArrayLike,
    stderr: ArrayLike,
    appearances: ArrayLike,
    answered: Collection[Pair],
    rng: np.random.Generator,
    *,
    explore: float = 0.2,
    catch_up: float = 0.5,
) -> Pair:
    """One-off pair choice: builds a chooser and draws once (O(n log n)).

    For a stream of requests, build ``make_pair_chooser`` once per refit and call its
    ``choose`` instead. Returns ``(left, right)`` in display order; the voter's answered
    key for it is ``(min, max)``. Raises ``NoPairAvailable`` when every pair is answered.
    """
    chooser = make_pair_chooser(theta, stderr, appearances, explore=explore, catch_up=catch_up)
    return chooser.choose(answered, rng)

