"""Pages of pairwise voting: the voting screen and the ranking it produces."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import login_manager
from app.extensions import db
from app.ideas.queries import ideas_in
from app.lookups import get_space_or_404
from app.urls import with_idea_urls
from app.web.permissions import require
from app.voting import bp
from app.voting.ranking import ranking
from app.voting.undo import UNDO_SECONDS
from app.web.labels import SKIP_LABELS


@bp.get("/spaces/<slug>/vote")
def pairwise(slug: str):
    """Two ideas at a time; the page fetches pairs and sends votes without reloading."""
    space = get_space_or_404(slug)
    if space.accepts_votes and not space.anonymous_pairwise and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return render_template("voting/pairwise.html", space=space, skip_labels=SKIP_LABELS,
                           undo_seconds=UNDO_SECONDS)


@bp.get("/spaces/<slug>/ranking")
def ranking_page(slug: str):
    return redirect(url_for("voting.results", slug=slug), 301)


@bp.get("/spaces/<slug>/results")
def results(slug: str):
    """Both rankings explained in plain words, and what the city adopted."""
    space = get_space_or_404(slug)
    require("view_results", space, _("The results of this space are not public yet."))
    adopted = db.session.scalars(ideas_in(space.id, statuses=("adopted", "implemented"))).all()
    return render_template("voting/results.html", space=space, adopted=adopted,
                           pairwise=with_idea_urls(ranking(space, "pairwise")),
                           quadratic=with_idea_urls(ranking(space, "quadratic")))
