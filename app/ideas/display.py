"""How categories and statuses look: one colour per category, readable status names."""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.ideas.transitions import label
from app.text import N_, label_for

if TYPE_CHECKING:
    from app.models import Idea

# Distinguishable on a map and against white text (WCAG AA for the badge labels).
PALETTE = ("#1b7837", "#b35806", "#5e3c99", "#c51b7d", "#2166ac", "#8c510a",
           "#d6604d", "#01665e", "#4d4d4d", "#762a83")


# Translators: the categories every new space starts with (staff may rename them); the
# stored value stays English, each page shows it in the reader's language.
CATEGORY_LABELS = {
    "greenery": N_("greenery"),
    "seating & shade": N_("seating & shade"),
    "lighting": N_("lighting"),
    "play": N_("play"),
    "accessibility": N_("accessibility"),
    "culture & events": N_("culture & events"),
    "safety": N_("safety"),
    "cleanliness": N_("cleanliness"),
    "other": N_("other"),
}


def category_label(category: str) -> str:
    """The `category_label` filter: a default category in the reader's language; a category
    staff wrote themselves is shown as they wrote it."""
    return label_for(CATEGORY_LABELS, category)


def category_colors(categories: list[str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def status_label(status: str) -> str:
    """The `status_label` filter of every page: the status in the request's language."""
    return label(status)


def card(idea: Idea) -> dict:
    """An idea as a voting screen shows it, the same on a phone and on a kiosk (which adds no
    links: it never leaves its page; the API adds the idea's address)."""
    return {"id": idea.id, "title": idea.title, "body": idea.body, "category": idea.category,
            "status": idea.status}
