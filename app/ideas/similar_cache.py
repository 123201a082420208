"""One similarity index per space, rebuilt only when the space's public ideas change.

Building an index for 10,000 ideas takes a noticeable moment, while the hint is asked for on
every pause in typing; so each process keeps the last index of each space.
"""
from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.ideas.similarity import SimilarityIndex, build_index
from app.models import Idea
from app.models.idea import PUBLIC_STATUSES
from app.models.versions import space_version

SUGGESTIONS = 3
_lock = threading.Lock()
Cached = tuple[int, SimilarityIndex, dict[int, str]]


def _indexes() -> dict[int, Cached]:
    """Per app, so two apps (tests, several databases) never share an index."""
    return current_app.extensions.setdefault("plaza_similarity", {})


def _load(space_id: int) -> tuple[SimilarityIndex, dict[int, str]]:
    rows = db.session.execute(
        sa.select(Idea.id, Idea.title, Idea.body)
        .where(Idea.space_id == space_id, Idea.status.in_(PUBLIC_STATUSES))
    ).all()
    index = build_index([(id_, title, body) for id_, title, body in rows])
    return index, {id_: title for id_, title, _ in rows}


def similar_ideas(space_id: int, title: str, body: str = "") -> list[tuple[int, str, float]]:
    """(id, title, score) of the public ideas most like this title and body, best first."""
    if not (title.strip() or body.strip()):
        return []
    version = db.session.scalar(space_version(space_id))
    indexes = _indexes()
    with _lock:
        cached = indexes.get(space_id)
    if cached is None or cached[0] != version:
        index, titles = _load(space_id)
        with _lock:
            indexes[space_id] = (version, index, titles)
    else:
        _, index, titles = cached
    return [(id_, titles[id_], score) for id_, score in index.query(title, k=SUGGESTIONS, body=body)]
