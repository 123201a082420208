"""Tiers of a ranking: ideas whose intervals overlap share a range of ranks, not a strict place.

A strict 1..n order claims more than the votes know: with a few votes per idea, #4 and #16
may be indistinguishable. Each tier starts at the best idea not yet placed (its *leader*)
and takes every following idea whose interval still reaches the leader's lower bound.
Anchoring on the leader, rather than chaining neighbour to neighbour, keeps one wide
interval from gluing the whole list into a single tier.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Tier:
    """Ranks ``first``..``last`` (1-based, inclusive) of the rows in one tier."""

    first: int
    last: int

    @property
    def too_close(self) -> bool:
        """More than one idea: their order within the tier is not settled by the votes."""
        return self.last > self.first


def tiers_from_intervals(ci_low: ArrayLike, ci_high: ArrayLike) -> list[Tier]:
    """One tier per row, for rows already ordered best first by their score.

    Row ``j`` joins the tier led by row ``i`` when ``ci_high[j] >= ci_low[i]`` and every
    row between them joined too. Raises ValueError on arrays of different lengths or an
    interval with ``low > high``.
    """
    low = np.asarray(ci_low, dtype=np.float64)
    high = np.asarray(ci_high, dtype=np.float64)
    if low.shape != high.shape or low.ndim != 1:
        raise ValueError("ci_low and ci_high must be 1-d arrays of the same length")
    if np.any(low > high):
        raise ValueError("an interval has its low end above its high end")
    tiers: list[Tier] = []
    start = 0
    n = low.size
    while start < n:
        end = start
        while end + 1 < n and high[end + 1] >= low[start]:
            end += 1
        tier = Tier(start + 1, end + 1)
        tiers.extend([tier] * (end - start + 1))
        start = end + 1
    return tiers
