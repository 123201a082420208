"""Pages of pairwise voting: the voting screen and the ranking it produces."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.extensions import login_manager
from app.lookups import get_space_or_404
from app.models import SKIP_REASONS
from app.voting import bp
from app.voting.ranking import ranking

SKIP_LABELS = {
    "like_both": "I like both",
    "like_neither": "I like neither",
    "same": "They are the same",
    "dont_know": "I don't know enough about one or both",
    "other": "Another reason",
}
assert set(SKIP_LABELS) == set(SKIP_REASONS)


@bp.get("/spaces/<slug>/vote")
def pairwise(slug: str):
    """Two ideas at a time; the page fetches pairs and sends votes without reloading."""
    space = get_space_or_404(slug)
    if space.accepts_votes and not space.anonymous_pairwise and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return render_template("voting/pairwise.html", space=space, skip_labels=SKIP_LABELS)


@bp.get("/spaces/<slug>/ranking")
def results(slug: str):
    """The pairwise ranking with its intervals, explained in plain words."""
    space = get_space_or_404(slug)
    return render_template("voting/ranking.html", space=space, ranking=ranking(space, "pairwise"))
