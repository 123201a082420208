"""Saves of one voter's ballot at the same moment (two tabs, a double tap) never mix.

Runs on PostgreSQL, where the ballot row lock (taken by the ballot's upsert) is what keeps
them apart. SQLite takes no row locks (it allows one writer at a time and refuses the others
with "database is locked"), so there these tests are skipped; the same suite runs on
PostgreSQL in CI.
"""
from __future__ import annotations

import os
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import QVAllocation, QVBallot, Space
from app.qv.ballots import save_ballot
from app.qv.budget import ballot_cost
from app.voters import voter_id_for_user
from tests.conftest import JOIN_TIMEOUT_S, run_threads

THREADS = 8
#: How long a save keeps its transaction open after writing: long enough for the other
#: threads to reach their own writes, so any missing lock would show as a mixed ballot.
HOLD_S = 0.05


@pytest.fixture(autouse=True)
def postgresql_reachable():
    """When TEST_DATABASE_URL names a server, fail loudly if it cannot be reached."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        engine.connect().close()
    except OperationalError as exc:
        pytest.fail(f"TEST_DATABASE_URL is set but PostgreSQL is unreachable at {url}: {exc}")
    finally:
        engine.dispose()


@pytest.fixture
def setting(postgresql, make_space, make_idea, make_user):
    """A space with eight ideas and one voter: (space id, idea ids, voter id)."""
    space = make_space(slug="busy", qv_budget=100)
    idea_ids = [make_idea(space, title=f"Idea {k}").id for k in range(THREADS)]
    voter_id = voter_id_for_user(make_user().id)
    db.session.commit()
    return space.id, idea_ids, voter_id


def stored_ballots(space_id: int, voter_id: int) -> list[tuple[int, int, dict[int, int]]]:
    """Every ballot row of the voter in the space: (credits_used, budget, allocations)."""
    db.session.expire_all()
    ballots = db.session.scalars(sa.select(QVBallot).where(
        QVBallot.space_id == space_id, QVBallot.voter_id == voter_id)).all()
    return [(b.credits_used, b.budget, {a.idea_id: a.votes for a in b.allocations})
            for b in ballots]


@pytest.mark.parametrize("ballot_exists", [False, True], ids=["first-save", "resave"])
def test_eight_simultaneous_saves_leave_one_whole_ballot(app, setting, ballot_exists):
    space_id, idea_ids, voter_id = setting
    if ballot_exists:
        save_ballot(db.session.get(Space, space_id), voter_id, {str(idea_ids[0]): 1})
        db.session.commit()
    # Each ballot spends the whole budget on two ideas of its own (8² + 6² = 100), so
    # any two mixed together would be over budget and match none of them.
    ballots = [{idea_ids[k]: 8, idea_ids[(k + 1) % THREADS]: 6} for k in range(THREADS)]
    start = threading.Barrier(THREADS)

    def save(k: int) -> str:
        space = db.session.get(Space, space_id)
        start.wait(timeout=JOIN_TIMEOUT_S)
        save_ballot(space, voter_id, {str(i): n for i, n in ballots[k].items()})
        time.sleep(HOLD_S)
        db.session.commit()
        return "saved"

    results = run_threads(app, save, THREADS)
    assert results == ["saved"] * THREADS
    [(credits_used, budget, allocations)] = stored_ballots(space_id, voter_id)
    assert allocations in ballots
    assert credits_used == ballot_cost(allocations) == 100 <= budget


def test_a_second_save_waits_for_the_first_to_commit(app, setting):
    space_id, idea_ids, voter_id = setting
    # The ballot row exists already, so only its row lock can make the second save wait.
    save_ballot(db.session.get(Space, space_id), voter_id, {str(idea_ids[2]): 1})
    db.session.commit()
    first_written, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def save(k: int) -> str:
        space = db.session.get(Space, space_id)
        if k == 0:
            save_ballot(space, voter_id, {str(idea_ids[0]): 10})
            first_written.set()
            assert release.wait(JOIN_TIMEOUT_S)
        else:
            assert first_written.wait(JOIN_TIMEOUT_S)
            save_ballot(space, voter_id, {str(idea_ids[1]): 10})
            second_done.set()
        db.session.commit()
        return "saved"

    waiter = threading.Thread(target=lambda: (first_written.wait(JOIN_TIMEOUT_S), time.sleep(0.5),
                                              release.set()))
    waiter.start()
    blocked_while_first_open = []

    def watch(_k: int) -> None:
        first_written.wait(JOIN_TIMEOUT_S)
        time.sleep(0.4)  # the second save has had time to run, unless it is waiting on the lock
        blocked_while_first_open.append(not second_done.is_set() and not release.is_set())

    watcher = threading.Thread(target=watch, args=(0,))
    watcher.start()
    results = run_threads(app, save, 2)
    waiter.join(JOIN_TIMEOUT_S)
    watcher.join(JOIN_TIMEOUT_S)
    assert results == ["saved", "saved"]
    assert blocked_while_first_open == [True]
    assert stored_ballots(space_id, voter_id) == [(100, 100, {idea_ids[1]: 10})]
    total = db.session.scalar(sa.select(sa.func.count()).select_from(QVAllocation))
    assert total == 1
