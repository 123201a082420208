"""Real data: the Mercator wiki survey (WZB Berlin 2025, MIT; see data/NOTICE.md).

Each of the three contexts is fitted from the respondents' answered pairs with the default
prior, and the order of our scores is compared with the published Bradley-Terry scores.
Measured with prior 1.0 (society / region / work): Spearman 0.997 / 0.993 / 0.988 and
Kendall 0.963 / 0.943 / 0.932 over the 64 / 39 / 34 items with a published score. The
published scores shrink less (a weaker prior 0.25 gives Kendall 0.99 / 0.97 / 0.98), which
moves a few thinly-voted items; the order barely changes.
"""
from __future__ import annotations

import csv

import numpy as np
import pytest

from app.ranking import (
    count_pairwise,
    kendall_tau,
    map_bt_pairwise,
    spearman_rho,
    summarize_pairwise,
)

#: Lowest measured Spearman is 0.988 (work); 0.98 leaves room for solver-level changes
#: while still failing if the ranking is rebuilt on win rates (Spearman 0.95 there).
MIN_SPEARMAN = 0.98
#: Lowest measured Kendall is 0.932 (work, 34 items: one swapped pair costs 0.002).
MIN_KENDALL = 0.90
CONTEXTS = ("society", "region", "work")


def read_csv(path):
    """All rows of a fixture CSV as dicts."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def context_data(data_dir, context):
    """Published items and votes of one context, with item ids turned into indices."""
    items = sorted((row for row in read_csv(data_dir / "mercator_items.csv")
                    if row["context"] == context), key=lambda row: int(row["item"]))
    assert [int(row["item"]) for row in items] == list(range(1, len(items) + 1))
    shown = [row for row in read_csv(data_dir / "mercator_votes.csv")
             if row["context"] == context]
    answered = [row for row in shown if row["chosen"]]
    skipped = [row for row in shown if not row["chosen"]]
    assert all(row["chosen"] in (row["left"], row["right"]) for row in answered)

    def index(rows, column):
        """Zero-based idea indices of a column."""
        return np.array([int(row[column]) - 1 for row in rows], dtype=np.intp)

    outcome = np.array([1.0 if row["chosen"] == row["left"] else 0.0 for row in answered])
    return items, index(answered, "left"), index(answered, "right"), outcome, \
        index(skipped, "left"), index(skipped, "right")


@pytest.mark.parametrize("context", CONTEXTS)
def test_counts_match_published_counts(data_dir, context):
    items, left, right, outcome, skip_left, skip_right = context_data(data_dir, context)
    counts = count_pairwise(len(items), left, right, outcome,
                            skip_left=skip_left, skip_right=skip_right)
    assert counts.wins.tolist() == [int(row["times_chosen"]) for row in items]
    # The published "times shown" counts answered pairs only; skips add appearances.
    assert (counts.wins + counts.losses).tolist() == [int(row["times_shown"]) for row in items]
    assert counts.skips.sum() == 2 * skip_left.size > 0


@pytest.mark.parametrize("context", CONTEXTS)
def test_order_matches_published_bradley_terry_scores(data_dir, context):
    items, left, right, outcome, skip_left, skip_right = context_data(data_dir, context)
    fit = map_bt_pairwise(len(items), left, right, outcome)
    summary = summarize_pairwise(fit, count_pairwise(len(items), left, right, outcome,
                                                     skip_left=skip_left,
                                                     skip_right=skip_right))
    published = np.array([float(row["score"]) if row["score"] else np.nan for row in items])
    scored = ~np.isnan(published)
    assert scored.sum() >= 30
    rho = spearman_rho(summary.score[scored], published[scored])
    tau = kendall_tau(summary.score[scored], published[scored])
    assert rho >= MIN_SPEARMAN, (context, rho)
    assert tau >= MIN_KENDALL, (context, tau)


def test_unscored_never_winning_items_get_finite_low_scores(data_dir):
    # The publication has no score for items shown but never chosen (e.g. work item 34,
    # 0 of 2); the prior gives them a finite score near the bottom with a wide interval.
    items, left, right, outcome, _, _ = context_data(data_dir, "work")
    fit = map_bt_pairwise(len(items), left, right, outcome)
    summary = summarize_pairwise(fit, count_pairwise(len(items), left, right, outcome))
    missing = [i for i, row in enumerate(items) if not row["score"] and int(row["times_shown"])]
    assert missing
    for i in missing:
        assert np.isfinite(summary.score[i]) and summary.wins[i] == 0
        assert summary.score[i] < np.median(summary.score)
        assert summary.ci_high[i] - summary.ci_low[i] > 30.0
