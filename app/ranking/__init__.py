"""Pairwise ranking engine: Bradley-Terry fits, scores with intervals, how sure the top K
is, and pair choice.

Pure numpy, no Flask and no I/O: the caller loads votes as index arrays, calls these
functions, and stores what it needs.
"""
from app.ranking.bradley_terry import (
    BTFit,
    ConvergenceError,
    check_pairs,
    check_votes,
    map_bt_pairwise,
    prior_stderr,
)
from app.ranking.metrics import kendall_tau, spearman_rho
from app.ranking.pairs import NoPairAvailable, PairChooser, PairDraw, choose_pair, make_pair_chooser
from app.ranking.summary import (
    RankingSummary,
    VoteCounts,
    chance_to_beat,
    count_pairwise,
    summarize_pairwise,
)
from app.ranking.tiers import Tier, tiers_from_intervals
from app.ranking.topk import TopKStatus, classify_top_k, top_k_probability, votes_to_settle

__all__ = [
    "BTFit",
    "ConvergenceError",
    "NoPairAvailable",
    "PairChooser",
    "PairDraw",
    "RankingSummary",
    "Tier",
    "TopKStatus",
    "VoteCounts",
    "chance_to_beat",
    "check_pairs",
    "check_votes",
    "choose_pair",
    "classify_top_k",
    "count_pairwise",
    "kendall_tau",
    "make_pair_chooser",
    "map_bt_pairwise",
    "prior_stderr",
    "spearman_rho",
    "summarize_pairwise",
    "tiers_from_intervals",
    "top_k_probability",
    "votes_to_settle",
]
