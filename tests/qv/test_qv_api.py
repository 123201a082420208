"""The ballot API: read and replace your own ballot; every refusal is 422 and changes nothing."""
import pytest

from app.extensions import db
from tests.conftest import csrf_token

URL = "/api/spaces/alameda/qv-ballot"


def test_first_read_is_an_empty_ballot(client, qv_space, ideas, resident):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.get_json() == {"budget": 100, "credits_used": 0, "credits_left": 100,
                                   "allocations": {}}


def test_put_saves_and_get_returns_it(client, qv_space, ideas, resident, put_ballot):
    a, b, c = ideas
    response = put_ballot("alameda", {"allocations": {str(a.id): 3, str(b.id): 1, str(c.id): 0}})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["credits_used"], body["credits_left"]) == (10, 90)
    assert client.get(URL).get_json() == {
        "budget": 100, "credits_used": 10, "credits_left": 90,
        "allocations": {str(a.id): 3, str(b.id): 1}}


def test_the_whole_budget_can_be_spent(client, qv_space, ideas, resident, put_ballot):
    a, b, _ = ideas
    response = put_ballot("alameda", {"allocations": {str(a.id): 6, str(b.id): 8}})
    assert response.status_code == 200 and response.get_json()["credits_left"] == 0


def test_zero_votes_remove_an_allocation(client, qv_space, ideas, resident, put_ballot):
    a, b, _ = ideas
    put_ballot("alameda", {"allocations": {str(a.id): 2, str(b.id): 2}})
    put_ballot("alameda", {"allocations": {str(a.id): 0, str(b.id): 2}})
    assert client.get(URL).get_json()["allocations"] == {str(b.id): 2}


def test_negative_votes_where_allowed(client, make_space, make_idea, resident, put_ballot):
    space = make_space(slug="open-debate", qv_negative=True)
    idea = make_idea(space)
    response = put_ballot("open-debate", {"allocations": {str(idea.id): -4}})
    assert response.status_code == 200 and response.get_json()["credits_used"] == 16
    assert client.get("/api/spaces/open-debate/qv-ballot").get_json()["allocations"] == {str(idea.id): -4}


def test_adopted_and_under_review_ideas_take_votes(client, qv_space, make_idea, resident, put_ballot):
    adopted = make_idea(qv_space, status="adopted")
    review = make_idea(qv_space, status="under_review")
    response = put_ballot("alameda", {"allocations": {str(adopted.id): 2, str(review.id): 1}})
    assert response.status_code == 200
    ballot = {"budget": 100, "credits_used": 5, "credits_left": 95,
              "allocations": {str(adopted.id): 2, str(review.id): 1}}
    assert response.get_json() == ballot
    assert client.get(URL).get_json() == ballot  # stored, and counted when read back


def test_each_person_sees_only_their_own_ballot(app, qv_space, ideas, resident, put_ballot, make_user):
    put_ballot("alameda", {"allocations": {str(ideas[0].id): 5}})
    other = app.test_client()
    token = csrf_token(other, "/auth/login")
    other.post("/auth/login", data={"email": make_user(email="otra@example.org").email,
                                    "password": "correct horse battery", "csrf_token": token})
    assert other.get(URL).get_json()["allocations"] == {}


# --- refusals -------------------------------------------------------------------------

#: Bad ballots and the words their message must contain; "A", "B", "C" stand for the
#: ids of the space's three ideas.
BAD_ALLOCATIONS = [
    pytest.param([["A", 1]], "as an object", id="list"),
    pytest.param(None, "as an object", id="null"),
    pytest.param("A=3", "as an object", id="text"),
    pytest.param({"abc": 1}, "not an idea number", id="key-not-a-number"),
    pytest.param({"A.0": 1}, "not an idea number", id="key-decimal"),
    pytest.param({"A": 1.5}, "whole numbers", id="float"),
    pytest.param({"A": 2.0}, "whole numbers", id="integral-float"),
    pytest.param({"A": True}, "whole numbers", id="bool"),
    pytest.param({"A": "3"}, "whole numbers", id="string"),
    pytest.param({"A": None}, "whole numbers", id="null-votes"),
    pytest.param({"A": 10**40}, "at most 10 votes", id="huge"),
    pytest.param({"A": -(10**40)}, "does not take votes against", id="huge-negative"),
    pytest.param({"A": 11}, "at most 10 votes", id="one-idea-over"),
    pytest.param({"A": 6, "B": 8, "C": 1}, "cost 101 credits but your budget is 100", id="over-budget"),
    pytest.param({"A": -1}, "does not take votes against", id="negative"),
    pytest.param({"987654": 1}, "Idea 987654 is not open for voting", id="unknown-idea"),
]


