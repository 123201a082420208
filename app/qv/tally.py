"""Quadratic-voting tally: per-idea figures and a bootstrap interval over voters.

Pure numpy, no Flask and no I/O. Ballots come in as one row per (voter, idea) allocation:
``voters[k]`` names the voter (any non-negative integer, such as the voter's id),
``items[k]`` is the idea's 0-based index and ``votes[k]`` the non-zero votes that voter gave
that idea (negative = against). The score of an idea is its net votes, the sum
of ``votes`` over voters: under quadratic voting the sum of votes is the collective's
strength of preference. Its 95% interval is a percentile bootstrap over voters: resample
the voters with replacement, recount the net votes, take the 2.5th and 97.5th percentiles.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Bootstrap replicates: the usual count for a 95% percentile interval (25 replicates in
#: each tail). The cost is N_BOOT x the distinct vote values per idea, summed over ideas.
N_BOOT = 1000
#: Replicates x ideas handled per pass of the bootstrap, to bound memory (~50 MB).
_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class QVTally:
    """Per idea: net votes, votes for and against (both >= 0), credits spent, voters."""

    votes_net: IntArray
    votes_for: IntArray
    votes_against: IntArray
    credits: IntArray
    voters: IntArray


def check_allocations(n_items: int, voters: ArrayLike, items: ArrayLike,
                      votes: ArrayLike) -> tuple[IntArray, IntArray, IntArray]:
    """Allocations as int64 arrays of one length, indices in range, votes non-zero."""
    v, i, n = (np.asarray(a) for a in (voters, items, votes))
    if not v.shape == i.shape == n.shape or v.ndim != 1:
        raise ValueError("voters, items and votes must be 1-d arrays of the same length")
    for name, arr in (("voters", v), ("items", i), ("votes", n)):
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{name} must hold integers")
    v, i, n = (arr.astype(np.int64) for arr in (v, i, n))
    if i.size and (i.min() < 0 or i.max() >= n_items):
        raise ValueError(f"items must lie in 0..{n_items - 1}")
    if v.size and v.min() < 0:
        raise ValueError("voters must be non-negative indices")
    if np.any(n == 0):
        raise ValueError("votes must be non-zero (a zero is no allocation)")
    if v.size:
        _, voter_index = np.unique(v, return_inverse=True)
        if np.unique(voter_index * np.int64(n_items) + i).size != v.size:
            raise ValueError("a voter can hold only one allocation per idea")
    return v, i, n


def tally_quadratic(n_items: int, voters: ArrayLike, items: ArrayLike,
                    votes: ArrayLike) -> QVTally:
    """Net votes, votes for, votes against, credits (Σ n²) and number of voters per idea."""
    _, i, n = check_allocations(n_items, voters, items, votes)

    def per_item(weights: IntArray) -> IntArray:
        """Sum ``weights`` per idea, exactly (integers, no float round trip)."""
        out = np.zeros(n_items, dtype=np.int64)
        np.add.at(out, i, weights)
        return out

    return QVTally(
        votes_net=per_item(n),
        votes_for=per_item(np.maximum(n, 0)),
        votes_against=per_item(np.maximum(-n, 0)),
        credits=per_item(n * n),
        voters=per_item(np.ones_like(n)),
    )


def bootstrap_quadratic(n_items: int, voters: ArrayLike, items: ArrayLike, votes: ArrayLike,
                        rng: np.random.Generator, *, n_boot: int = N_BOOT,
                        level: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Percentile bootstrap interval of each idea's net votes, resampling voters.

    A replicate draws as many voters as there are (with replacement); the voters are the
    distinct values in ``voters``. An idea's interval depends only on its own resampled
    net votes, and drawing n voters and summing their votes on the idea is a multinomial
    draw over the idea's distinct vote values (a voter who left it alone counts as 0). So
    each idea's replicates are drawn that way, as a chain of conditional binomials: the
    same distribution as resampling whole ballots, at a cost that does not grow with the
    number of voters. The ends are net-vote totals some replicate reached (the "inverted
    CDF" percentile), so always whole numbers. With no voters both ends are 0. The same
    ``rng`` state and data give the same interval.
    """
    if not 0 < level < 1:
        raise ValueError("level must lie strictly between 0 and 1")
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    v, i, n = check_allocations(n_items, voters, items, votes)
    low, high = np.zeros(n_items), np.zeros(n_items)
    if v.size == 0:
        return low, high  # nobody voted: every interval is 0
    n_voters = np.unique(v).size
    item, value, count = _value_counts(i, n)
    # Each (idea, value) category is one step of its idea's chain: the binomial share of
    # the voters its idea has left after the earlier categories.
    first = np.searchsorted(item, item)
    step = np.arange(item.size) - first
    before = np.cumsum(count) - count
    prob = count / (n_voters - (before - before[first]))
    # Ideas with the most categories first, so step k involves a prefix of the columns.
    voted, n_steps = np.unique(item, return_counts=True)
    order = np.argsort(-n_steps, kind="stable")
    voted, n_steps = voted[order], n_steps[order]
    column = np.empty(n_items, dtype=np.int64)
    column[voted] = np.arange(voted.size)
    probs = np.zeros((n_steps[0], voted.size))
    values = np.zeros((n_steps[0], voted.size))
    probs[step, column[item]] = prob
    values[step, column[item]] = value
    tail = 100 * (1 - level) / 2
    block = max(1, _CHUNK_CELLS // n_boot)  # ideas per pass, to bound memory
    for start in range(0, voted.size, block):
        stop = min(voted.size, start + block)
        remaining = np.full((n_boot, stop - start), n_voters, dtype=np.int64)
        nets = np.zeros((n_boot, stop - start))
        for k in range(n_steps[start]):
            width = int(np.count_nonzero(n_steps[start:stop] > k))
            drawn = rng.binomial(remaining[:, :width], probs[k, start:start + width])
            remaining[:, :width] -= drawn
            nets[:, :width] += drawn * values[k, start:start + width]
        low[voted[start:stop]], high[voted[start:stop]] = np.percentile(
            nets, [tail, 100 - tail], axis=0, method="inverted_cdf")
    return low, high


def _value_counts(items: IntArray, votes: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct (idea, votes) pairs sorted by idea then votes, with how many voters gave each."""
    order = np.lexsort((votes, items))
    i, n = items[order], votes[order]
    new = np.ones(i.size, dtype=bool)
    new[1:] = (i[1:] != i[:-1]) | (n[1:] != n[:-1])
    starts = np.flatnonzero(new)
    return i[starts], n[starts], np.diff(np.append(starts, i.size))
