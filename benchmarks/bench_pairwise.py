"""Benchmark the pairwise ranking engine on synthetic Bradley-Terry data and a real survey.

    .venv/bin/python -m benchmarks.bench_pairwise            # full run, a few minutes
    .venv/bin/python -m benchmarks.bench_pairwise --quick    # smoke run, seconds
    .venv/bin/python -m benchmarks.bench_pairwise --sweep    # the pair-choice mixes compared

Prints: full and warm refits (with choix.ilsr_pairwise on the same votes), scores with
intervals, the top-K chances' cost, next-pair latency, a survey simulation of three pair
choosers (uniform, today's before issue 19, ours) with the top-K chances' calibration, and
a replay of the Mercator wiki survey. Targets are printed next to the figures, and a
missed target says MISSED. choix is a dev-only dependency, needed only for this file.
"""
from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
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
    top_k_probability,
)

REFIT_TARGET_S = 0.25  # full refit, 10^6 votes over 10^4 ideas
CHOICE_TARGET_US = 200.0  # one next-pair choice at 10^4 ideas
P_TOP_TARGET_MS = 50.0  # top-K chances at 10^4 ideas, once per refit
FOCUS_K = 10  # the top the simulations measure and the chooser focuses on
#: Issue 19's targets in the N(0,1) scenario: recall at 2,000 and 5,000 votes, and tau
#: at 5,000 (which must also be no worse than today's chooser's, as in the other scenarios).
RECALL_TARGETS = {2_000: 0.80, 5_000: 0.90}
TAU_TARGET = 0.80
CHECKPOINTS = (1_000, 2_000, 5_000)
MERCATOR_VOTES = Path(__file__).resolve().parents[1] / "tests" / "ranking" / "data" / \
    "mercator_votes.csv"
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


def at_least(value: float, target: float) -> str:
    """'met' / 'MISSED' against a lower-bound target."""
    return "met" if value >= target else "MISSED"


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


def bench_top_k(fit: BTFit, votes: tuple[np.ndarray, ...], repeats: int) -> list[list[Any]]:
    """Cost of the top-10 chances on the big fit (with its votes, as the app passes them,
    and without) and on a space with no votes yet."""
    n_items = fit.theta.size
    cases = (("fit above, its votes given: contenders drawn jointly",
              fit.theta, fit.stderr, {"left": votes[0], "right": votes[1]}),
             ("fit above, no votes given: independent draws", fit.theta, fit.stderr, {}),
             ("no votes yet: every idea a contender", np.zeros(n_items),
              np.full(n_items, np.sqrt(2.0)), {}))
    rows = []
    for label, theta, stderr, pairs in cases:
        elapsed, p_top = timed(lambda: top_k_probability(
            theta, stderr, FOCUS_K, np.random.default_rng(3), **pairs), repeats)
        rows.append([f"{n_items} ideas", f"top_k_probability, {label}",
                     f"{elapsed * 1e3:.1f} ms ({np.count_nonzero(p_top)} ideas > 0)",
                     f"<= {P_TOP_TARGET_MS:.0f} ms", verdict(elapsed * 1e3, P_TOP_TARGET_MS)])
    return rows


def bench_choice(
    fit: BTFit, votes: tuple[np.ndarray, ...], draws: int, seed: int
) -> list[list[Any]]:
    """Latency of next-pair choice for voters answering 25 pairs each."""
    n_items = fit.theta.size
    counts = count_pairwise(n_items, *votes)
    p_top = top_k_probability(fit.theta, fit.stderr, FOCUS_K, np.random.default_rng(seed),
                              left=votes[0], right=votes[1])
    build_time, chooser = timed(
        lambda: make_pair_chooser(fit.theta, fit.stderr, counts.appearances, p_top=p_top), 5
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
        [label, "build PairChooser (once per refit, top-10 chances given)",
         f"{build_time * 1e3:.2f} ms", "", ""],
        [label, f"choose, mean of {draws}", f"{micro.mean():.1f} us",
         f"<= {CHOICE_TARGET_US:.0f} us", verdict(float(micro.mean()), CHOICE_TARGET_US)],
        [label, "choose, p50", f"{np.median(micro):.1f} us", "", ""],
        [label, "choose, p99", f"{p99:.1f} us", f"<= {CHOICE_TARGET_US:.0f} us",
         verdict(p99, CHOICE_TARGET_US)],
        [label, "modes", shares, "", ""],
    ]


