"""Ideas in the JSON API: GeoJSON, one idea, creating one, similar ones."""
import gzip

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Idea
from tests.conftest import csrf_token

GOOD = {"title": "Shade sails over the centre", "body": "Removable sails.",
        "category": "seating & shade", "lat": 19.4326, "lng": -99.1332}


@pytest.fixture
def api_post(client):
    def post(path, payload, **kwargs):
        headers = {"X-CSRFToken": csrf_token(client)}
        return client.post(path, json=payload, headers=headers, **kwargs)
    return post


def test_geojson_has_only_public_ideas_with_the_documented_properties(client, empty_space, make_idea):
    shown = make_idea(empty_space, title="Shown", status="adopted")
    make_idea(empty_space, title="Pending", status="pending")
    make_idea(empty_space, title="Hidden", status="hidden")
    make_idea(empty_space, title="No place", lat=None, lng=None)
    response = client.get("/api/spaces/zocalo/ideas.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    data = response.get_json()
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-99.1332, 19.4326]}
    assert feature["properties"] == {"id": shown.id, "title": "Shown", "category": "greenery",
                                     "status": "adopted", "url": f"/spaces/zocalo/ideas/{shown.id}"}


def test_geojson_etag_and_gzip(client, empty_space, make_idea):
    make_idea(empty_space)
    first = client.get("/api/spaces/zocalo/ideas.geojson", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.data).startswith(b'{"type":"FeatureCollection"')
    again = client.get("/api/spaces/zocalo/ideas.geojson",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    make_idea(empty_space, title="Another bench")
    changed = client.get("/api/spaces/zocalo/ideas.geojson",
                         headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and len(changed.get_json()["features"]) == 2


def test_geojson_of_unknown_space_is_json_404(client):
    response = client.get("/api/spaces/nowhere/ideas.geojson")
    assert response.status_code == 404
    assert response.get_json() == {"error": "There is no space at this address."}


def test_get_idea(client, empty_space, make_idea, make_user):
    author = make_user(display_name="Rosa")
    idea = make_idea(empty_space, author_id=author.id, staff_response="We will study it.")
    data = client.get(f"/api/spaces/zocalo/ideas/{idea.id}").get_json()
    assert data["id"] == idea.id and isinstance(data["id"], int)
    assert data["author"] == "Rosa" and data["staff_response"] == "We will study it."
    assert data["url"] == f"/spaces/zocalo/ideas/{idea.id}" and data["photo_url"] is None


@pytest.mark.parametrize("status", ["pending", "hidden"])
def test_unpublished_idea_is_404_for_the_public(client, empty_space, make_idea, status):
    idea = make_idea(empty_space, status=status)
    response = client.get(f"/api/spaces/zocalo/ideas/{idea.id}")
    assert response.status_code == 404 and "error" in response.get_json()


def test_idea_of_another_space_is_404(client, empty_space, make_space, make_idea):
    idea = make_idea(make_space(slug="other"))
    assert client.get(f"/api/spaces/zocalo/ideas/{idea.id}").status_code == 404


def test_post_idea_creates_it(api_post, empty_space, make_user, login):
    user = make_user()
    login(user)
    response = api_post("/api/spaces/zocalo/ideas", GOOD)
    assert response.status_code == 201
    data = response.get_json()
    assert isinstance(data["id"], int) and data["url"] == f"/spaces/zocalo/ideas/{data['id']}"
    idea = db.session.get(Idea, data["id"])
    assert (idea.author_id, idea.status, idea.lat) == (user.id, "published", 19.4326)


def test_post_idea_needs_login(api_post, empty_space):
    response = api_post("/api/spaces/zocalo/ideas", GOOD)
    assert response.status_code == 401 and response.get_json() == {"error": "Please log in first."}


def test_post_idea_needs_csrf_header(client, empty_space, make_user, login):
    login(make_user())
    response = client.post("/api/spaces/zocalo/ideas", json=GOOD)
    assert response.status_code == 400 and "security token" in response.get_json()["error"]


@pytest.mark.parametrize("change, field, message", [
    ({"lat": None, "lng": None}, "lat", "Set the place of your idea"),
    ({"lat": 19.5, "lng": -99.2}, "lng", "outside Zócalo"),
    ({"title": "abc"}, "title", "5 to 120 characters"),
    ({"title": ""}, "title", "Give your idea a title."),
    ({"body": "y" * 2001}, "body", "under 2000 characters"),
    ({"category": "parking"}, "category", "Choose one of the categories"),
    ({"lat": "north"}, "lat", "must be a number"),
    ({"lat": 1e400}, "lat", "must be a number"),
])
def test_post_idea_field_errors(api_post, empty_space, make_user, login, change, field, message):
    login(make_user())
    response = api_post("/api/spaces/zocalo/ideas", {**GOOD, **change})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "Some fields need attention."
    assert message in body["fields"][field]
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 0


@pytest.mark.parametrize("payload, status", [
    ([GOOD], 400), ("text", 400), (None, 400),
    ({**GOOD, "title": ["a", "list"]}, 422), ({**GOOD, "lat": True}, 422),
    ({**GOOD, "body": {"nested": 1}}, 422),
])
def test_post_idea_odd_json_shapes(api_post, client, empty_space, make_user, login, payload, status):
    login(make_user())
    if payload is None:
        response = client.post("/api/spaces/zocalo/ideas", data="not json{",
                               headers={"X-CSRFToken": csrf_token(client),
                                        "Content-Type": "application/json"})
    else:
        response = api_post("/api/spaces/zocalo/ideas", payload)
    assert response.status_code == status
    assert "error" in response.get_json()
    assert db.session.scalar(sa.select(sa.func.count(Idea.id))) == 0


def test_post_idea_to_closed_space(api_post, make_space, make_user, login):
    make_space(slug="shut", phase="closed")
    login(make_user())
    response = api_post("/api/spaces/shut/ideas", GOOD)
    assert response.status_code == 403 and "not taking new ideas" in response.get_json()["error"]


def test_similar_ideas(client, empty_space, make_idea):
    near = make_idea(empty_space, title="Árboles de sombra en el costado poniente",
                     body="Plantar árboles nativos para dar sombra.")
    make_idea(empty_space, title="Baños públicos gratuitos", body="Módulos sanitarios limpios.",
              category="cleanliness")
    response = client.get("/api/spaces/zocalo/similar", query_string={"q": "arboles para sombra"})
    ideas = response.get_json()["ideas"]
    assert ideas and ideas[0]["id"] == near.id
    assert ideas[0]["url"] == f"/spaces/zocalo/ideas/{near.id}"
    assert ideas[0]["support_url"] == f"/spaces/zocalo/ideas/{near.id}/support"
    assert all(i["title"] != "Baños públicos gratuitos" for i in ideas)
    assert client.get("/api/spaces/zocalo/similar?q=").get_json() == {"ideas": []}


def test_similar_ideas_see_new_ideas(client, empty_space, make_idea):
    assert client.get("/api/spaces/zocalo/similar?q=fountain").get_json() == {"ideas": []}
    make_idea(empty_space, title="Interactive fountain for children", category="play")
    assert len(client.get("/api/spaces/zocalo/similar?q=fountain").get_json()["ideas"]) == 1
