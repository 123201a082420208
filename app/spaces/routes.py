"""Views of the public pages."""
from __future__ import annotations

from flask import render_template

from app.extensions import db
from app.geo import bounding_box
from app.models import Idea, Space
from app.spaces import bp
from app.spaces.queries import spaces_with_idea_counts


def get_space_or_404(slug: str) -> Space:
    return db.first_or_404(Space.by_slug(slug), description="There is no space at this address.")


@bp.get("/")
def home():
    """The spaces open for ideas, newest first."""
    rows = db.session.execute(spaces_with_idea_counts()).all()
    return render_template("spaces/home.html", rows=rows)


@bp.get("/spaces/<slug>")
def show(slug: str):
    """A space: what it is, where it is, and the ideas residents have pinned on it."""
    space = get_space_or_404(slug)
    ideas = db.session.scalars(Idea.public_in(space.id)).all()
    bounds = bounding_box(space.boundary) if space.boundary else None
    markers = [marker(idea) for idea in ideas if idea.lat is not None]
    return render_template(
        "spaces/show.html", space=space, ideas=ideas, bounds=bounds, markers=markers
    )


def marker(idea: Idea) -> dict:
    """What the map needs of an idea; the title is escaped by the script, not here."""
    return {
        "id": idea.id,
        "title": idea.title,
        "category": idea.category,
        "status": idea.status,
        "lat": idea.lat,
        "lng": idea.lng,
    }