@dataclass(frozen=True)
class SurveyRun:
    """What one simulated survey measured at each checkpoint (numbers of votes)."""

    recall: dict[int, float]  # top-10 recall of the fit at each checkpoint
    tau: dict[int, float]  # Kendall tau of the fit with the truth at each checkpoint
    late_shown: float  # mean appearances of the late ideas at the end (nan when none)
    p_top: list[np.ndarray]  # chances of the top 10 at each checkpoint, pooled later
    in_top: list[np.ndarray]  # whether each idea is in the true top 10 there


def todays_chooser(theta: np.ndarray, stderr: np.ndarray, shown: np.ndarray) -> PairChooser:
    """Plaza's chooser before issue 19, for comparison: no focus, a fifth of the draws
    exploring, new ideas uncapped (the draws are otherwise the same)."""
    return make_pair_chooser(theta, stderr, shown, focus=0.0, explore=0.2, new_idea_cap=1.0)


def build_chooser(kind: str, fit: BTFit, shown: np.ndarray, options: dict[str, Any],
                  left: np.ndarray, right: np.ndarray) -> PairChooser:
    """The chooser of a simulated survey: 'today' or 'ours' (with ``options``), which gets
    the top-10 chances of the fit and its votes as the app passes them."""
    if kind == "today":
        return todays_chooser(fit.theta, fit.stderr, shown)
    p_top = top_k_probability(fit.theta, fit.stderr, FOCUS_K,
                              np.random.default_rng(left.size), left=left, right=right)
    return make_pair_chooser(fit.theta, fit.stderr, shown, p_top=p_top, **options)


