"""Compare what a merged duplicate's votes could mean for the idea kept, on a real wiki survey.

    .venv/bin/python -m benchmarks.merge_rules

The Mercator wiki survey (WZB Berlin 2025, MIT; tests/ranking/data) has no marked
duplicates, so the pairs of ideas whose German wording shares the most words stand in for
them (Jaccard over words of 4+ letters, three pairs per context). The better-ranked idea of
each pair is kept, as staff would; the other is merged into it under each rule of
``app.ideas.merge_rules``, and under "half": every vote of the duplicate counted half way to
a tie (a win as 0.75). The engine takes only wins, losses and ties, so "half" doubles every
vote, turns the second copy of each moved vote into a tie, and doubles the prior, which
leaves every other vote's weight as it was. Printed: the kept idea's place and score (0-100) before, and after
each rule, with the votes each rule moves.
"""
from __future__ import annotations

import csv
import re
from itertools import combinations
from pathlib import Path

import numpy as np

from app.ideas.merge_rules import ALL, RULES, Votes, merge_votes
from app.ranking import count_pairwise, map_bt_pairwise, summarize_pairwise

DATA = Path(__file__).resolve().parents[1] / "tests" / "ranking" / "data"
PAIRS_PER_CONTEXT = 3
WORD = re.compile(r"[a-zäöüß]{4,}")


def read(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def context_votes(context: str) -> tuple[list[str], Votes]:
    labels = [row["label"] for row in sorted((r for r in read("mercator_items.csv") if r["context"] == context),
                                             key=lambda r: int(r["item"]))]
    rows = [r for r in read("mercator_votes.csv") if r["context"] == context and r["chosen"]]
    votes = Votes(np.array([int(r["respondent"]) for r in rows], dtype=np.int64),
                  np.array([int(r["left"]) - 1 for r in rows], dtype=np.intp),
                  np.array([int(r["right"]) - 1 for r in rows], dtype=np.intp),
                  np.array([1.0 if r["chosen"] == r["left"] else 0.0 for r in rows]))
    return labels, votes


HALF = "half"
COMPARED = RULES[:2] + (HALF,) + RULES[2:]


def places_and_scores(n: int, votes: Votes, prior: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """1-based place and 0-100 score of every idea under the app's own fit."""
    summary = summarize_pairwise(map_bt_pairwise(n, votes.left, votes.right, votes.outcome, prior=prior),
                                 count_pairwise(n, votes.left, votes.right, votes.outcome))
    places = np.empty(n, dtype=int)
    places[summary.order()] = np.arange(1, n + 1)
    return places, summary.score


def lookalikes(labels: list[str], k: int) -> list[tuple[int, int, float]]:
    words = [set(WORD.findall(label.lower())) for label in labels]
    scored = [(a, b, len(words[a] & words[b]) / len(words[a] | words[b]))
              for a, b in combinations(range(len(labels)), 2) if words[a] and words[b]]
    return sorted(scored, key=lambda t: -t[2])[:k]


def place_after(n: int, votes: Votes, kept: int, duplicate: int, rule: str) -> tuple[int, float, int]:
    """Kept idea's place among the n - 1 ideas left, its score, and the duplicate's votes kept."""
    merged = merge_votes(votes, kept, duplicate, ALL if rule == HALF else rule)
    if rule == HALF:
        places, scores = places_and_scores(n, halved(votes, merged, kept, duplicate), prior=2.0)
    else:
        places, scores = places_and_scores(n, merged)
    others = [i for i in range(n) if i != duplicate]
    order = sorted(others, key=lambda i: places[i])
    on_dup = (votes.left == duplicate) | (votes.right == duplicate)
    kept_votes = int(((merged.left == kept) | (merged.right == kept)).sum())
    own = int((((votes.left == kept) | (votes.right == kept)) & ~on_dup).sum())
    return order.index(kept) + 1, float(scores[kept]), kept_votes - own


def halved(votes: Votes, merged: Votes, kept: int, duplicate: int) -> Votes:
    """`merged` (rule "all") with each vote twice, the moved ones' second copy a tie."""
    on_dup = (votes.left == duplicate) | (votes.right == duplicate)
    on_kept = (votes.left == kept) | (votes.right == kept)
    moved = on_dup[~(on_dup & on_kept)]  # rule "all" keeps these rows, in this order
    second = np.where(moved, 0.5, merged.outcome)
    return Votes(np.concatenate([merged.voter, merged.voter]), np.concatenate([merged.left, merged.left]),
                 np.concatenate([merged.right, merged.right]), np.concatenate([merged.outcome, second]))


def main() -> None:
    header = ["context", "kept (place, score)", "duplicate (place, score)", "similarity"] + \
        [f"{rule}: place, score, votes moved" for rule in COMPARED]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    shifts = {rule: [] for rule in COMPARED}
    for context in ("society", "region", "work"):
        labels, votes = context_votes(context)
        n = len(labels)
        places, scores = places_and_scores(n, votes)
        for a, b, similarity in lookalikes(labels, PAIRS_PER_CONTEXT):
            kept, duplicate = (a, b) if places[a] < places[b] else (b, a)
            cells = [context, f"#{places[kept]} {scores[kept]:.1f}", f"#{places[duplicate]} {scores[duplicate]:.1f}",
                     f"{similarity:.2f}"]
            for rule in COMPARED:
                place, score, moved = place_after(n, votes, kept, duplicate, rule)
                shifts[rule].append(place - places[kept])
                cells.append(f"#{place} {score:.1f} ({moved})")
            print(" | ".join(cells))
    print()
    print("Mean change of the kept idea's place (+ = worse), over all pairs:")
    for rule in COMPARED:
        values = np.array(shifts[rule])
        print(f"  {rule:6s} mean {values.mean():+.1f}, worst {values.max():+d}, best {values.min():+d}")


if __name__ == "__main__":
    main()
