"""The same vote sent several times at once (a kiosk resending its outbox, a double tap) is
stored once: the vote's insert waits for the other one on its pair id and then finds it."""
from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, Space
from app.voters import voter_id_for_anon_key
from app.pairwise import tokens
from app.pairwise.service import record_vote
from tests.conftest import JOIN_TIMEOUT_S, run_threads

THREADS = 8
HOLD_S = 0.05  # the winner keeps its transaction open while the others send theirs


def test_eight_copies_of_one_vote_at_once_are_stored_once(app, postgresql, voting_space):
    voter_id = voter_id_for_anon_key("double-tapper")
    left, right = db.session.scalars(sa.select(Idea.id).where(Idea.space_id == voting_space.id).limit(2))
    pair_id = tokens.issue(voting_space.id, voter_id, left, right)
    db.session.commit()
    start = threading.Barrier(THREADS)

    def send(k: int) -> tuple[int, bool]:
        here = db.session.get(Space, voting_space.id)
        start.wait(timeout=JOIN_TIMEOUT_S)
        vote, created = record_vote(here, voter_id, pair_id, "left", None)
        time.sleep(HOLD_S)
        db.session.commit()
        return vote.id, created

    results = run_threads(app, send, THREADS)
    assert all(isinstance(r, tuple) for r in results), results  # no refusal, no error
    assert sorted(created for _id, created in results) == [False] * (THREADS - 1) + [True]
    stored = db.session.scalars(sa.select(PairwiseVote.id).where(PairwiseVote.voter_id == voter_id)).all()
    assert len(stored) == 1 and {vote_id for vote_id, _created in results} == set(stored)
