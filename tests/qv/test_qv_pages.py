"""The ballot page: what it shows, and the form that saves it when scripts do not run."""
import pytest

from app.extensions import db
from app.qv.ballots import load_ballot
from app.voters import voter_id_of_user

PAGE = "/spaces/alameda/qv"


def test_needs_login(client, qv_space):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_space_is_404(client, resident):
    assert client.get("/spaces/nowhere/qv").status_code == 404


def test_lists_votable_ideas_with_their_buttons(client, qv_space, ideas, resident, make_idea):
    make_idea(qv_space, title="Waiting for staff", status="pending")
    make_idea(qv_space, title="Already built", status="implemented")
    html = client.get(PAGE).get_data(as_text=True)
    for idea in ideas:
        assert f'aria-label="Add a vote for “{idea.title}”"' in html
        assert f'aria-label="Remove a vote from “{idea.title}”"' in html
        assert f'name="votes-{idea.id}"' in html
    assert "Waiting for staff" not in html and "Already built" not in html
    assert 'aria-live="polite"' in html and "100</strong> of 100 credits left" in html
    assert "css/qv.css" in html and "js/qv-ballot.js" in html
    assert 'max="10"' in html and 'min="0"' in html


def test_shows_the_stored_ballot(client, qv_space, ideas, resident, put_ballot):
    put_ballot("alameda", {"allocations": {str(ideas[1].id): 4}})
    html = client.get(PAGE).get_data(as_text=True)
    assert f'name="votes-{ideas[1].id}"\n               value="4"' in html
    assert "84</strong> of 100 credits left" in html and "16 credits" in html


def test_form_post_saves_and_confirms(client, qv_space, ideas, resident, post_form):
    a, b, c = ideas
    response = post_form(PAGE, {f"votes-{a.id}": "6", f"votes-{b.id}": " 8 ", f"votes-{c.id}": ""},
                         follow_redirects=True)
    assert response.status_code == 200
    assert "Your ballot is saved: 100 of 100 credits spent, 0 left." in response.get_data(as_text=True)
    assert load_ballot(qv_space, voter_id_of_user(resident.id)).allocations == {a.id: 6, b.id: 8}


@pytest.mark.parametrize("typed, message", [
    ("7", "cost 113 credits but your budget is 100"),
    ("1.5", "whole numbers"),
    ("three", "whole numbers"),
    ("-1", "does not take votes against"),
    ("99999999999999999999", "whole numbers"),
])
def test_form_post_refused_keeps_what_was_typed(client, qv_space, ideas, resident, post_form,
                                                typed, message):
    a, b, _ = ideas
    post_form(PAGE, {f"votes-{a.id}": "2"})
    response = post_form(PAGE, {f"votes-{a.id}": "8", f"votes-{b.id}": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and 'role="alert"' in html
    assert f'value="{typed}"' in html and 'value="8"' in html
    assert load_ballot(qv_space, voter_id_of_user(resident.id)).allocations == {a.id: 2}


def test_form_post_needs_csrf(client, qv_space, ideas, resident):
    response = client.post(PAGE, data={f"votes-{ideas[0].id}": "1"})
    assert response.status_code == 400
    assert voter_id_of_user(resident.id) is None


@pytest.mark.parametrize("phase, notice", [
    ("closed", "Voting has closed"), ("ideas", "Voting has not opened yet"),
])
def test_outside_voting_the_ballot_is_read_only(client, qv_space, ideas, resident, post_form,
                                                phase, notice):
    qv_space.phase = phase
    db.session.commit()
    html = client.get(PAGE).get_data(as_text=True)
    assert notice in html and 'id="qv-save"' not in html and "disabled" in html
    response = post_form(PAGE, {f"votes-{ideas[0].id}": "1"})
    assert response.status_code == 422
    assert voter_id_of_user(resident.id) is None or not load_ballot(
        qv_space, voter_id_of_user(resident.id)).allocations


def test_negative_spaces_explain_votes_against(client, make_space, make_idea, resident):
    space = make_space(slug="debate", qv_negative=True, qv_budget=50)
    make_idea(space)
    html = client.get("/spaces/debate/qv").get_data(as_text=True)
    assert "vote <strong>against</strong>" in html and 'min="-7"' in html and 'max="7"' in html
    assert "50 voice credits" in html


def test_a_space_without_ideas(client, qv_space, resident):
    assert "There are no ideas to vote on yet." in client.get(PAGE).get_data(as_text=True)


def test_titles_are_escaped(client, qv_space, make_idea, resident):
    make_idea(qv_space, title='<script>alert("x")</script> bench')
    html = client.get(PAGE).get_data(as_text=True)
    assert '<script>alert("x")' not in html and "&lt;script&gt;" in html
