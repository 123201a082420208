"""Submitting an idea through the page: the happy path and every bad input."""
import io

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Idea, IdeaPhoto
from tests.conftest import PASSWORD, csrf_token

INSIDE = {"lat": "19.4326", "lng": "-99.1332"}
GOOD = {"title": "Bancas con sombra", "body": "Bancas con respaldo bajo árboles.",
        "category": "seating & shade", **INSIDE}


def idea_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Idea.id)))


@pytest.fixture
def resident(make_user, login):
    user = make_user(display_name="Rosa")
    login(user)
    return user


@pytest.fixture
def post_with_photo(client):
    """Multipart encoded in memory: werkzeug's test client would spool a large body to a
    temporary file it never closes."""

    def post(data: dict, photo: bytes, filename: str):
        values = {**data, "csrf_token": csrf_token(client),
                  "photo": FileStorage(io.BytesIO(photo), filename=filename)}
        boundary, body = encode_multipart(values)
        return client.post("/spaces/zocalo/ideas/new", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")

    return post


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (19.0, 25.0, 57.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_anonymous_is_sent_to_log_in(client, empty_space):
    response = client.get("/spaces/zocalo/ideas/new")
    assert response.status_code == 302
    assert "/auth/login?next=/spaces/zocalo/ideas/new" in response.headers["Location"]


def test_submit_publishes_and_redirects_to_the_idea(client, post_form, empty_space, resident):
    response = post_form("/spaces/zocalo/ideas/new", GOOD)
    assert response.status_code == 302
    idea = db.session.scalar(sa.select(Idea))
    assert response.headers["Location"] == f"/spaces/zocalo/ideas/{idea.id}"
    assert (idea.title, idea.category, idea.status, idea.author_id) == (
        "Bancas con sombra", "seating & shade", "published", resident.id)
    assert (idea.lat, idea.lng) == (19.4326, -99.1332)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your idea is on the map." in page and "Bancas con respaldo" in page


def test_moderated_space_keeps_new_ideas_pending(app, client, post_form, make_space, resident,
                                                 make_user):
    make_space(slug="quiet", moderation=True)
    response = post_form("/spaces/quiet/ideas/new", GOOD)
    idea = db.session.scalar(sa.select(Idea))
    assert idea.status == "pending"
    assert "Staff will publish your idea" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/spaces/quiet").get_data(as_text=True).count("Bancas con sombra") == 0
    other = app.test_client()
    assert other.get(f"/spaces/quiet/ideas/{idea.id}").status_code == 404
    token = csrf_token(other)
    other.post("/auth/login", data={"email": make_user().email, "password": PASSWORD,
                                    "csrf_token": token})
    assert other.get(f"/spaces/quiet/ideas/{idea.id}").status_code == 404
    assert other.get("/api/spaces/quiet/ideas.geojson").get_json()["features"] == []


TOO_LONG_BODY = "x" * 2001


@pytest.mark.parametrize("change, message", [
    ({"lat": "", "lng": ""}, "Set the place of your idea"),
    ({"lat": "19.5", "lng": "-99.2"}, "That place is outside Zócalo"),
    ({"title": ""}, "Give your idea a title."),
    ({"title": "    "}, "Give your idea a title."),
    ({"title": "Mesa"}, "The title needs 5 to 120 characters."),
    ({"title": "x" * 121}, "The title needs 5 to 120 characters."),
    ({"body": TOO_LONG_BODY}, "Keep the description under 2000 characters."),
    ({"category": "parking"}, "Choose one of the categories in the list."),
    ({"category": ""}, "Choose one of the categories in the list."),
    ({"lat": "abc"}, "The location must be a number."),
    ({"lat": "nan", "lng": "-99.1332"}, "The location must be a number."),
    ({"lat": "inf"}, "The location must be a number."),
    ({"lat": "95"}, "The latitude must lie between -90 and 90."),
])
def test_bad_input_is_explained_in_place_and_nothing_is_lost(post_form, empty_space, resident,
                                                             change, message):
    data = {**GOOD, **change}
    response = post_form("/spaces/zocalo/ideas/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert idea_count() == 0
    for name in ("title", "lat", "lng"):
        if data[name].strip():
            assert f'value="{data[name].strip()}"' in html, name
    if "body" not in change:
        assert "Bancas con respaldo bajo árboles." in html
    if data["category"] == "seating & shade":
        assert '<option selected value="seating &amp; shade">' in html


def test_script_in_title_is_stored_as_text_and_escaped(client, post_form, empty_space, resident):
    title = '<script>alert("hi")</script> bench'
    response = post_form("/spaces/zocalo/ideas/new", {**GOOD, "title": title})
    assert db.session.scalar(sa.select(Idea.title)) == title
    for path in (response.headers["Location"], "/spaces/zocalo"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html
    assert client.get("/api/spaces/zocalo/ideas.geojson").get_json()["features"][0][
        "properties"]["title"] == title


def test_photo_is_stored_reencoded_without_location_data(client, post_with_photo, empty_space,
                                                        resident):
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    response = post_with_photo(GOOD, original, "IMG_0001.JPG")
    assert response.status_code == 302
    stored = db.session.scalar(sa.select(IdeaPhoto))
    assert b"PhoneMaker" not in stored.data and b"Exif" not in stored.data
    assert Image.open(io.BytesIO(stored.data)).getexif() == {}
    served = client.get(response.headers["Location"] + "/photo")
    assert served.status_code == 200 and served.mimetype == stored.content_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("payload, name, message", [
    (b"this is not a picture at all", "holiday.jpg", "not a JPEG, PNG or WebP photo"),
    (b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024), "huge.jpg", "larger than 5 MB"),
])
def test_bad_photo_is_explained_and_nothing_is_stored(post_with_photo, empty_space, resident, payload,
                                                      name, message):
    response = post_with_photo(GOOD, payload, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Choose the photo again" in html
    assert 'value="Bancas con sombra"' in html and 'value="19.4326"' in html
    assert idea_count() == 0


@pytest.mark.parametrize("fields", [dict(phase="closed"),
                                    dict(phase="voting", ideas_during_voting=False)])
def test_space_not_taking_ideas_refuses_politely(client, post_form, make_space, resident, fields):
    make_space(slug="shut", name="Shut Square", **fields)
    page = client.get("/spaces/shut/ideas/new")
    assert page.status_code == 403
    assert "Shut Square is not taking new ideas" in page.get_data(as_text=True)
    assert post_form("/spaces/shut/ideas/new", GOOD).status_code == 403
    assert idea_count() == 0


def test_unknown_space_is_404(client, resident):
    assert client.get("/spaces/nowhere/ideas/new").status_code == 404
