"""Benchmark the quadratic-voting tally and its bootstrap interval on synthetic ballots.

    .venv/bin/python -m benchmarks.bench_qv            # a few seconds
    .venv/bin/python -m benchmarks.bench_qv --quick    # the two small sizes only

Each voter spends most of a 100-credit budget over a few ideas (random integer votes,
for or against), seeded so every run sees the same ballots. Times are
``time.perf_counter`` medians of 3 runs of ``tally_quadratic`` and ``bootstrap_quadratic``
(1,000 replicates). The bootstrap costs replicates x (distinct vote values per idea,
summed over ideas); the number of voters matters only through that sum.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from app.qv.tally import N_BOOT, bootstrap_quadratic, tally_quadratic

#: (voters, ideas, ideas per ballot): the demo, a busy square, a city-wide call, an outlier.
SIZES = [(200, 32, 4), (2_000, 100, 6), (10_000, 300, 8), (2_000, 10_000, 10)]
TARGET_MS = 250.0  # a ranking request at the busy-square size


def synthetic_ballots(n_voters: int, n_items: int, per_ballot: int,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ballots within a 100-credit budget: 1 to 4 votes per idea, a quarter of them against."""
    voters = np.repeat(np.arange(n_voters), per_ballot)
    items = np.concatenate([rng.choice(n_items, per_ballot, replace=False)
                            for _ in range(n_voters)])
    votes = rng.integers(1, 5, voters.size) * np.where(rng.random(voters.size) < 0.25, -1, 1)
    return voters, items, votes


def median_ms(run, repeat: int = 3) -> float:
    """Median wall time of ``run()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    """Print one table row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smallest sizes")
    args = parser.parse_args()
    print(f"| voters | ideas | allocations | tally | bootstrap ({N_BOOT} replicates) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n_voters, n_items, per in SIZES[:2] if args.quick else SIZES:
        voters, items, votes = synthetic_ballots(n_voters, n_items, per, np.random.default_rng(0))
        tally = median_ms(lambda: tally_quadratic(n_items, voters, items, votes))
        boot = median_ms(lambda: bootstrap_quadratic(n_items, voters, items, votes,
                                                     np.random.default_rng(1)))
        note = "" if (n_voters, n_items) != SIZES[1][:2] else (
            f" (target {TARGET_MS:.0f} ms: {'met' if boot <= TARGET_MS else 'MISSED'})")
        print(f"| {n_voters:,} | {n_items:,} | {voters.size:,} | {tally:.1f} ms | {boot:.0f} ms{note} |")


if __name__ == "__main__":
    main()