def with_ids(allocations, ideas):
    if not isinstance(allocations, dict):
        return allocations
    names = {"A": ideas[0].id, "B": ideas[1].id, "C": ideas[2].id}
    return {k.replace(k[0], str(names[k[0]]), 1) if k[0] in names else k: v
            for k, v in allocations.items()}


@pytest.mark.parametrize("allocations, message", BAD_ALLOCATIONS)
def test_bad_ballots_are_refused_and_the_stored_one_kept(client, qv_space, ideas, resident,
                                                         put_ballot, allocations, message):
    before = put_ballot("alameda", {"allocations": {str(ideas[0].id): 4}}).get_json()
    response = put_ballot("alameda", {"allocations": with_ids(allocations, ideas)})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(response.get_json()) == {"error"}
    assert message in response.get_json()["error"]
    assert client.get(URL).get_json() == before


def test_huge_negative_votes_where_allowed(client, qv_space, ideas, resident, put_ballot):
    qv_space.qv_negative = True
    db.session.commit()
    response = put_ballot("alameda", {"allocations": {str(ideas[0].id): -(10**40)}})
    assert response.status_code == 422 and "at most 10 votes" in response.get_json()["error"]


@pytest.mark.parametrize("status", ["pending", "hidden", "declined", "implemented"])
def test_ideas_not_open_for_voting_are_refused(client, qv_space, ideas, resident, put_ballot,
                                              make_idea, status):
    idea = make_idea(qv_space, status=status)
    response = put_ballot("alameda", {"allocations": {str(idea.id): 1}})
    assert response.status_code == 422
    assert f"Idea {idea.id} is not open for voting" in response.get_json()["error"]
    assert client.get(URL).get_json()["allocations"] == {}


def test_ideas_of_another_space_are_refused(client, qv_space, ideas, resident, put_ballot,
                                            make_space, make_idea):
    elsewhere = make_idea(make_space(slug="elsewhere"))
    response = put_ballot("alameda", {"allocations": {str(ideas[0].id): 1, str(elsewhere.id): 1}})
    assert response.status_code == 422 and "not open for voting" in response.get_json()["error"]
    assert client.get(URL).get_json()["allocations"] == {}


@pytest.mark.parametrize("phase, message", [("ideas", "has not opened yet"), ("closed", "has closed")])
def test_ballots_are_frozen_outside_the_voting_phase(client, qv_space, ideas, resident, put_ballot,
                                                     phase, message):
    put_ballot("alameda", {"allocations": {str(ideas[0].id): 2}})
    qv_space.phase = phase
    db.session.commit()
    response = put_ballot("alameda", {"allocations": {str(ideas[0].id): 3}})
    assert response.status_code == 422 and message in response.get_json()["error"]
    assert client.get(URL).get_json()["allocations"] == {str(ideas[0].id): 2}  # still readable


@pytest.mark.parametrize("body, content_type", [
    ("not json", "application/json"),
    ('{"allocations": {"1": 1}', "application/json"),
    ('["allocations"]', "application/json"),
    ("null", "application/json"),
    ('{"allocations": {"1": 1}}', "text/plain"),
    ('{"allocations": {"1": ' + "9" * 5000 + "}}", "application/json"),  # past Python's int limit
])
def test_a_body_that_is_not_a_json_object_is_400(client, qv_space, ideas, resident, body, content_type):
    response = client.put(URL, data=body, content_type=content_type,
                          headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 400
    assert response.get_json() == {"error": 'Send the ballot as JSON: {"allocations": '
                                            '{"<idea id>": votes, ...}}.'}


def test_a_body_without_allocations_is_422(qv_space, ideas, resident, put_ballot):
    response = put_ballot("alameda", {"votes": {str(ideas[0].id): 1}})
    assert response.status_code == 422 and "allocations" in response.get_json()["error"]


def test_needs_login(client, qv_space, put_ballot):
    for response in (client.get(URL), put_ballot("alameda", {"allocations": {}})):
        assert response.status_code == 401
        assert response.get_json() == {"error": "Log in, or verify as a resident, to have a ballot."}


def test_needs_the_csrf_header(client, qv_space, ideas, resident):
    response = client.put(URL, json={"allocations": {str(ideas[0].id): 1}})
    assert response.status_code == 400 and "security token" in response.get_json()["error"]
    assert client.get(URL).get_json()["allocations"] == {}


def test_unknown_space_is_404(client, resident, put_ballot):
    assert client.get("/api/spaces/nowhere/qv-ballot").status_code == 404
    response = put_ballot("nowhere", {"allocations": {}})
    assert response.status_code == 404
    assert response.get_json() == {"error": "There is no space at this address."}
