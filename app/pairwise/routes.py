"""The pairwise voting screen (the pairs and votes themselves go through app/api/pairwise.py)."""
from __future__ import annotations

from flask import render_template

from app.web.eligibility import gate
from app.eligibility.rules import describe
from app.lookups import get_space_or_404
from app.pairwise import bp
from app.pairwise.undo import UNDO_SECONDS
from app.web.labels import SKIP_LABELS


@bp.get("/spaces/<slug>/vote")
def vote(slug: str):
    """Two ideas at a time; the page fetches pairs and sends votes without reloading."""
    space = get_space_or_404(slug)
    refused = gate(space, "pairwise")
    if refused is not None:
        return refused
    return render_template("pairwise/vote.html", space=space, skip_labels=SKIP_LABELS,
                           undo_seconds=UNDO_SECONDS, rule_text=describe(space, "pairwise"))
