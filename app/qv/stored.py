"""The quadratic standings of a space, computed once per change of its data and stored.

The bootstrap interval costs up to seconds in a large space. Every web worker reads the
standings stored in `stored_standings`; the job `plaza.quadratic_standings` computes them,
or, with no broker (the demo), the request that finds them behind does it inline. Their key
names the ballots and ideas they were computed from, read before that data: a ballot saved
in between costs one more computation, never a stale answer stored under the new key.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import Space, StoredStandings
from app.models.versions import ballots_version, space_version
from app.qv.standings import quadratic_standings
from app.upserts import dialect_insert

log = logging.getLogger(__name__)

Computed = tuple[list[dict[str, Any]], dict[str, Any]]


def standings_key(space_id: int) -> str:
    """"<data version>:<ballots>:<sum of their revisions>": changes with every saved ballot
    and every change to the space's ideas."""
    version = db.session.scalar(space_version(space_id))
    ballots, revisions = db.session.execute(ballots_version(space_id)).one()
    return f"{version}:{ballots}:{revisions}"


def read_standings(space_id: int, key: str | None = None) -> Computed | None:
    """The stored standings computed for `key`, or the latest ones whatever they cover."""
    query = sa.select(StoredStandings.rows, StoredStandings.totals).where(StoredStandings.space_id == space_id)
    if key is not None:
        query = query.where(StoredStandings.key == key)
    row = db.session.execute(query).first()
    return None if row is None else (row.rows, row.totals)


def compute_standings(space_id: int) -> Computed | None:
    """Compute the space's standings and store them (None if the space is gone).

    They are written on a connection of their own, so a request that computes them does not
    commit its own unit of work; if the database cannot take the write now (SQLite busy with
    another writer), the standings are still returned and the next reader computes them again.
    """
    key = standings_key(space_id)
    space = db.session.get(Space, space_id)
    if space is None:
        return None
    started = time.perf_counter()
    rows, totals = quadratic_standings(space)
    values = {"key": key, "rows": rows, "totals": totals, "computed_at": datetime.now(timezone.utc),
              "seconds": time.perf_counter() - started}
    insert = dialect_insert(StoredStandings).values(space_id=space_id, **values)
    try:
        with db.engine.begin() as connection:
            connection.execute(insert.on_conflict_do_update(index_elements=["space_id"], set_=values))
    except sa.exc.OperationalError:
        log.warning("Could not store the quadratic standings of space %s now", space_id, exc_info=True)
    return rows, totals


def refresh_standings(space_id: int) -> str:
    """The job's body: "current" if the stored standings cover today's data, else "stored"."""
    if read_standings(space_id, standings_key(space_id)) is not None:
        return "current"
    return "stored" if compute_standings(space_id) is not None else "gone"
