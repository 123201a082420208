"""Addresses of things, shared by every page and JSON answer that names them."""
from flask import url_for


def idea_url(space_slug: str, idea_id: int) -> str:
    return url_for("ideas.show", slug=space_slug, idea_id=idea_id)


def with_idea_urls(table: dict) -> dict:
    """A ranking (app/results/ranking.py) as the pages and the API show it: each row with
    the address of its idea."""
    for row in table["ideas"]:
        row["url"] = idea_url(table["space"], row["id"])
    return table
