"""Which two ideas to show a voter next.

Staff adopt the top K ideas, residents read the whole list, and new ideas need votes
before either can place them. Each draw is one of these kinds:

- **focus**: a pair across the boundary of the top K. Strengths of the *contenders* (ideas
  whose chance of the top K is neither near 0 nor near 1) are drawn from the posterior, and
  the last idea inside the drawn top K meets the first one outside it (Thompson sampling
  on the question "who is in the top K?"). Only drawn while some idea is still open.
- **information**: the first idea is drawn with probability proportional to its posterior
  variance, its partner is the best of a few candidates by ``p (1 - p) (se_i^2 + se_j^2)``,
  which ranks pairs like the Laplace approximation of the mutual information
  ``1/2 log(1 + p (1-p) var(theta_i - theta_j))`` between the vote and the strengths:
  these votes order the whole list.
- **catch-up**: an information draw whose first idea is *lagging* (shown far less than the
  median: a new idea). Lagging ideas take a share ``catch_up`` of the first picks, the
  neediest most, until they have caught up.
- **explore**: a uniform random pair, so no pair is starved by a wrong early estimate.

A new idea in nearly every pair floods voters with whatever was just submitted, junk
included, so every rule obeys a cap per voter: a lagging idea is in at most a share
``new_idea_cap`` (one in four) of each voter's pairs, ``ceil(cap * t)`` of any voter's first
``t``. The cap is per idea: with many new ideas at once (a quarter of them in one of the
simulations) a cap on all of them together would starve them of votes. All Our Ideas
throttles its catch-up likewise (no pair weighs more than 0.05, however few votes it has).

The shares were chosen by measurement (``benchmarks/README.md``): focus and exploration
take a tenth of the draws each, the rest are information (and catch-up) draws.

Scoring all n^2 pairs per request is out of the question at 10^4 ideas, so everything
that depends only on the fit lives in a ``PairChooser`` built once per refit, and a
request only samples a handful of candidates from it (tens of microseconds).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from math import ceil
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from app.ranking.bradley_terry import FloatArray, IntArray
from app.ranking.topk import top_k_probability

Pair = tuple[int, int]
Mode = Literal["explore", "catch_up", "information", "focus", "fallback"]

#: Sampling rounds before falling back to the exhaustive search for an unanswered pair.
_MAX_ROUNDS = 8
#: A chance of the top K within this distance of 0 or 1 counts as settled for focus draws.
_SETTLED = 0.01
#: Most contenders kept for focus draws (the most open ones): bounds a draw's cost.
_MAX_CONTENDERS = 64
#: Pairs tried per focus draw, nearest the drawn boundary first.
_BOUNDARY_DEPTH = 4
#: First picks redrawn per round when they hit a new idea the voter has seen enough of.
_FIRST_PICK_TRIES = 4
#: Seed of the top-K chances a chooser computes for itself when none are passed in: the
#: same fit then always gives the same chooser.
FOCUS_SEED = 19


class NoPairAvailable(LookupError):
    """The voter has already answered every pair of ideas (or there are fewer than two)."""


@dataclass(frozen=True)
class PairDraw:
    """A chosen pair in display order, and which rule chose it (for tests and analytics)."""

    left: int
    right: int
    mode: Mode


@dataclass(frozen=True)
class _Focus:
    """Per-fit tables of the focus draws (see the module docstring)."""

    contenders: IntArray  # open ideas, at most _MAX_CONTENDERS
    mean: FloatArray  # their theta
    sd: FloatArray  # their stderr
    places: float  # expected number of top-K places the contenders hold: sum of p_top
    anchor_in: int  # weakest idea surely in the top K, or -1
    anchor_out: int  # strongest idea surely out of it, or -1


@dataclass(frozen=True)
class PairChooser:
    """Per-fit tables for fast pair choice; build with ``make_pair_chooser``."""

    theta: FloatArray
    variance: FloatArray  # stderr ** 2
    by_rank: IntArray  # ideas sorted by theta
    rank: IntArray  # position of each idea in ``by_rank``
    first_cdf: FloatArray  # cumulative first-pick probabilities, last entry exactly 1
    lagging: NDArray[np.bool_]  # shown far less than the median idea
    any_lagging: bool
    focus_tables: _Focus | None  # None when no idea is open or focus is off
    explore: float
    focus: float
    new_idea_cap: float
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

        ``answered`` holds the voter's answered pairs (and pairs in flight) as ``(min, max)``
        tuples (the other orientation is also recognised); it also sets which new ideas the
        voter has seen enough of. Raises ``NoPairAvailable`` when none is left. Only the
        last resort, for a voter who answered nearly every pair, may break the new-idea
        cap, and only when no other pair is left. Deterministic for a given generator state.
        """
        n_items = self.n_items
        if n_items < 2:
            raise NoPairAvailable(f"need at least two ideas to form a pair, have {n_items}")
        blocked = self._capped_new_ideas(answered)
        if len(answered) < n_items * (n_items - 1) // 2:
            for _ in range(_MAX_ROUNDS):
                found = self._sample(answered, rng, blocked)
                if found is not None:
                    return self._display(found[0], found[1], found[2], rng)
        first, second = self._exhaustive(answered, rng, blocked)
        return self._display(first, second, "fallback", rng)

    def _capped_new_ideas(self, answered: Collection[Pair]) -> frozenset[int]:
        """New ideas that would pass the share ``new_idea_cap`` of this voter's pairs."""
        if not self.any_lagging:
            return frozenset()
        n_items, lagging = self.n_items, self.lagging
        shown = 0
        seen: dict[int, int] = {}
        for a, b in answered:
            if 0 <= a < n_items and 0 <= b < n_items:
                shown += 1
                for idea in (int(a), int(b)):
                    if lagging[idea]:
                        seen[idea] = seen.get(idea, 0) + 1
        limit = self.new_idea_cap * (shown + 1)
        return frozenset(idea for idea, count in seen.items() if count >= limit)

    def _sample(
        self, answered: Collection[Pair], rng: np.random.Generator, blocked: frozenset[int]
    ) -> tuple[int, int, Mode] | None:
        """One round: a pair of one of the kinds, or None if it was answered or capped."""
        u = rng.random()
        if u < self.explore:
            return self._explore(answered, rng, blocked)
        if u < self.explore + self.focus and self.focus_tables is not None:
            return self._boundary_pair(self.focus_tables, answered, rng)
        first = self._pick_first(rng, blocked)
        if first is None:
            return None
        partner = self._best_partner(first, answered, rng, blocked)
        if partner is None:
            return None
        return first, partner, "catch_up" if self.lagging[first] else "information"

    def _pick_first(self, rng: np.random.Generator, blocked: frozenset[int]) -> int | None:
        """A first pick through ``first_cdf``, redrawn a few times if it hit a capped idea."""
        for _ in range(_FIRST_PICK_TRIES):
            first = _pick(self.first_cdf, rng.random())
            if first not in blocked:
                return first
        return None

    def _explore(
        self, answered: Collection[Pair], rng: np.random.Generator, blocked: frozenset[int]
    ) -> tuple[int, int, Mode] | None:
        """A uniform random pair."""
        n_items = self.n_items
        first = int(rng.integers(n_items))
        second = int(rng.integers(n_items - 1))
        second += second >= first
        if first in blocked or second in blocked or _is_answered(answered, first, second):
            return None
        return first, second, "explore"

    def _boundary_pair(
        self, focus: _Focus, answered: Collection[Pair], rng: np.random.Generator
    ) -> tuple[int, int, Mode] | None:
        """The last idea in and the first out of a posterior draw of the top K."""
        drawn = focus.mean + focus.sd * rng.standard_normal(focus.contenders.size)
        order = focus.contenders[np.argsort(-drawn)]
        places = int(focus.places + rng.random())  # rounds to the expected places on average
        inside = order[:places][::-1].tolist() or [focus.anchor_in]
        outside = order[places:].tolist() or [focus.anchor_out]
        for depth in range(_BOUNDARY_DEPTH):
            for step in range(depth + 1):
                if step < len(inside) and depth - step < len(outside):
                    a, b = inside[step], outside[depth - step]
                    if a >= 0 and b >= 0 and not _is_answered(answered, a, b):
                        return a, b, "focus"
        return None

    def _best_partner(
        self, first: int, answered: Collection[Pair], rng: np.random.Generator,
        blocked: frozenset[int],
    ) -> int | None:
        """Most informative unanswered partner among near and uncertain ideas.

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
            if second not in blocked and not _is_answered(answered, first, second):
                return second
        return None

    def _exhaustive(
        self, answered: Collection[Pair], rng: np.random.Generator, blocked: frozenset[int]
    ) -> Pair:
        """Find an unanswered pair by counting, for voters who answered nearly everything.

        O(|answered| + n): ideas with fewer than ``n - 1`` answered partners still have
        one, so pick such an idea at random and its most informative free partner,
        leaving capped new ideas out while any other pair is left.
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
        capped = np.zeros(n_items, dtype=bool)
        capped[list(blocked)] = True
        if not capped[open_ideas].all():
            open_ideas = open_ideas[~capped[open_ideas]]
        first = int(open_ideas[rng.integers(open_ideas.size)])
        free = np.ones(n_items, dtype=bool)
        free[first] = False
        for a, b in pairs:
            if a == first:
                free[b] = False
            elif b == first:
                free[a] = False
        if (free & ~capped).any():
            free &= ~capped
        partners = np.flatnonzero(free)
        p_win = 1.0 / (1.0 + np.exp(self.theta[partners] - self.theta[first]))
        gain = p_win * (1.0 - p_win) * (self.variance[partners] + self.variance[first])
        return first, int(partners[int(np.argmax(gain))])

    def _display(self, first: int, second: int, mode: Mode, rng: np.random.Generator) -> PairDraw:
        """Put the pair in random left/right order so position bias cannot favour a rule."""
        if rng.random() < 0.5:
            first, second = second, first
        return PairDraw(first, second, mode)


