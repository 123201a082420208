"""The refit job: one fit per space for the whole deployment, stored for every web worker.

Any number of web workers and Celery workers may ask for a refit of a space at once; the
claim on its `stored_fits` row lets one run and the others return at once. The job reads
only the votes since its last read (app/pairwise/vote_reader.py), fits them warm-started
from the stored fit, and writes the new fit and releases the claim in one UPDATE, so a job
killed in between leaves the previous fit in service and its claim runs out.
"""
from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from app.extensions import db
from app.models import PairwiseVote, Space, StoredFit
from app.pairwise.standings import data_version, fit_space
from app.pairwise.stored import encode, read_stored, warm_of
from app.pairwise.vote_reader import keeper
from app.upserts import insert_unless_present

log = logging.getLogger(__name__)

#: This process's name in a claim: which machine and process holds a space's refit.
HOLDER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Refit:
    """What one job did: "stored", "current" (nothing new) or "busy" (another job holds it)."""

    outcome: str
    votes: int = 0
    read_all: bool = False
    seconds: float = 0.0


def claim(space_id: int, lock_seconds: float, holder: str = HOLDER) -> bool:
    """Take the space's refit claim, in a transaction of its own; False if another job holds it."""
    insert_unless_present(StoredFit, {"space_id": space_id}, ["space_id"])
    now = time.time()
    taken = db.session.execute(
        sa.update(StoredFit).where(
            StoredFit.space_id == space_id,
            sa.or_(StoredFit.locked_until.is_(None), StoredFit.locked_until < now))
        .values(locked_by=holder, locked_until=now + lock_seconds)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def release(space_id: int, holder: str = HOLDER) -> None:
    db.session.rollback()
    db.session.execute(
        sa.update(StoredFit).where(StoredFit.space_id == space_id, StoredFit.locked_by == holder)
        .values(locked_by=None, locked_until=None).execution_options(synchronize_session=False))
    db.session.commit()


def refit_space(space_id: int, *, lock_seconds: float = 300.0, full: bool = False,
                holder: str = HOLDER, progress: Callable[[str], None] | None = None) -> Refit:
    """Fit the space's votes and store the fit, unless it is current or another job holds it.

    `full` reads every vote again (the `flask refit` command); otherwise a change of the
    space's data version (hide, merge, deleted vote) is what makes the job read them all.
    """
    if db.session.get(Space, space_id) is None:
        return Refit("gone")
    if not claim(space_id, lock_seconds, holder):
        return Refit("busy")
    try:
        return _refit_claimed(space_id, full, holder, progress or (lambda step: None))
    except BaseException:
        release(space_id, holder)
        raise


def _refit_claimed(space_id: int, full: bool, holder: str, progress: Callable[[str], None]) -> Refit:
    started = time.perf_counter()
    last_vote, version, focus_k = data_version(space_id)
    # populate_existing: the claim was an UPDATE this session did not see; the payload stays unread.
    covers = db.session.get(StoredFit, space_id, populate_existing=True)
    if (not full and covers.has_fit and covers.data_version == version
            and covers.focus_k == focus_k and covers.last_vote_id >= last_vote):
        votes = covers.votes
        release(space_id, holder)
        return Refit("current", votes)
    stored = read_stored(space_id)
    progress("read")
    kept, read_all = keeper.votes(db.session, space_id, version, full=full)
    db.session.commit()  # no transaction stays open while the fit runs
    progress("fit")
    standings = fit_space(space_id, kept.votes, version, focus_k, warm_of(stored),
                          voters=kept.voters.size)
    db.session.commit()
    progress("store")
    seconds = time.perf_counter() - started
    stored_now = db.session.execute(
        sa.update(StoredFit).where(StoredFit.space_id == space_id, StoredFit.locked_by == holder)
        .values(serial=StoredFit.serial + 1, payload=encode(standings),
                last_vote_id=standings.last_vote_id, data_version=version, focus_k=focus_k,
                votes=standings.votes, voters=standings.voters,
                fitted_at=datetime.now(timezone.utc), seconds=seconds,
                locked_by=None, locked_until=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if stored_now != 1:
        log.warning("Refit of space %s took longer than its claim; another job stored its fit", space_id)
        return Refit("busy")
    return Refit("stored", standings.votes, read_all, seconds)


def spaces_behind() -> list[int]:
    """Spaces whose stored fit misses votes, an idea change or the focus: for the sweep."""
    newest = (sa.select(sa.func.max(PairwiseVote.id)).where(PairwiseVote.space_id == Space.id)
              .scalar_subquery())
    return list(db.session.scalars(
        sa.select(Space.id).outerjoin(StoredFit, StoredFit.space_id == Space.id).where(
            sa.or_(StoredFit.space_id.is_(None), StoredFit.fitted_at.is_(None),
                   StoredFit.data_version != Space.data_version, StoredFit.focus_k != Space.focus_k,
                   sa.func.coalesce(newest, 0) > StoredFit.last_vote_id))
        .order_by(Space.id)))
