"""Landmarks: places staff name so a resident can say where an idea belongs without the map."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea
from app.spaces.landmarks import LandmarkError, landmarks_text, parse_landmarks
from tests.conftest import SQUARE, csrf_token
from tests.test_api_ideas import GOOD as API_IDEA
from tests.test_idea_submission import GOOD as IDEA

PLACELESS = {key: value for key, value in IDEA.items() if key not in ("lat", "lng")}
FOUNTAIN = {"name": "Fuente central", "lat": 19.4326, "lng": -99.1332}
FLAGPOLE = {"name": "Asta bandera, lado norte", "lat": 19.4335, "lng": -99.1333}


@pytest.fixture
def space_with_landmarks(empty_space):
    empty_space.landmarks = [FOUNTAIN, FLAGPOLE]
    db.session.commit()
    return empty_space


def test_a_landmark_per_line_and_the_name_may_hold_commas():
    text = "Fuente central, 19.4326, -99.1332\n\n  Asta bandera, lado norte ,19.4335,-99.1333  \n"
    assert parse_landmarks(text, SQUARE) == [FOUNTAIN, FLAGPOLE]
    assert parse_landmarks(landmarks_text([FOUNTAIN, FLAGPOLE]), SQUARE) == [FOUNTAIN, FLAGPOLE]
    assert parse_landmarks("", SQUARE) == []


@pytest.mark.parametrize("text, message", [
    ("Fuente central", "Line 1: write the name, the latitude and the longitude"),
    ("19.4326, -99.1332", "Line 1: write the name"),
    ("Fuente, 19.4326", "Line 1: write the name"),
    ("Fuente, norte, -99.1332", "Line 1: the latitude and longitude must be numbers."),
    ("Fuente, 95, -99.1332", "Line 1: the place lies outside the valid range"),
    ("Fuente, nan, -99.1332", "Line 1: the place lies outside the valid range"),
    ("Fuente, 19.4326, -99.1332\nCatedral, 19.4345, -99.1332", "Line 2: the place lies outside the space's outline."),
    ("Fuente, 19.4326, -99.1332\nfuente, 19.4330, -99.1333", "Line 2: another place already has this name."),
    ("F" * 81 + ", 19.4326, -99.1332", "Line 1: keep the name under 80 characters."),
    ("\n".join(f"P{i}, 19.4326, -99.1332" for i in range(51)), "List at most 50 places."),
])
def test_a_landmark_line_that_cannot_be_read_says_which_and_why(text, message):
    with pytest.raises(LandmarkError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_landmarks(text, SQUARE)


def test_an_idea_placed_at_a_landmark_without_the_map_takes_its_point(client, post_form, make_user,
                                                                      login, space_with_landmarks):
    login(make_user())
    form = client.get("/spaces/zocalo/ideas/new").get_data(as_text=True)
    assert '<option value="Asta bandera, lado norte">Asta bandera, lado norte</option>' in form
    response = post_form("/spaces/zocalo/ideas/new", {**PLACELESS, "landmark": "Asta bandera, lado norte"})
    assert response.status_code == 302
    idea = db.session.scalar(sa.select(Idea))
    assert (idea.lat, idea.lng, idea.landmark) == (19.4335, -99.1333, "Asta bandera, lado norte")
    assert "Where: Asta bandera, lado norte" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_landmark_chosen_wins_over_coordinates_sent_with_it(post_form, make_user, login,
                                                                space_with_landmarks):
    login(make_user())
    assert post_form("/spaces/zocalo/ideas/new", {**IDEA, "landmark": "Fuente central",
                                                   "lat": "19.4336", "lng": "-99.1340"}).status_code == 302
    assert db.session.scalar(sa.select(Idea.lat)) == FOUNTAIN["lat"]


def test_an_unknown_landmark_is_refused_in_place_and_the_typing_kept(post_form, make_user, login,
                                                                     space_with_landmarks):
    login(make_user())
    response = post_form("/spaces/zocalo/ideas/new", {**PLACELESS, "landmark": "Catedral"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose one of the places in the list, or put a pin on the map." in html
    assert 'value="Bancas con sombra"' in html
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 0


def test_with_landmarks_the_missing_place_names_both_ways(post_form, make_user, login, space_with_landmarks):
    login(make_user())
    html = post_form("/spaces/zocalo/ideas/new", PLACELESS).get_data(as_text=True)
    assert "Set the place of your idea: choose a place from the list, or put a pin on the map." in html


def test_a_space_without_landmarks_shows_no_list(client, make_user, login, empty_space):
    login(make_user())
    assert 'id="landmark"' not in client.get("/spaces/zocalo/ideas/new").get_data(as_text=True)


def test_the_api_takes_a_landmark_and_says_it_back(client, make_user, login, space_with_landmarks):
    login(make_user())
    headers = {"X-CSRFToken": csrf_token(client)}
    payload = {key: value for key, value in API_IDEA.items() if key not in ("lat", "lng")}
    response = client.post("/api/spaces/zocalo/ideas", json={**payload, "landmark": "Fuente central"},
                           headers=headers)
    assert response.status_code == 201
    assert (response.get_json()["landmark"], response.get_json()["lat"]) == ("Fuente central", 19.4326)
    refused = client.post("/api/spaces/zocalo/ideas", json={**payload, "landmark": 3}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["fields"]["landmark"] == "'landmark' must be text."


@pytest.fixture
def space_for_anywhere(space_with_landmarks):
    space_with_landmarks.ideas_anywhere = True
    db.session.commit()
    return space_with_landmarks


def test_an_idea_about_the_whole_space_has_no_spot(client, post_form, make_user, login, space_for_anywhere):
    login(make_user())
    assert 'id="anywhere"' in client.get("/spaces/zocalo/ideas/new").get_data(as_text=True)
    response = post_form("/spaces/zocalo/ideas/new", {**IDEA, "anywhere": "y", "landmark": "Fuente central"})
    assert response.status_code == 302
    idea = db.session.scalar(sa.select(Idea))
    assert (idea.lat, idea.lng, idea.landmark) == (None, None, None)  # the choice wins over the rest
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Where: anywhere in the space, no particular spot" in page and 'id="idea-map"' not in page


def test_a_space_that_asks_for_a_spot_refuses_one_without(post_form, make_user, login, space_with_landmarks):
    login(make_user())
    response = post_form("/spaces/zocalo/ideas/new", {**PLACELESS, "anywhere": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This space asks where each idea belongs: put a pin on the map." in html
    assert 'id="anywhere"' in html and 'value="Bancas con sombra"' in html
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 0


def test_the_api_takes_anywhere_as_a_boolean(client, make_user, login, space_for_anywhere):
    login(make_user())
    headers = {"X-CSRFToken": csrf_token(client)}
    response = client.post("/api/spaces/zocalo/ideas", json={**API_IDEA, "anywhere": True}, headers=headers)
    assert response.status_code == 201 and response.get_json()["lat"] is None
    refused = client.post("/api/spaces/zocalo/ideas", json={**API_IDEA, "anywhere": "yes"}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["fields"]["anywhere"] == "'anywhere' must be true or false."
