"""When to refit: in the background after K new votes or T seconds, never in a voter's request.

A refit reads and fits every vote of the space, so its cost grows with the space: K is
at least a share (PLAZA_REFIT_EVERY_SHARE, 2%) of the votes already fitted, or a space
with 100,000 votes would spend most of its CPU refitting every 20 votes.

Each process keeps the latest Standings per space. A vote request only stores the vote and
tells this registry; a pair request reads whatever fit is current. Several gunicorn workers
each refit on their own clock, reading all votes from the database, so none lags behind
by more than T seconds.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.events import subscribe
from app.extensions import db
from app.ideas.events import StaffChange
from app.spaces.events import SpaceChanged
from app.pairwise.standings import Standings, data_version, fit_space

log = logging.getLogger(__name__)

_VOTES_TO_NOTE = "plaza_votes_to_note"


class Refitter:
    """Per-app registry of fits with one background worker thread."""

    def __init__(self, app: Flask):
        self.app = app
        self.every_votes: int = app.config["PLAZA_REFIT_EVERY_VOTES"]
        self.every_seconds: float = app.config["PLAZA_REFIT_EVERY_SECONDS"]
        self.every_share: float = app.config["PLAZA_REFIT_EVERY_SHARE"]
        self._standings: dict[int, Standings] = {}
        self._new_votes: dict[int, int] = {}
        self._fitted_at: dict[int, float] = {}
        self._running: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plaza-refit")

    def current(self, space_id: int) -> Standings:
        """The latest fit; the first call for a space fits at once (a small cost, once)."""
        standings = self._standings.get(space_id)
        if standings is None:
            standings = self.refit_now(space_id)
        elif self._due(space_id):
            self.refit_soon(space_id)
        return standings

    def fresh(self, space_id: int) -> Standings:
        """A fit of every stored vote and idea: for the ranking, where a short wait is fine."""
        standings = self._standings.get(space_id)
        if standings is None or standings.version != data_version(space_id):
            return self.refit_now(space_id)
        return standings

    def note_vote(self, space_id: int) -> None:
        with self._lock:
            self._new_votes[space_id] = self._new_votes.get(space_id, 0) + 1
            due = self._new_votes[space_id] >= self.votes_between_refits(space_id)
        if due or self._due(space_id):
            self.refit_soon(space_id)

    def votes_between_refits(self, space_id: int) -> int:
        fitted = self._standings.get(space_id)
        return max(self.every_votes, int(self.every_share * (fitted.votes if fitted else 0)))

    def _due(self, space_id: int) -> bool:
        return time.monotonic() - self._fitted_at.get(space_id, 0.0) >= self.every_seconds

    def refit_now(self, space_id: int) -> Standings:
        with self._lock:
            self._new_votes[space_id] = 0
        standings = fit_space(space_id, self._standings.get(space_id))
        self._store(standings)
        return standings

    def refit_soon(self, space_id: int) -> Future | None:
        """Queue one background refit per space; a refit already queued covers new votes."""
        with self._lock:
            running = self._running.get(space_id)
            if running is not None and not running.done():
                return running
            self._new_votes[space_id] = 0
            future = self._executor.submit(self._refit_in_background, space_id)
            self._running[space_id] = future
            return future

    def _refit_in_background(self, space_id: int) -> None:
        with self.app.app_context():
            try:
                self._store(fit_space(space_id, self._standings.get(space_id)))
            except Exception:  # a failed refit keeps the last good fit in service
                log.exception("Background refit of space %s failed", space_id)

    def _store(self, standings: Standings) -> None:
        with self._lock:
            previous = self._standings.get(standings.space_id)
            if previous is None or standings.last_vote_id >= previous.last_vote_id:
                self._standings[standings.space_id] = standings
                self._fitted_at[standings.space_id] = time.monotonic()

    def forget(self, space_id: int) -> None:
        """Drop a space's fit, e.g. after ideas were published, hidden or merged."""
        with self._lock:
            self._standings.pop(space_id, None)
            self._fitted_at.pop(space_id, None)

    def wait(self) -> None:
        """Block until queued refits are done (tests and benchmarks)."""
        for future in list(self._running.values()):
            future.result()


def refitter() -> Refitter:
    return current_app.extensions["plaza_refitter"]


def note_vote_on_commit(space_id: int) -> None:
    """Count a stored vote once its transaction commits.

    A refit queued before the commit would read the votes without this one and, being the
    Kth, the vote would then wait for K more before any fit saw it.
    """
    db.session().info.setdefault(_VOTES_TO_NOTE, []).append(space_id)


@event.listens_for(Session, "after_commit")
def _note_committed_votes(session: Session) -> None:
    for space_id in session.info.pop(_VOTES_TO_NOTE, ()):
        refitter().note_vote(space_id)


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back_votes(session: Session) -> None:
    session.info.pop(_VOTES_TO_NOTE, None)


@subscribe(StaffChange)
def _forget_after_staff_change(event: StaffChange) -> None:
    """Published, hidden, decided or merged: pairs must not show what changed."""
    refitter().forget(event.space_id)


def register(app: Flask) -> None:
    app.config.setdefault("PLAZA_REFIT_EVERY_VOTES", 20)
    app.config.setdefault("PLAZA_REFIT_EVERY_SECONDS", 10.0)
    app.config.setdefault("PLAZA_REFIT_EVERY_SHARE", 0.02)
    app.extensions["plaza_refitter"] = Refitter(app)


@subscribe(SpaceChanged)
def _forget_after_new_focus(event: SpaceChanged) -> None:
    """A new "focus on the top K" changes the chances and the pairs: fit again for it."""
    if event.before.get("focus_k") != event.after.get("focus_k"):
        refitter().forget(event.space_id)