def _pick(cdf: FloatArray, u: float) -> int:
    """Map a uniform number to an idea through a cumulative distribution."""
    return min(int(np.searchsorted(cdf, u, side="right")), cdf.size - 1)


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


def _cdf(weights: FloatArray) -> FloatArray:
    """Cumulative distribution of non-negative weights, last entry exactly 1 (if any)."""
    cdf = np.cumsum(weights)
    if cdf.size and cdf[-1] > 0.0:
        cdf /= cdf[-1]
        cdf[-1] = 1.0
    return cdf


def _focus_tables(
    theta: FloatArray, stderr: FloatArray, p_top: FloatArray, lagging: NDArray[np.bool_]
) -> _Focus | None:
    """The contenders for the top K among established ideas, or None if none is open."""
    is_open = (p_top > _SETTLED) & (p_top < 1.0 - _SETTLED) & ~lagging
    contenders = np.flatnonzero(is_open)
    if contenders.size == 0:
        return None
    if contenders.size > _MAX_CONTENDERS:
        openness = p_top[contenders] * (1.0 - p_top[contenders])
        contenders = np.sort(contenders[np.argsort(-openness, kind="stable")[:_MAX_CONTENDERS]])
    surely_in = np.flatnonzero((p_top >= 1.0 - _SETTLED) & ~lagging)
    surely_out = np.flatnonzero((p_top <= _SETTLED) & ~lagging)
    anchor_in = int(surely_in[np.argmin(theta[surely_in])]) if surely_in.size else -1
    anchor_out = int(surely_out[np.argmax(theta[surely_out])]) if surely_out.size else -1
    return _Focus(contenders, theta[contenders], stderr[contenders],
                  float(p_top[contenders].sum()), anchor_in, anchor_out)