def simulate_survey(
    seed: int, kind: str, n_items: int, checkpoints: tuple[int, ...], spread: float,
    late: int, options: dict[str, Any] | None = None, per_voter: int = 25,
    refit_every: int = 100,
) -> SurveyRun:
    """Run one survey to ``max(checkpoints)`` votes and measure the fit at each checkpoint.

    ``kind`` is 'uniform' (uniform random unanswered pairs), 'today' or 'ours'. Voters
    answer ``per_voter`` pairs each (never one twice). ``late`` ideas are submitted halfway
    through. Adaptive runs refit (warm) every ``refit_every`` votes and when ideas arrive.
    At a checkpoint the votes so far are fitted cold over the ideas submitted by then and
    compared with their true strengths; the top-10 chances are computed from that fit.
    """
    n_votes = max(checkpoints)
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, spread, n_items)
    choice_rng = np.random.default_rng(seed + 10_000)
    left = np.empty(n_votes, dtype=np.intp)
    right = np.empty(n_votes, dtype=np.intp)
    outcome = np.empty(n_votes)
    answered: set[tuple[int, int]] = set()
    chooser: PairChooser | None = None
    theta: np.ndarray | None = None
    run = SurveyRun({}, {}, float("nan"), [], [])
    for k in range(n_votes + 1):
        live = n_items if k >= n_votes // 2 else n_items - late
        if k in checkpoints:
            measure(run, k, live, truth, left[:k], right[:k], outcome[:k], seed)
        if k == n_votes:
            break
        if k % per_voter == 0:
            answered = set()
        if kind != "uniform":
            if k % refit_every == 0 or (late and k == n_votes // 2):
                start = None if theta is None or theta.size != live else theta
                fit = map_bt_pairwise(live, left[:k], right[:k], outcome[:k], theta0=start)
                theta = fit.theta
                shown = count_pairwise(live, left[:k], right[:k], outcome[:k]).appearances
                chooser = build_chooser(kind, fit, shown, options or {}, left[:k], right[:k])
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
    if late:
        shown = count_pairwise(n_items, left, right, outcome).appearances
        run = replace(run, late_shown=float(shown[n_items - late:].mean()))
    return run


def measure(run: SurveyRun, k: int, live: int, truth: np.ndarray, left: np.ndarray,
            right: np.ndarray, outcome: np.ndarray, seed: int) -> None:
    """Record recall, tau and top-10 chances of a cold fit of the first ``k`` votes."""
    fit = map_bt_pairwise(live, left, right, outcome)
    true_top = np.zeros(live, dtype=bool)
    true_top[np.argsort(-truth[:live])[:FOCUS_K]] = True
    fitted_top = np.argsort(-fit.theta)[:FOCUS_K]
    run.recall[k] = float(true_top[fitted_top].mean())
    run.tau[k] = kendall_tau(fit.theta, truth[:live])
    run.p_top.append(top_k_probability(fit.theta, fit.stderr, FOCUS_K,
                                       np.random.default_rng(seed + 20_000),
                                       left=left, right=right))
    run.in_top.append(true_top)


SCENARIOS = (("truth N(0,1)", 1.0, 0), ("truth N(0,2)", 2.0, 0),
             ("N(0,1), 50 ideas arrive halfway", 1.0, 50))
KINDS = (("uniform", "uniform random"), ("today", "today's chooser"),
         ("ours", "ours (issue 19)"))


def run_surveys(
    seeds: int, n_items: int, checkpoints: tuple[int, ...],
    options: dict[str, Any] | None = None, scenarios=SCENARIOS, kinds=KINDS,
) -> dict[tuple[str, str], list[SurveyRun]]:
    """Every (scenario, kind) over ``seeds`` seeds; the same seeds for every kind."""
    return {(name, kind): [simulate_survey(seed, kind, n_items, checkpoints, spread,
                                           late * n_items // 200, options)
                           for seed in range(seeds)]
            for name, spread, late in scenarios for kind, _ in kinds}


def simulation_rows(
    runs: dict[tuple[str, str], list[SurveyRun]], checkpoints: tuple[int, ...]
) -> list[list[Any]]:
    """One row per scenario and chooser: recall at each checkpoint, tau at the last.

    Ours is judged against issue 19's targets in the N(0,1) scenario and against today's
    chooser (same seeds) in every scenario; '>= today' marks a figure no worse than it.
    """
    labels = dict(KINDS)
    last = max(checkpoints)

    def means(results: list[SurveyRun]) -> tuple[list[float], float]:
        """Mean recall per checkpoint and mean tau at the last one."""
        return ([float(np.mean([r.recall[c] for r in results])) for c in checkpoints],
                float(np.mean([r.tau[last] for r in results])))

    rows = []
    for (name, kind), results in runs.items():
        recall, tau = means(results)
        late = np.array([r.late_shown for r in results])
        notes = []
        if kind == "ours":
            today_recall, today_tau = means(runs[(name, "today")])
            if name == SCENARIOS[0][0]:
                notes += [f"recall@{c} >= {t}: {at_least(recall[checkpoints.index(c)], t)}"
                          for c, t in RECALL_TARGETS.items() if c in checkpoints]
                notes.append(f"tau >= {TAU_TARGET}: {at_least(tau, TAU_TARGET)}")
            worse = [f"recall@{c}" for c, ours, today in zip(checkpoints, recall, today_recall)
                     if ours < today]
            worse += ["tau"] if tau < today_tau else []
            notes.append(">= today: " + ("met" if not worse else "MISSED (" + ", ".join(worse) + ")"))
        rows.append([name, labels[kind],
                     *(f"{value:.2f} +/- {np.std([r.recall[c] for r in results]):.2f}"
                       for c, value in zip(checkpoints, recall)),
                     f"{tau:.3f} +/- {np.std([r.tau[last] for r in results]):.3f}",
                     "" if np.isnan(late).all() else f"{late.mean():.1f}",
                     "; ".join(notes)])
    return rows


def calibration_rows(runs: list[SurveyRun]) -> list[list[Any]]:
    """Predicted chance of the top 10 against the observed share, in deciles."""
    predicted = np.concatenate([p for run in runs for p in run.p_top])
    observed = np.concatenate([t for run in runs for t in run.in_top]).astype(float)
    decile = np.minimum((predicted * 10).astype(int), 9)
    rows = []
    for d in range(10):
        chosen = decile == d
        if chosen.any():
            rows.append([f"{d / 10:.1f}-{(d + 1) / 10:.1f}", int(chosen.sum()),
                         f"{predicted[chosen].mean():.3f}", f"{observed[chosen].mean():.3f}"])
    return rows


def mercator_votes() -> dict[str, tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """The Mercator wiki survey's answered votes per context: (ideas, left, right, outcome)."""
    with open(MERCATOR_VOTES, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["chosen"]]
    contexts = {}
    for context in sorted({row["context"] for row in rows}):
        mine = [row for row in rows if row["context"] == context]
        left = np.array([int(row["left"]) - 1 for row in mine], dtype=np.intp)
        right = np.array([int(row["right"]) - 1 for row in mine], dtype=np.intp)
        outcome = np.array([1.0 if row["chosen"] == row["left"] else 0.0 for row in mine])
        contexts[context] = (int(max(left.max(), right.max())) + 1, left, right, outcome)
    return contexts


def replay_order(kind: str, n_items: int, left: np.ndarray, right: np.ndarray,
                 outcome: np.ndarray, seed: int, refit_every: int = 10,
                 misses: int = 200) -> np.ndarray:
    """The order in which a chooser takes a survey's recorded votes (indices).

    'uniform' is a random order. A chooser can only be answered from the record, so it
    draws pairs until one has a vote left (a random one of them is taken), refitting
    every ``refit_every`` votes; after ``misses`` draws without one, a random remaining
    vote is taken. Every order ends with all the votes.
    """
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return rng.permutation(left.size)
    remaining: dict[tuple[int, int], list[int]] = {}
    for index in rng.permutation(left.size).tolist():
        pair = (min(left[index], right[index]), max(left[index], right[index]))
        remaining.setdefault(pair, []).append(index)
    order: list[int] = []
    chooser: PairChooser | None = None
    while remaining:
        if len(order) % refit_every == 0 or chooser is None:
            taken = np.array(order, dtype=np.intp)
            fit = map_bt_pairwise(n_items, left[taken], right[taken], outcome[taken])
            shown = count_pairwise(n_items, left[taken], right[taken],
                                   outcome[taken]).appearances
            chooser = build_chooser(kind, fit, shown, {}, left[taken], right[taken])
        for _ in range(misses):
            a, b = chooser.choose(set(), rng)
            pair = (min(a, b), max(a, b))
            if pair in remaining:
                break
        else:
            pairs = list(remaining)
            pair = pairs[int(rng.integers(len(pairs)))]
        order.append(remaining[pair].pop())
        if not remaining[pair]:
            del remaining[pair]
    return np.array(order, dtype=np.intp)


def votes_until_stable(n_items: int, left: np.ndarray, right: np.ndarray,
                       outcome: np.ndarray, order: np.ndarray, step: int = 5) -> tuple[int, int]:
    """Votes from which on the top 10 holds at least 9, and all 10, of the final top 10.

    Checked every ``step`` votes, from the end backwards.
    """
    final = set(np.argsort(-map_bt_pairwise(n_items, left, right, outcome).theta)[:FOCUS_K])
    nine = ten = order.size
    all_ten = True
    for count in range(order.size - order.size % step, 0, -step):
        taken = order[:count]
        fit = map_bt_pairwise(n_items, left[taken], right[taken], outcome[taken])
        overlap = len(final & set(np.argsort(-fit.theta)[:FOCUS_K].tolist()))
        all_ten = all_ten and overlap == FOCUS_K
        if all_ten:
            ten = count
        if overlap < FOCUS_K - 1:
            break
        nine = count
    return nine, ten


def bench_replay(orders: int) -> list[list[Any]]:
    """How soon each chooser's top 10 settles on the top 10 of all the survey's votes."""
    rows = []
    for context, (n_items, left, right, outcome) in mercator_votes().items():
        for kind, label in KINDS:
            found = np.array([votes_until_stable(
                n_items, left, right, outcome,
                replay_order(kind, n_items, left, right, outcome, seed))
                for seed in range(orders)])
            rows.append([f"{context} ({n_items} ideas, {left.size} votes)", label,
                         f"{found[:, 0].mean():.0f} +/- {found[:, 0].std():.0f}",
                         f"{found[:, 1].mean():.0f} +/- {found[:, 1].std():.0f}"])
    return rows


#: Mixes compared by ``--sweep`` (focus share, exploration share); see benchmarks/README.md.
SWEEP_MIXES = ((0.0, 0.2), (0.05, 0.1), (0.1, 0.05), (0.1, 0.1), (0.1, 0.2), (0.15, 0.05),
               (0.15, 0.1), (0.2, 0.1), (0.2, 0.2), (0.3, 0.2), (0.5, 0.1))
SWEEP_CHECKPOINTS = (2_000, 5_000)


def sweep_rows(seeds: int, n_items: int, mixes=SWEEP_MIXES) -> list[list[Any]]:
    """Recall and tau of each mix in each scenario, and tau's change from today's chooser.

    The change is the mean over seeds of the paired difference (same truth, same voters'
    answers up to the pairs chosen), which is far less noisy than either mean.
    """
    rows = []
    for name, spread, late in SCENARIOS:
        late_ideas = late * n_items // 200
        today = [simulate_survey(seed, "today", n_items, SWEEP_CHECKPOINTS, spread,
                                 late_ideas) for seed in range(seeds)]
        today_tau = np.array([run.tau[5_000] for run in today])
        runs = {"today's chooser": today}
        for focus, explore in mixes:
            options = {"focus": focus, "explore": explore}
            runs[f"focus {focus:.2f}, explore {explore:.2f}"] = [
                simulate_survey(seed, "ours", n_items, SWEEP_CHECKPOINTS, spread, late_ideas,
                                options) for seed in range(seeds)]
        for label, results in runs.items():
            recall = [np.mean([run.recall[c] for run in results]) for c in SWEEP_CHECKPOINTS]
            tau = np.array([run.tau[5_000] for run in results])
            change = tau - today_tau
            rows.append([name, label, *(f"{value:.3f}" for value in recall),
                         f"{tau.mean():.3f}",
                         f"{change.mean():+.4f} +/- {change.std() / np.sqrt(seeds):.4f}"])
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (seconds)")
    parser.add_argument("--no-choix", action="store_true", help="skip choix comparisons")
    parser.add_argument("--no-choix-large", action="store_true",
                        help="skip choix at 10^4 ideas (dense O(n^3): ~3 minutes)")
    parser.add_argument("--seeds", type=int, help="simulated surveys per scenario "
                        "(default 8; 2 with --quick; 32 with --sweep)")
    parser.add_argument("--sweep", action="store_true",
                        help="only compare the pair-choice mixes (about 10 minutes)")
    args = parser.parse_args(argv)
    if args.sweep:
        seeds = args.seeds or 32
        print_table(f"Pair-choice mixes: 200 ideas, {seeds} seeds, votes as in the simulation",
                    ["scenario", "pair choice", "recall@2000", "recall@5000", "tau@5000",
                     "tau - today's (paired, +/- s.e.)"], sweep_rows(seeds, 200))
        return

    sizes: list[tuple[int, int, float | None]]
    if args.quick:
        sizes = [(2_000, 50_000, None), (300, 20_000, None)]
        repeats, draws, seeds, checkpoints, orders = 3, 2_000, args.seeds or 2, (500, 1_000), 2
    else:
        sizes = [(10_000, 1_000_000, REFIT_TARGET_S), (1_000, 1_000_000, None)]
        repeats, draws, seeds, checkpoints, orders = 5, 20_000, args.seeds or 8, CHECKPOINTS, 20
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
    print_table("Chances of the top 10 (once per refit)",
                ["size", "what", "figure", "target", "result"],
                bench_top_k(big[0], big[1], repeats))
    print_table("Next-pair choice (voters answer 25 pairs each)",
                ["size", "what", "figure", "target", "result"],
                bench_choice(big[0], big[1], draws, seed=7))

    runs = run_surveys(seeds, 200, checkpoints)
    print_table(f"Survey simulation: 200 ideas, voters answer 25 pairs, {seeds} seeds "
                "(mean +/- sd over seeds)",
                ["scenario", "pair choice", *(f"top-10 recall@{c}" for c in checkpoints),
                 f"Kendall tau@{max(checkpoints)}",
                 f"late ideas' appearances (all: {2 * max(checkpoints) // 200})", "targets"],
                simulation_rows(runs, checkpoints))
    ours = [run for (_, kind), results in runs.items() if kind == "ours" for run in results]
    print_table(f"Calibration of the top-10 chances: our runs, every scenario and checkpoint "
                "(deciles of the predicted chance)",
                ["predicted", "ideas", "mean predicted", "observed in the true top 10"],
                calibration_rows(ours))
    print_table(f"Mercator wiki survey replayed in {orders} random orders: votes until the "
                "top 10 keeps that of all the votes (mean +/- sd)",
                ["context", "pair choice", ">= 9 of 10 from", "all 10 from"],
                bench_replay(orders))


if __name__ == "__main__":
    main()
