"""Spaces in the JSON API."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify

from app.api import bp
from app.extensions import db
from app.models import Space


def space_json(space: Space) -> dict:
    return {"id": space.id, "slug": space.slug, "name": space.name, "phase": space.phase}


@bp.get("/spaces")
def list_spaces():
    """Every space, newest first."""
    spaces = db.session.scalars(sa.select(Space).order_by(Space.created_at.desc(), Space.id.desc()))
    return jsonify([space_json(s) for s in spaces])
