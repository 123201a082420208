"""A voter answers each pair of ideas once, whatever pair ids they hold: the database decides."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea, PairwiseVote, Space
from app.ideas.merging import merge_ideas
from app.voters import voter_id_for_anon_key
from app.pairwise import tokens
from app.pairwise.service import AlreadyCompared, record_vote
from tests.conftest import JOIN_TIMEOUT_S, csrf_token, run_threads

THREADS = 8
HOLD_S = 0.05


@pytest.fixture
def plaza(make_space, make_idea) -> tuple[Space, list[Idea]]:
    space = make_space(slug="zocalo", name="Zócalo", phase="voting")
    ideas = [make_idea(space, title=t) for t in ("Shade trees", "Benches", "Fountains", "Lights")]
    return space, ideas


def votes_of(voter_id: int) -> list[PairwiseVote]:
    return db.session.scalars(sa.select(PairwiseVote).where(PairwiseVote.voter_id == voter_id)
                              .order_by(PairwiseVote.id)).all()


def test_a_second_pair_id_for_the_same_ideas_gets_409_with_the_first_vote(client, plaza):
    space, ideas = plaza
    first = client.get("/api/spaces/zocalo/pair").get_json()
    headers = {"X-CSRFToken": csrf_token(client)}
    stored = client.post("/api/spaces/zocalo/pairwise-votes", json={"pair_id": first["pair_id"], "choice": "left"},
                         headers=headers)
    assert stored.status_code == 201
    token = tokens.read(first["pair_id"])
    # The same two ideas again, shown the other way round under a new pair id.
    again = tokens.issue(space.id, token.voter_id, token.right_id, token.left_id)
    refused = client.post("/api/spaces/zocalo/pairwise-votes", json={"pair_id": again, "choice": "left"},
                          headers=headers)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["error"] == "You have already compared these two ideas."
    assert body["vote"]["id"] == stored.get_json()["id"] and body["vote"]["choice"] == "left"
    assert len(votes_of(token.voter_id)) == 1


def test_eight_pair_ids_for_one_pair_sent_at_once_store_one_vote(app, postgresql, plaza):
    space, ideas = plaza
    voter_id = voter_id_for_anon_key("many-tabs")
    pair_ids = [tokens.issue(space.id, voter_id, ideas[0].id, ideas[1].id) for _ in range(THREADS // 2)]
    pair_ids += [tokens.issue(space.id, voter_id, ideas[1].id, ideas[0].id) for _ in range(THREADS // 2)]
    db.session.commit()
    start = threading.Barrier(THREADS)

    def send(k: int):
        here = db.session.get(Space, space.id)
        start.wait(timeout=JOIN_TIMEOUT_S)
        try:
            vote, created = record_vote(here, voter_id, pair_ids[k], "left", None)
        except AlreadyCompared as exc:
            return "refused", exc.vote.id
        time.sleep(HOLD_S)  # the winner holds its transaction while the others arrive
        db.session.commit()
        return ("stored" if created else "replay"), vote.id

    results = run_threads(app, send, THREADS)
    assert sorted(outcome for outcome, _id in results) == ["refused"] * (THREADS - 1) + ["stored"], results
    stored = votes_of(voter_id)
    assert len(stored) == 1 and {vote_id for _outcome, vote_id in results} == {stored[0].id}


def test_a_tablet_sending_two_pair_ids_for_one_pair_counts_once(app, plaza, make_user):
    from datetime import datetime, timedelta, timezone

    from app.models.facilitation import FacilitatedSession
    from app.sessions.participants import create_participant, participant_token
    from app.sessions.pins import hash_pin

    space, ideas = plaza
    now = datetime.now(timezone.utc)
    session = FacilitatedSession(
        space_id=space.id, facilitator_id=make_user(role="facilitator").id, name="Taller", place="",
        mode="pairwise", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
        timezone="UTC", collect_ideas=False, idle_seconds=120, join_code="K7PQ2M",
        pin_hash=hash_pin("4826", iterations=1000))
    db.session.add(session)
    db.session.flush()
    participant = create_participant(session, "kiosk")
    db.session.commit()
    items = [{"key": f"vote-key-{n}", "kind": "vote", "participant": participant_token(participant),
              "pair_id": tokens.issue(space.id, participant.voter_id, *pair), "choice": "left"}
             for n, pair in enumerate([(ideas[0].id, ideas[1].id), (ideas[1].id, ideas[0].id)])]
    client = app.test_client()
    response = client.post("/api/sessions/K7PQ2M/sync", json={"items": items},
                           headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["saved", "duplicate"]
    assert len(votes_of(participant.voter_id)) == 1


def test_merging_leaves_both_votes_of_a_voter_who_compared_both_duplicates_with_the_same_idea(app, plaza):
    """The duplicate's votes stay on it, uncounted (app/ideas/merging.py): no second vote on
    (kept, other) is ever made, so the one-vote-per-pair index has nothing to refuse."""
    space, (kept, duplicate, other, _) = plaza
    voter_id = voter_id_for_anon_key("thorough")
    db.session.add_all([
        PairwiseVote(space_id=space.id, voter_id=voter_id, left_idea_id=kept.id, right_idea_id=other.id,
                     choice="left", pair_key="p-kept"),
        PairwiseVote(space_id=space.id, voter_id=voter_id, left_idea_id=other.id,
                     right_idea_id=duplicate.id, choice="left", pair_key="p-dup"),
    ])
    db.session.commit()
    merge_ideas(kept, duplicate, None)
    db.session.commit()
    stored = votes_of(voter_id)
    assert sorted(v.pair_key for v in stored) == ["p-dup", "p-kept"]
    assert next(v for v in stored if v.pair_key == "p-dup").right_idea_id == duplicate.id
