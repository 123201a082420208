"""The pairwise API: pairs, votes, replays, forgeries, closed spaces."""
import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from app.extensions import db
from app.models import PairwiseVote, Voter


def vote_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(PairwiseVote.id)))


def test_pair_has_two_different_ideas_of_the_space(api, voting_space):
    response = api.get("/api/spaces/zocalo/pair")
    assert response.status_code == 200
    pair = response.get_json()
    assert set(pair) == {"pair_id", "left", "right", "your_votes"}
    assert pair["left"]["id"] != pair["right"]["id"]
    assert isinstance(pair["left"]["id"], int)
    assert pair["left"]["url"] == f"/spaces/zocalo/ideas/{pair['left']['id']}"
    assert pair["your_votes"] == 0


def test_anonymous_vote_is_stored_for_a_cookie_voter(api, voting_space):
    pair, response = api.vote("left")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["choice"], body["left_id"], body["right_id"], body["your_votes"]) == (
        "left", pair["left"]["id"], pair["right"]["id"], 1)
    voter = db.session.scalar(sa.select(Voter))
    assert voter.user_id is None and voter.anon_key


def test_logged_in_vote_is_linked_to_the_account(api, voting_space, make_user, login):
    user = make_user()
    login(user)
    api.vote("right")
    assert db.session.scalar(sa.select(Voter.user_id)) == user.id


def test_never_the_same_pair_twice_until_exhausted(api, voting_space):
    seen = set()
    for _ in range(6):  # 4 ideas: 6 pairs
        pair, response = api.vote("tie")
        assert response.status_code == 201
        key = frozenset((pair["left"]["id"], pair["right"]["id"]))
        assert key not in seen
        seen.add(key)
    response = api.get("/api/spaces/zocalo/pair")
    assert response.status_code == 404
    assert "compared every pair" in response.get_json()["error"]


def ideas_of(pair: dict) -> frozenset[int]:
    return frozenset((pair["left"]["id"], pair["right"]["id"]))


def draw_with_pending(api, count: int) -> list[frozenset[int]]:
    """`count` pairs, each asked for with the earlier ones pending (votes on their way):
    every draw has another pair to avoid, where asking again with the same seed and the
    same state would only draw the same pair again."""
    pending, drawn = [], []
    for _ in range(count):
        pair = api.get("/api/spaces/zocalo/pair", query_string={"pending": pending}).get_json()
        assert ideas_of(pair) not in drawn, f"{ideas_of(pair)} offered again while pending"
        pending.append(pair["pair_id"])
        drawn.append(ideas_of(pair))
    return drawn


@pytest.mark.parametrize("seed", [1234, 7, 99])
def test_pending_pair_is_not_offered_again(app, api, voting_space, seed):
    app.config["PLAZA_PAIR_SEED"] = seed
    assert len(set(draw_with_pending(api, 6))) == 6  # all 6 pairs of the 4 ideas, each once


def test_skip_with_reason(api, voting_space):
    _, response = api.vote("skip", "dont_know")
    assert response.status_code == 201
    assert db.session.scalar(sa.select(PairwiseVote.skip_reason)) == "dont_know"


def test_replay_is_counted_once_and_answers_the_original(api, voting_space):
    pair, first = api.vote("left")
    again = api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": pair["pair_id"], "choice": "right"})
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["choice"] == "left"
    assert vote_count() == 1


def test_same_pair_under_a_second_pair_id_is_refused(api, voting_space):
    from app.pairwise import tokens

    pair, first = api.vote("left")
    body = first.get_json()
    voter_id = db.session.scalar(sa.select(PairwiseVote.voter_id))
    second_id = tokens.issue(voting_space.id, voter_id, body["right_id"], body["left_id"])  # a second tab
    response = api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": second_id, "choice": "right"})
    assert response.status_code == 409 and "already compared" in response.get_json()["error"]
    assert vote_count() == 1


def test_cookie_voter_missing_from_the_database_gets_a_new_one(client, api, voting_space):
    """A signed cookie that outlived its database (a reset with the same SECRET_KEY)."""
    with client.session_transaction() as session:
        session["plaza_voter"] = "kept-from-an-old-database"
        session["plaza_voter_id"] = 987654
    pair, response = api.vote("left")
    assert response.status_code == 409 and "load a new pair" in response.get_json()["error"]
    assert vote_count() == 0
    _, response = api.vote("left")
    assert response.status_code == 201
    assert db.session.scalar(sa.select(Voter.anon_key)) == "kept-from-an-old-database"
    assert vote_count() == 1


@pytest.mark.parametrize("payload, status, message", [
    ({"pair_id": "made-up", "choice": "left"}, 400, "not valid"),
    ({"choice": "left"}, 400, "missing"),
    ({"pair_id": 12, "choice": "left"}, 400, "missing"),
    ({"pair_id": "PAIR", "choice": "both"}, 422, "choice must be"),
    ({"pair_id": "PAIR", "choice": None}, 422, "choice must be"),
    ({"pair_id": "PAIR", "choice": "left", "reason": "same"}, 422, "reason goes with"),
    ({"pair_id": "PAIR", "choice": "skip", "reason": "bored"}, 422, "reason goes with"),
])
def test_bad_votes_are_refused(api, voting_space, payload, status, message):
    pair = api.get("/api/spaces/zocalo/pair").get_json()
    if payload.get("pair_id") == "PAIR":
        payload = {**payload, "pair_id": pair["pair_id"]}
    response = api.post("/api/spaces/zocalo/pairwise-votes", payload)
    assert response.status_code == status
    assert message in response.get_json()["error"]
    assert vote_count() == 0


