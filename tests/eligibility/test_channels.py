"""Every way of voting asks the space's rule: the pages, the pair and vote API, the ballot API."""
import pytest

from app.extensions import db
from tests.eligibility.conftest import ANA


@pytest.fixture
def strict(centro):
    """Centro with both ways of voting for verified residents only."""
    centro.pairwise_rule = "verified"
    db.session.commit()
    return centro


def test_the_pair_api_tells_a_stranger_how_to_verify(strict, client):
    response = client.get("/api/spaces/centro/pair")
    assert response.status_code == 403
    body = response.get_json()
    assert "Only verified residents of Centro Histórico can compare ideas here." in body["error"]
    assert body["verify_url"] == "/spaces/centro/verify" and body["eligibility"] == "/api/spaces/centro/eligibility"


def test_an_unverified_account_gets_no_pair_and_no_vote(strict, resident, client, send, verify):
    assert client.get("/api/spaces/centro/pair").status_code == 403
    assert verify({"method": "roll", "fields": ANA}).status_code == 200
    pair = client.get("/api/spaces/centro/pair")
    assert pair.status_code == 200
    strict.qv_rule = strict.pairwise_rule = "verified"
    db.session.commit()
    vote = send("POST", "/api/spaces/centro/pairwise-votes", {"pair_id": pair.get_json()["pair_id"], "choice": "left"})
    assert vote.status_code == 201


def test_a_pair_fetched_before_the_rule_changed_cannot_be_answered(centro, resident, client, send):
    pair = client.get("/api/spaces/centro/pair").get_json()
    centro.pairwise_rule = "verified"
    db.session.commit()
    response = send("POST", "/api/spaces/centro/pairwise-votes", {"pair_id": pair["pair_id"], "choice": "left"})
    assert response.status_code == 403 and "verify" in response.get_json()["verify_url"]


def test_the_ballot_api_refuses_a_confirmed_but_unverified_account(centro, resident, send, ballot_of):
    response = send("PUT", "/api/spaces/centro/qv-ballot", ballot_of(4, 1))
    assert response.status_code == 403
    assert "Only verified residents of Centro Histórico can spend credits here." in response.get_json()["error"]


def test_an_unconfirmed_account_is_told_to_confirm(make_space, make_user, login, send):
    make_space(slug="members", pairwise_rule="confirmed", ideas=("A", "B"))
    login(make_user(confirmed=False))
    response = send("GET", "/api/spaces/members/pair")
    assert response.status_code == 403 and "confirm your e-mail address" in response.get_json()["error"]


def test_the_ballot_page_shows_the_rule_and_the_way_to_verify(centro, resident, client):
    response = client.get("/spaces/centro/qv")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Only verified residents of Centro Histórico can spend credits here." in html
    assert 'href="/spaces/centro/verify?next=/spaces/centro/qv"' in html


def test_the_ballot_form_refuses_an_unverified_post(centro, resident, post_form, ballot_of):
    from app.models import QVBallot
    import sqlalchemy as sa

    ideas = list(ballot_of(3, 0)["allocations"])
    response = post_form("/spaces/centro/qv", {f"votes-{ideas[0]}": "3"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(QVBallot.id))) == 0


def test_the_vote_and_space_pages_state_the_rules(strict, client, resident, verify):
    assert "Only verified residents of Centro Histórico can compare ideas here." in client.get(
        "/spaces/centro/vote").get_data(as_text=True)
    space_page = client.get("/spaces/centro").get_data(as_text=True)
    assert "Only verified residents of Centro Histórico can spend credits here." in space_page
    assert 'href="/spaces/centro/verify"' in space_page
    verify({"method": "roll", "fields": ANA})
    vote_page = client.get("/spaces/centro/vote").get_data(as_text=True)
    assert 'id="pairwise"' in vote_page and "Only verified residents" in vote_page
    assert "You are verified as a resident." in client.get("/spaces/centro").get_data(as_text=True)
