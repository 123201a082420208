"""Addresses of things, shared by every page and JSON answer that names them."""
from flask import url_for


def idea_url(space_slug: str, idea_id: int) -> str:
    return url_for("ideas.show", slug=space_slug, idea_id=idea_id)
