"""Web workers' side of the fits: serve the stored fit, and ask the refit job for a new one.

No web worker fits a space. Each keeps the stored fit it last read per space and, on each
read, checks with one small query whether a newer one was stored or the space's ideas
changed; only then does it read the payload (app/pairwise/stored.py).

Asking for a refit is `jobs.submit("plaza.refit_space", space_id)`. A worker asks after K
new votes (at least a share, PLAZA_REFIT_EVERY_SHARE, of the votes fitted, so a large space
is not refit every 20 votes) and after an idea change. The time-based refit is the beat
sweep's (`plaza.refit_due` every PLAZA_REFIT_EVERY_SECONDS) with a broker, so refit work
does not grow with the number of web workers; without one (the demo) the web process asks
itself, and the job runs in its background thread.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
import time
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import jobs
from app.core.events import subscribe
from app.extensions import db
from app.ideas.events import StaffChange
from app.pairwise.refit_job import Refit, refit_space
from app.pairwise.standings import Standings, data_version
from app.pairwise.stored import head, read_stored, serve
from app.spaces.events import SpaceChanged

_VOTES_TO_NOTE = "plaza_votes_to_note"
REFIT_TASK = "plaza.refit_space"


@dataclass(frozen=True)
class Served:
    """A worker's copy of a stored fit, good while the serial and the space's version hold."""

    serial: int | None
    data_version: int
    focus_k: int
    standings: Standings


class Refitter:
    """Per app: the stored fit served for each space, and when to ask for the next one."""

    def __init__(self, app: Flask):
        self.app = app
        self.every_votes: int = app.config["PLAZA_REFIT_EVERY_VOTES"]
        self.every_seconds: float = app.config["PLAZA_REFIT_EVERY_SECONDS"]
        self.every_share: float = app.config["PLAZA_REFIT_EVERY_SHARE"]
        self._served: dict[int, Served] = {}
        self._new_votes: dict[int, int] = {}
        self._asked_at: dict[int, float] = {}
        self._lock = threading.Lock()

    @property
    def queued(self) -> bool:
        """True when jobs go to a Celery worker (and beat keeps the refit interval)."""
        return bool(self.app.config["CELERY_BROKER_URL"])

    def current(self, space_id: int) -> Standings:
        """The stored fit, over today's ideas; asks for a refit when it is behind them."""
        now = head(space_id)
        served = self._served.get(space_id)
        if served is None or (served.serial, served.data_version, served.focus_k) != (
                now.serial, now.data_version, now.focus_k):
            stored = read_stored(space_id) if now.serial is not None else None
            served = Served(now.serial, now.data_version, now.focus_k,
                            serve(space_id, stored, now.focus_k))
            with self._lock:
                self._served[space_id] = served
        standings = served.standings
        if standings.ideas_version != now.data_version or standings.top_k.status.k != now.focus_k:
            self.ask(space_id, again_after=self.every_seconds)
        elif not self.queued and self._new_votes.get(space_id) and self._due(space_id):
            self.ask(space_id)  # the demo's interval: votes noted since the last refit
        return standings

    def fresh(self, space_id: int) -> Standings:
        """For the ranking: without a broker, wait for the in-process job to catch up; with
        one, the stored fit, at most a refit interval behind."""
        standings = self.current(space_id)
        if self.queued or standings.version == data_version(space_id):
            return standings
        self.ask(space_id)
        self.wait()
        return self.current(space_id)

    def note_vote(self, space_id: int) -> None:
        with self._lock:
            self._new_votes[space_id] = self._new_votes.get(space_id, 0) + 1
            due = self._new_votes[space_id] >= self.votes_between_refits(space_id)
        if due or (not self.queued and self._due(space_id)):
            self.ask(space_id)

    def votes_between_refits(self, space_id: int) -> int:
        served = self._served.get(space_id)
        return max(self.every_votes, int(self.every_share * (served.standings.votes if served else 0)))

    def _due(self, space_id: int) -> bool:
        return time.monotonic() - self._asked_at.get(space_id, float("-inf")) >= self.every_seconds

    def ask(self, space_id: int, again_after: float = 0.0) -> None:
        """Submit a refit job for the space (at most once per `again_after` seconds)."""
        with self._lock:
            now = time.monotonic()
            if now - self._asked_at.get(space_id, float("-inf")) < again_after:
                return
            self._asked_at[space_id] = now
            self._new_votes[space_id] = 0
        if has_app_context():
            jobs.submit(REFIT_TASK, space_id)
        else:
            with self.app.app_context():
                jobs.submit(REFIT_TASK, space_id)

    def forget(self, space_id: int) -> None:
        """The space's ideas or settings changed: serve them at once, and refit for them."""
        with self._lock:
            self._served.pop(space_id, None)
        self.ask(space_id)

    def wait(self) -> None:
        """Block until the jobs run in this process are done (tests, the demo's ranking)."""
        jobs.wait(self.app)


def refitter() -> Refitter:
    return current_app.extensions["plaza_refitter"]


def run_refit(space_id: int, full: bool = False,
              progress: Callable[[str], None] | None = None) -> Refit:
    """The refit job's body, with this app's claim timeout (PLAZA_REFIT_LOCK_SECONDS)."""
    return refit_space(space_id, lock_seconds=current_app.config["PLAZA_REFIT_LOCK_SECONDS"],
                       full=full, progress=progress)


def note_vote_on_commit(space_id: int) -> None:
    """Count a stored vote once its transaction commits.

    A refit asked for before the commit would read the votes without this one and, being
    the Kth, the vote would then wait for K more before any fit saw it.
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
def _refit_after_staff_change(event: StaffChange) -> None:
    """Published, hidden, decided or merged: pairs must not show what changed."""
    refitter().forget(event.space_id)


@subscribe(SpaceChanged)
def _refit_after_new_focus(event: SpaceChanged) -> None:
    """A new "focus on the top K" changes the chances and the pairs: fit again for it."""
    if event.before.get("focus_k") != event.after.get("focus_k"):
        refitter().forget(event.space_id)


def register(app: Flask) -> None:
    app.config.setdefault("PLAZA_REFIT_EVERY_VOTES", 20)
    app.config.setdefault("PLAZA_REFIT_EVERY_SHARE", 0.02)
    app.extensions["plaza_refitter"] = Refitter(app)
