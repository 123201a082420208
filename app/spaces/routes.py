"""Views of the public pages: the list of spaces and each space's map with its ideas."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from app.extensions import db
from app.geo import bounding_box
from app.ideas.queries import ideas_in, status_counts
from app.lookups import get_space_or_404, viewer_is_staff
from app.models.idea import PUBLIC_STATUSES
from app.spaces import bp
from app.spaces.phases import phase_label
from app.spaces.queries import spaces_with_idea_counts

IDEAS_PER_PAGE = 50
STAFF_STATUSES = ("pending", "hidden")
bp.add_app_template_filter(phase_label, "phase_label")


@bp.get("/")
def home():
    """The spaces open for ideas, newest first."""
    rows = db.session.execute(spaces_with_idea_counts()).all()
    return render_template("spaces/home.html", rows=rows)


@bp.get("/favicon.ico")
def favicon():
    """For clients that ask for /favicon.ico without reading the page's icon link."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/spaces/<slug>")
def show(slug: str):
    """A space: its map and the list beside it, filtered together by category and status."""
    space = get_space_or_404(slug)
    is_staff = viewer_is_staff()
    statuses = PUBLIC_STATUSES + (STAFF_STATUSES if is_staff else ())
    category = request.args.get("category", "")
    category = category if category in space.categories else ""
    status = request.args.get("status", "")
    status = status if status in statuses else ""
    page = db.paginate(
        ideas_in(space.id, statuses=(status,) if status else PUBLIC_STATUSES,
                 category=category or None),
        per_page=IDEAS_PER_PAGE, max_per_page=IDEAS_PER_PAGE, error_out=False,
    )
    counts = dict(db.session.execute(status_counts(space.id)).all())
    return render_template(
        "spaces/show.html", space=space, page=page, category=category, status=status,
        statuses=statuses, counts=counts, is_staff=is_staff,
        public_total=sum(counts.get(s, 0) for s in PUBLIC_STATUSES),
        bounds=bounding_box(space.boundary) if space.boundary else None,
    )
