"""Rankings in the JSON API: ?method=pairwise|quadratic, one row format for both."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import gettext as _

from app.api import bp
from app.lookups import get_space_or_404
from app.urls import with_idea_urls
from app.results.ranking import METHODS, ranking
from app.web.permissions import require


@bp.get("/spaces/<slug>/ranking")
def get_ranking(slug: str):
    space = get_space_or_404(slug)
    require("view_results", space, _("The results of this space are not public yet."))
    method = request.args.get("method", "pairwise")
    if method not in METHODS:
        abort(422, description=_("method must be 'pairwise' or 'quadratic'."))
    return jsonify(with_idea_urls(ranking(space, method)))
