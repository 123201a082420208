"""How far the two rankings agree, over the ideas both have enough data on."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.ranking import kendall_tau, spearman_rho

# An idea enters the comparison once it was shown this often in pairs and got a QV vote.
MIN_APPEARANCES = 5
MIN_QV_VOTERS = 1
DISAGREEMENT_SHOWN = 3


@dataclass(frozen=True)
class Agreement:
    ideas: int                    # ideas with enough data in both methods
    spearman: float | None        # None below three ideas: a rank correlation means nothing
    kendall: float | None
    disagreeing: tuple[int, ...]  # idea ids whose ranks differ most, largest first


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 = best; ties share the better rank."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(scores.size, dtype=np.int64)
    out[order] = np.arange(1, scores.size + 1)
    return out


def agreement(pairwise: list[dict], quadratic: list[dict]) -> Agreement:
    """Rows as the ranking API returns them (id, score, appearances / voters)."""
    q = {r["id"]: r for r in quadratic if r.get("voters", 0) >= MIN_QV_VOTERS}
    both = [(r["id"], r["score"], q[r["id"]]["score"]) for r in pairwise
            if r.get("appearances", 0) >= MIN_APPEARANCES and r["id"] in q]
    if len(both) < 3:
        return Agreement(len(both), None, None, ())
    ids = np.array([b[0] for b in both])
    p_scores = np.array([b[1] for b in both], dtype=float)
    q_scores = np.array([b[2] for b in both], dtype=float)
    gap = np.abs(ranks(p_scores) - ranks(q_scores))
    worst = [int(ids[i]) for i in np.argsort(-gap, kind="stable")[:DISAGREEMENT_SHOWN] if gap[i] > 0]
    return Agreement(len(both), float(spearman_rho(p_scores, q_scores)),
                     float(kendall_tau(p_scores, q_scores)), tuple(worst))
