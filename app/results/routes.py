"""The results page: both rankings in plain words, and what the city adopted."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.ideas.queries import ideas_in
from app.lookups import get_space_or_404
from app.results import bp
from app.results.districts import district_results, titles_of
from app.results.ranking import METHODS, ranking
from app.urls import with_idea_urls
from app.web.permissions import require


@bp.get("/spaces/<slug>/ranking")
def ranking_page(slug: str):
    return redirect(url_for("results.page", slug=slug), 301)


@bp.get("/spaces/<slug>/results")
def page(slug: str):
    """Both rankings explained in plain words, and what the city adopted."""
    space = get_space_or_404(slug)
    require("view_results", space, _("The results of this space are not public yet."))
    adopted = db.session.scalars(ideas_in(space.id, statuses=("adopted", "implemented"))).all()
    districts = {method: district_results(space, method) for method in METHODS if space.counts_method(method)}
    return render_template("results/page.html", space=space, adopted=adopted,
                           pairwise=with_idea_urls(ranking(space, "pairwise")),
                           quadratic=with_idea_urls(ranking(space, "quadratic")),
                           districts=districts, district_titles=titles_of(districts.values()))
