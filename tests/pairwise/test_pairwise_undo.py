"""Undo of the last pairwise vote: DELETE /api/spaces/<slug>/pairwise-votes {"pair_id"}."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import PairwiseVote
from app.pairwise import tokens
from app.pairwise.refits import refitter
from app.pairwise.undo import UNDO_SECONDS
from tests.conftest import csrf_token

URL = "/api/spaces/zocalo/pairwise-votes"


@pytest.fixture
def undo(client):
    def delete(payload, **kwargs):
        return client.delete(URL, json=payload, headers={"X-CSRFToken": csrf_token(client)}, **kwargs)
    return delete


def stored() -> list[int]:
    db.session.rollback()
    return db.session.scalars(sa.select(PairwiseVote.id).order_by(PairwiseVote.id)).all()


def test_the_last_vote_is_undone_and_its_pair_can_be_answered_again(api, voting_space, undo):
    pair, voted = api.vote("left")
    response = undo({"pair_id": pair["pair_id"]})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["choice"], body["your_votes"]) == (voted.get_json()["id"], "left", 0)
    assert stored() == []
    again = api.post(URL, {"pair_id": pair["pair_id"], "choice": "right"})
    assert again.status_code == 201 and again.get_json()["choice"] == "right"


def test_the_ranking_no_longer_counts_an_undone_vote(app, api, voting_space, undo):
    """A fit is versioned by the largest vote id, which an undo before someone else's later
    vote leaves as it was: the undo itself must make the fit stale."""
    pair, _ = api.vote("left")
    other = app.test_client()
    later = other.get("/api/spaces/zocalo/pair").get_json()
    assert other.post(URL, json={"pair_id": later["pair_id"], "choice": "left"},
                      headers={"X-CSRFToken": csrf_token(other)}).status_code == 201
    refitter().wait()
    assert api.get("/api/spaces/zocalo/ranking").get_json()["totals"]["votes"] == 2
    assert undo({"pair_id": pair["pair_id"]}).status_code == 200
    assert api.get("/api/spaces/zocalo/ranking").get_json()["totals"]["votes"] == 1


def test_only_the_last_vote_can_be_undone(api, voting_space, undo):
    first, _ = api.vote("left")
    api.vote("right")
    response = undo({"pair_id": first["pair_id"]})
    assert response.status_code == 409 and "last vote" in response.get_json()["error"]
    assert len(stored()) == 2


def test_a_vote_can_be_undone_only_within_seconds(api, voting_space, undo):
    pair, voted = api.vote("tie")
    vote = db.session.get(PairwiseVote, voted.get_json()["id"])
    vote.created_at -= timedelta(seconds=UNDO_SECONDS + 5)
    db.session.commit()
    response = undo({"pair_id": pair["pair_id"]})
    assert response.status_code == 409 and "first 10 seconds" in response.get_json()["error"]
    assert len(stored()) == 1


def test_a_vote_undone_once_is_not_there_the_second_time(api, voting_space, undo):
    pair, _ = api.vote("left")
    assert undo({"pair_id": pair["pair_id"]}).status_code == 200
    response = undo({"pair_id": pair["pair_id"]})
    assert response.status_code == 404 and "no vote on this pair" in response.get_json()["error"]


def test_a_pair_shown_but_not_answered_has_nothing_to_undo(api, voting_space, undo):
    pair = api.get("/api/spaces/zocalo/pair").get_json()
    response = undo({"pair_id": pair["pair_id"]})
    assert response.status_code == 404


def test_someone_elses_vote_cannot_be_undone(app, api, voting_space, undo):
    pair, _ = api.vote("left")
    other = app.test_client()  # another browser: another anonymous voter
    other.get("/api/spaces/zocalo/pair")
    response = other.delete(URL, json={"pair_id": pair["pair_id"]},
                            headers={"X-CSRFToken": csrf_token(other)})
    assert response.status_code == 403 and "someone else" in response.get_json()["error"]
    assert len(stored()) == 1


def test_a_voter_without_a_cookie_cannot_undo(app, api, voting_space):
    pair, _ = api.vote("left")
    stranger = app.test_client()
    response = stranger.delete(URL, json={"pair_id": pair["pair_id"]},
                               headers={"X-CSRFToken": csrf_token(stranger)})
    assert response.status_code == 403
    assert len(stored()) == 1


def test_a_pair_of_another_space_is_refused(api, voting_space, undo, make_space, make_idea):
    other = make_space(slug="alameda")
    for title in ("Fountains", "Benches"):
        make_idea(other, title=title)
    pair, _ = api.vote("left", slug="alameda")
    response = undo({"pair_id": pair["pair_id"]})
    assert response.status_code == 422 and "another space" in response.get_json()["error"]
    assert len(stored()) == 1


def test_a_forged_pair_id_for_this_voter_is_refused(api, voting_space, undo):
    _, voted = api.vote("left")
    vote = db.session.get(PairwiseVote, voted.get_json()["id"])
    forged = tokens.issue(voting_space.id, vote.voter_id, vote.left_idea_id, vote.right_idea_id)  # another nonce
    response = undo({"pair_id": forged})
    assert response.status_code == 404
    assert len(stored()) == 1


@pytest.mark.parametrize("payload, message", [
    ({}, "missing"),
    ({"pair_id": 12}, "missing"),
    ({"pair_id": "made-up"}, "not valid"),
    (["not", "an", "object"], "JSON object"),
])
def test_bad_requests_are_refused(api, voting_space, undo, payload, message):
    api.vote("left")
    response = undo(payload)
    assert response.status_code == 422 and message in response.get_json()["error"]
    assert len(stored()) == 1


def test_no_undo_once_voting_has_closed(api, voting_space, undo):
    pair, _ = api.vote("left")
    voting_space.phase = "closed"
    db.session.commit()
    response = undo({"pair_id": pair["pair_id"]})
    assert response.status_code == 403 and "closed" in response.get_json()["error"]
    assert len(stored()) == 1


def test_an_unknown_space_is_not_found(api, voting_space, undo, client):
    pair, _ = api.vote("left")
    response = client.delete("/api/spaces/nowhere/pairwise-votes", json={"pair_id": pair["pair_id"]},
                             headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 404 and "error" in response.get_json()


def test_undo_needs_the_csrf_header(api, voting_space, client):
    pair, _ = api.vote("left")
    response = client.delete(URL, json={"pair_id": pair["pair_id"]})
    assert response.status_code in (400, 403) and "error" in response.get_json()
    assert len(stored()) == 1