def _checked_chances(p_top: ArrayLike, n_items: int) -> FloatArray:
    """``p_top`` as floats in 0..1, one per idea, or ValueError."""
    chances = np.asarray(p_top, dtype=np.float64)
    if chances.shape != (n_items,) or not ((chances >= 0.0) & (chances <= 1.0)).all():
        raise ValueError(f"p_top must hold {n_items} chances between 0 and 1")
    return chances


def make_pair_chooser(
    theta: ArrayLike,
    stderr: ArrayLike,
    appearances: ArrayLike,
    *,
    focus_k: int = 10,
    p_top: ArrayLike | None = None,
    focus: float = 0.1,
    explore: float = 0.1,
    catch_up: float = 0.5,
    new_idea_cap: float = 0.25,
    lag_ratio: float = 0.5,
    n_candidates: int = 8,
    neighbourhood: float = 0.05,
    prior: float = 1.0,
) -> PairChooser:
    """Build the per-fit tables for ``PairChooser.choose`` (O(n log n), once per refit).

    ``theta``/``stderr`` come from the fit (fitted with ``prior``); ``appearances`` counts
    every showing, skips included. ``focus_k`` is how many ideas the city expects to adopt:
    a share ``focus`` of the draws is spent on the boundary of that top K, using ``p_top``,
    the chances ``top_k_probability(theta, stderr, focus_k, ...)`` of the same fit
    (computed here, with a fixed seed, when not given: pass the ones the results page
    shows to compute them once). A share ``explore`` is uniform random pairs, the rest
    information draws. Ideas shown fewer than ``lag_ratio`` times the median count are
    *lagging* (new): they take a share ``catch_up`` of the first picks, and each is in at
    most a share ``new_idea_cap`` of any voter's pairs. ``n_candidates`` partners are drawn
    within ``neighbourhood`` (a fraction of the ideas) in rank, and as many by
    uncertainty. Ideas added after the fit should be passed with theta 0 and the
    prior-only stderr.
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
    for name, share in (("focus", focus), ("explore", explore), ("catch_up", catch_up),
                        ("new_idea_cap", new_idea_cap)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name} must be a share between 0 and 1, got {share!r}")
    if focus + explore > 1.0:
        raise ValueError(f"focus + explore must be at most 1, got {focus + explore!r}")
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
    focus_tables = None
    if focus > 0.0 and n_items:
        if p_top is None:
            p_top = top_k_probability(values, errors, focus_k,
                                      np.random.default_rng(FOCUS_SEED), prior=prior)
        focus_tables = _focus_tables(values, errors, _checked_chances(p_top, n_items), lagging)
    by_rank = np.argsort(values, kind="stable")
    rank = np.empty(n_items, dtype=np.intp)
    rank[by_rank] = np.arange(n_items)
    return PairChooser(
        theta=values,
        variance=variance,
        by_rank=by_rank,
        rank=rank,
        first_cdf=_cdf(weights),
        lagging=lagging,
        any_lagging=bool(lagging.any()),
        focus_tables=focus_tables,
        explore=float(explore),
        focus=float(focus),
        new_idea_cap=float(new_idea_cap),
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
    explore: float = 0.1,
    catch_up: float = 0.5,
) -> Pair:
    """One-off pair choice: builds a chooser and draws once (O(n log n) and a top-K sample).

    For a stream of requests, build ``make_pair_chooser`` once per refit and call its
    ``choose`` instead. Returns ``(left, right)`` in display order; the voter's answered
    key for it is ``(min, max)``. Raises ``NoPairAvailable`` when every pair is answered.
    """
    chooser = make_pair_chooser(theta, stderr, appearances, explore=explore, catch_up=catch_up)
    return chooser.choose(answered, rng)
