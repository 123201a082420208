"""Benchmark the pairwise ranking engine on synthetic Bradley-Terry data.

    .venv/bin/python -m benchmarks.bench_pairwise            # full run, a few minutes
    .venv/bin/python -m benchmarks.bench_pairwise --quick    # smoke run, a few seconds

Prints four tables: full and warm refits (with choix.ilsr_pairwise on the same votes),
scores with intervals, next-pair choice latency, and a survey simulation comparing our
pair choice with uniform random pairs. Targets are printed next to the figures, and a
missed target says MISSED. choix is a dev-only dependency, needed only for this file.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from app.ranking import (
    BTFit,
    PairChooser,
    chance_to_beat,
    count_pairwise,
    kendall_tau,
    make_pair_chooser,
    map_bt_pairwise,
    summarize_pairwise,
)

REFIT_TARGET_S = 0.25  # full refit, 10^6 votes over 10^4 ideas
CHOICE_TARGET_US = 200.0  # one next-pair choice at 10^4 ideas
CHOIX_ALPHA = 0.01  # choix's regularisation (a small virtual rate between every pair)
T = TypeVar("T")


def synthetic_votes(
    n_items: int, n_votes: int, rng: np.random.Generator, spread: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """True strengths ~ N(0, spread^2) and Bradley-Terry votes on uniform random pairs."""
    truth = rng.normal(0.0, spread, n_items)
    left = rng.integers(0, n_items, n_votes)
    right = rng.integers(0, n_items - 1, n_votes)
    right += right >= left
    outcome = (rng.random(n_votes) < 1.0 / (1.0 + np.exp(truth[right] - truth[left])))
    return truth, left, right, outcome.astype(float)


def timed(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Median wall time of ``repeats`` calls (time.perf_counter), and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result  # type: ignore[return-value]


def verdict(value: float, target: float | None) -> str:
    """'met' / 'MISSED' against an upper-bound target, '' when there is none."""
    if target is None:
        return ""
    return "met" if value <= target else "MISSED"


def print_table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print rows under a header, columns padded to their widest cell."""
    cells = [header] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print("  " + "  ".join("-" * width for width in widths))


