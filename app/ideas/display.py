"""How categories and statuses look: one colour per category, readable status names."""
from __future__ import annotations

from app.ideas.transitions import label

# Distinguishable on a map and against white text (WCAG AA for the badge labels).
PALETTE = ("#1b7837", "#b35806", "#5e3c99", "#c51b7d", "#2166ac", "#8c510a",
           "#d6604d", "#01665e", "#4d4d4d", "#762a83")


def category_colors(categories: list[str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def status_label(status: str) -> str:
    """The `status_label` filter of every page: the status in the request's language."""
    return label(status)