@pytest.mark.parametrize("body", ["[1, 2]", "null", "not json", '"text"'])
def test_non_object_bodies_are_refused(client, api, voting_space, body):
    from tests.conftest import csrf_token

    api.get("/api/spaces/zocalo/pair")
    response = client.post("/api/spaces/zocalo/pairwise-votes", data=body,
                           headers={"X-CSRFToken": csrf_token(client),
                                    "Content-Type": "application/json"})
    assert response.status_code == 400 and "error" in response.get_json()


def test_token_signed_with_another_key_is_forged(api, voting_space):
    api.get("/api/spaces/zocalo/pair")
    forged = URLSafeTimedSerializer("not-the-secret", salt="plaza-pair").dumps([voting_space.id, 1, 1, 2, "x"])
    response = api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": forged, "choice": "left"})
    assert response.status_code == 400 and "not valid" in response.get_json()["error"]


def test_expired_token(app, api, voting_space, monkeypatch):
    pair = api.get("/api/spaces/zocalo/pair").get_json()
    monkeypatch.setattr("app.pairwise.tokens.PAIR_TOKEN_MAX_AGE", -1)
    response = api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": pair["pair_id"], "choice": "left"})
    assert response.status_code == 400 and "expired" in response.get_json()["error"]


def test_someone_elses_pair_is_refused(app, api, voting_space):
    pair = api.get("/api/spaces/zocalo/pair").get_json()
    stranger = app.test_client()
    from tests.conftest import csrf_token

    stranger.get("/api/spaces/zocalo/pair")
    response = stranger.post("/api/spaces/zocalo/pairwise-votes",
                             json={"pair_id": pair["pair_id"], "choice": "left"},
                             headers={"X-CSRFToken": csrf_token(stranger)})
    assert response.status_code == 403 and "someone else" in response.get_json()["error"]
    assert vote_count() == 0


def test_pair_of_another_space_is_refused(api, voting_space, make_space, make_idea):
    other = make_space(slug="alameda", phase="voting")
    make_idea(other, title="Alameda A")
    make_idea(other, title="Alameda B")
    pair = api.get("/api/spaces/alameda/pair").get_json()
    response = api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": pair["pair_id"], "choice": "left"})
    assert response.status_code == 422 and "another space" in response.get_json()["error"]


def test_idea_hidden_after_the_pair_was_shown(api, voting_space):
    from app.models import Idea

    pair = api.get("/api/spaces/zocalo/pair").get_json()
    db.session.get(Idea, pair["left"]["id"]).status = "hidden"
    db.session.commit()
    response = api.post("/api/spaces/zocalo/pairwise-votes", {"pair_id": pair["pair_id"], "choice": "left"})
    assert response.status_code == 422 and "no longer open" in response.get_json()["error"]
    drawn = draw_with_pending(api, 3)
    assert all(pair["left"]["id"] not in ideas for ideas in drawn)
    assert len(set(drawn)) == 3  # every pair of the 3 ideas left


@pytest.mark.parametrize("phase, message", [("closed", "Voting has closed"),
                                            ("ideas", "has not started")])
def test_space_not_voting(api, voting_space, phase, message):
    pair = api.get("/api/spaces/zocalo/pair").get_json()
    voting_space.phase = phase
    db.session.commit()
    for response in (api.get("/api/spaces/zocalo/pair"),
                     api.post("/api/spaces/zocalo/pairwise-votes",
                              {"pair_id": pair["pair_id"], "choice": "left"})):
        assert response.status_code == 403 and message in response.get_json()["error"]
    assert vote_count() == 0


def test_space_without_anonymous_voting_needs_login(api, make_space, make_idea):
    space = make_space(slug="members", pairwise_rule="confirmed")
    make_idea(space, title="A idea")
    make_idea(space, title="B idea")
    response = api.get("/api/spaces/members/pair")
    assert response.status_code == 401 and "Log in" in response.get_json()["error"]


def test_space_with_one_idea_cannot_vote(api, make_space, make_idea):
    make_idea(make_space(slug="lonely"), title="Only idea")
    response = api.get("/api/spaces/lonely/pair")
    assert response.status_code == 404 and "at least two ideas" in response.get_json()["error"]


def test_unknown_space(api):
    assert api.get("/api/spaces/nowhere/pair").status_code == 404


def test_vote_without_csrf_header(client, api, voting_space):
    pair = api.get("/api/spaces/zocalo/pair").get_json()
    response = client.post("/api/spaces/zocalo/pairwise-votes",
                           json={"pair_id": pair["pair_id"], "choice": "left"})
    assert response.status_code == 400 and vote_count() == 0