def bench_refit(
    n_items: int, n_votes: int, repeats: int, run_choix: bool, target: float | None, seed: int
) -> tuple[list[list[Any]], BTFit, tuple[np.ndarray, ...]]:
    """Cold and warm refits of ``n_votes`` votes, and choix's ILSR on the same votes."""
    rng = np.random.default_rng(seed)
    truth, left, right, outcome = synthetic_votes(n_items, n_votes + n_votes // 100, rng)
    base = slice(0, n_votes)
    size = f"{n_votes:.0e} votes / {n_items:.0e} ideas".replace("e+0", "e")
    cold_time, fit = timed(
        lambda: map_bt_pairwise(n_items, left[base], right[base], outcome[base]), repeats
    )
    rows = [[size, "ours: full refit (cold)", f"{cold_time:.3f} s", fit.iterations,
             f"{kendall_tau(fit.theta, truth):.4f}",
             f"<= {target} s" if target else "", verdict(cold_time, target)]]

    warm_time, warm = timed(
        lambda: map_bt_pairwise(n_items, left, right, outcome, theta0=fit.theta), repeats
    )
    cold_again = map_bt_pairwise(n_items, left, right, outcome)
    rows.append([size, "ours: warm refit after +1% votes", f"{warm_time:.3f} s",
                 f"{warm.iterations} (cold {cold_again.iterations})",
                 f"{kendall_tau(warm.theta, truth):.4f}", "", ""])

    if run_choix:
        import choix  # dev-only

        winners = np.where(outcome[base] == 1.0, left[base], right[base])
        losers = np.where(outcome[base] == 1.0, right[base], left[base])
        data = list(zip(winners.tolist(), losers.tolist()))
        choix_time, params = timed(
            lambda: choix.ilsr_pairwise(n_items, data, alpha=CHOIX_ALPHA), 1
        )
        rows.append([size, f"choix.ilsr_pairwise (alpha={CHOIX_ALPHA}, 1 run)",
                     f"{choix_time:.1f} s", "", f"{kendall_tau(params, truth):.4f}", "", ""])
    else:
        rows.append([size, "choix.ilsr_pairwise", "skipped", "", "", "", ""])
    return rows, fit, (left[base], right[base], outcome[base])


def bench_summary(fit: BTFit, votes: tuple[np.ndarray, ...], repeats: int) -> list[list[Any]]:
    """Scores with intervals at the fit's size, and the binned chance vs the naive mean."""
    n_items = fit.theta.size
    counts = count_pairwise(n_items, *votes)
    summary_time, summary = timed(lambda: summarize_pairwise(fit, counts), repeats)
    naive_time, (naive, _) = timed(lambda: chance_to_beat(fit.theta, method="exact"), 1)
    error = float(np.abs(summary.score - 100.0 * naive).max())
    return [[f"{n_items} ideas", "summarize_pairwise (binned scores + CIs)",
             f"{summary_time * 1e3:.1f} ms"],
            [f"{n_items} ideas", "naive n x n mean of sigmoids", f"{naive_time:.2f} s"],
            [f"{n_items} ideas", "max |binned - naive| score (0..100 scale)", f"{error:.1e}"]]


def bench_choice(
    fit: BTFit, votes: tuple[np.ndarray, ...], draws: int, seed: int
) -> list[list[Any]]:
    """Latency of next-pair choice for voters answering 25 pairs each."""
    n_items = fit.theta.size
    counts = count_pairwise(n_items, *votes)
    build_time, chooser = timed(
        lambda: make_pair_chooser(fit.theta, fit.stderr, counts.appearances), 5
    )
    rng = np.random.default_rng(seed)
    times = np.empty(draws)
    modes: dict[str, int] = {}
    answered: set[tuple[int, int]] = set()
    for k in range(draws):
        if k % 25 == 0:
            answered = set()
        start = time.perf_counter()
        drawn = chooser.draw(answered, rng)
        times[k] = time.perf_counter() - start
        answered.add((min(drawn.left, drawn.right), max(drawn.left, drawn.right)))
        modes[drawn.mode] = modes.get(drawn.mode, 0) + 1
    micro = times * 1e6
    p99 = float(np.percentile(micro, 99))
    shares = ", ".join(f"{mode} {count / draws:.0%}" for mode, count in sorted(modes.items()))
    label = f"{n_items} ideas"
    return [
        [label, "build PairChooser (once per refit)", f"{build_time * 1e3:.2f} ms", "", ""],
        [label, f"choose, mean of {draws}", f"{micro.mean():.1f} us",
         f"<= {CHOICE_TARGET_US:.0f} us", verdict(float(micro.mean()), CHOICE_TARGET_US)],
        [label, "choose, p50", f"{np.median(micro):.1f} us", "", ""],
        [label, "choose, p99", f"{p99:.1f} us", f"<= {CHOICE_TARGET_US:.0f} us",
         verdict(p99, CHOICE_TARGET_US)],
        [label, "modes", shares, "", ""],
    ]


def simulate_survey(
    seed: int, adaptive: bool, n_items: int, n_votes: int, spread: float, late: int,
    per_voter: int = 25, refit_every: int = 100,
) -> tuple[float, float, float]:
    """Run one survey; return the final fit's Kendall tau with the truth, its top-10 recall,
    and the mean appearances of the ideas that arrived late (nan when none did).

    Voters answer ``per_voter`` pairs each (never one twice). ``late`` ideas are submitted
    halfway through. The adaptive run refits (warm) every ``refit_every`` votes and when
    ideas arrive; the uniform run draws uniform random unanswered pairs.
    """
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, spread, n_items)
    choice_rng = np.random.default_rng(seed + 10_000)
    left = np.empty(n_votes, dtype=np.intp)
    right = np.empty(n_votes, dtype=np.intp)
    outcome = np.empty(n_votes)
    answered: set[tuple[int, int]] = set()
    chooser: PairChooser | None = None
    theta: np.ndarray | None = None
    for k in range(n_votes):
        live = n_items if k >= n_votes // 2 else n_items - late
        if k % per_voter == 0:
            answered = set()
        if adaptive:
            if k % refit_every == 0 or (late and k == n_votes // 2):
                start: np.ndarray | None = (
                    None if theta is None or theta.size != live else theta
                )
                fit = map_bt_pairwise(live, left[:k], right[:k], outcome[:k], theta0=start)
                theta = fit.theta
                shown = count_pairwise(live, left[:k], right[:k], outcome[:k]).appearances
                chooser = make_pair_chooser(fit.theta, fit.stderr, shown)
            assert chooser is not None
            a, b = chooser.choose(answered, choice_rng)
        else:
            while True:
                a = int(choice_rng.integers(live))
                b = int(choice_rng.integers(live - 1))
                b += b >= a
                if (min(a, b), max(a, b)) not in answered:
                    break
        answered.add((min(a, b), max(a, b)))
        left[k], right[k] = a, b
        outcome[k] = float(rng.random() < 1.0 / (1.0 + np.exp(truth[b] - truth[a])))
    final = map_bt_pairwise(n_items, left, right, outcome)
    top_true = set(np.argsort(-truth)[:10].tolist())
    top_fit = set(np.argsort(-final.theta)[:10].tolist())
    shown = count_pairwise(n_items, left, right, outcome).appearances
    late_shown = float(shown[n_items - late:].mean()) if late else float("nan")
    return kendall_tau(final.theta, truth), len(top_true & top_fit) / 10.0, late_shown


def bench_simulation(seeds: int, n_items: int, n_votes: int) -> list[list[Any]]:
    """Adaptive vs uniform pair choice over several seeds and three scenarios."""
    scenarios = [("truth N(0,1)", 1.0, 0), ("truth N(0,2)", 2.0, 0),
                 (f"N(0,1), {n_items // 4} ideas arrive halfway", 1.0, n_items // 4)]
    rows = []
    for name, spread, late in scenarios:
        for adaptive in (False, True):
            results = np.array([simulate_survey(seed, adaptive, n_items, n_votes, spread, late)
                                for seed in range(seeds)])
            tau, recall, late_shown = results[:, 0], results[:, 1], results[:, 2]
            rows.append([name, "ours (adaptive)" if adaptive else "uniform random",
                         f"{tau.mean():.3f} +/- {tau.std():.3f}",
                         f"{recall.mean():.2f} +/- {recall.std():.2f}",
                         f"{late_shown.mean():.1f}" if late else "",
                         " ".join(f"{t:.3f}" for t in tau)])
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (seconds)")
    parser.add_argument("--no-choix", action="store_true", help="skip choix comparisons")
    parser.add_argument("--no-choix-large", action="store_true",
                        help="skip choix at 10^4 ideas (dense O(n^3): ~3 minutes)")
    args = parser.parse_args(argv)

    sizes: list[tuple[int, int, float | None]]
    if args.quick:
        sizes = [(2_000, 50_000, None), (300, 20_000, None)]
        repeats, draws, seeds, sim_votes = 3, 2_000, 2, 1_000
    else:
        sizes = [(10_000, 1_000_000, REFIT_TARGET_S), (1_000, 1_000_000, None)]
        repeats, draws, seeds, sim_votes = 5, 20_000, 5, 5_000
    print(f"pairwise ranking benchmark ({'quick' if args.quick else 'full'}); "
          f"times are medians of {repeats} runs unless noted")

    refit_rows, big = [], None
    for index, (n_items, n_votes, target) in enumerate(sizes):
        too_big = n_items > (1_000 if args.quick else 5_000) and (args.quick or args.no_choix_large)
        run_choix = not args.no_choix and not too_big
        rows, fit, votes = bench_refit(n_items, n_votes, repeats, run_choix, target, seed=index)
        refit_rows += rows
        big = big or (fit, votes)
    print_table("Refit (synthetic BT, truth N(0,1), uniform random pairs, tol 1e-8)",
                ["data", "method", "time", "iterations", "Kendall tau vs truth", "target",
                 "result"], refit_rows)
    assert big is not None
    print_table("Scores with 95% intervals", ["size", "what", "figure"],
                bench_summary(big[0], big[1], repeats))
    print_table("Next-pair choice (voters answer 25 pairs each)",
                ["size", "what", "figure", "target", "result"],
                bench_choice(big[0], big[1], draws, seed=7))
    print_table(f"Survey simulation: 200 ideas, {sim_votes} votes, {seeds} seeds "
                "(mean +/- sd over seeds)",
                ["scenario", "pair choice", "Kendall tau", "top-10 recall",
                 f"late ideas' mean appearances (all ideas: {2 * sim_votes // 200})",
                 "tau per seed"],
                bench_simulation(seeds, 200, sim_votes))


if __name__ == "__main__":
    main()
