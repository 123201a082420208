"""Public pages and the error pages people and API clients see."""
import pytest

from tests.conftest import csrf_token


def test_home_lists_spaces_with_links_and_counts(client, make_space, make_idea):
    space = make_space(slug="zocalo", name="Zócalo")
    make_idea(space)
    make_idea(space, title="Hidden one", status="hidden")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/spaces/zocalo"' in html
    assert "Zócalo" in html and "1 idea" in html and "1 ideas" not in html


def test_home_without_spaces_says_so(client):
    assert "No space is open yet" in client.get("/").get_data(as_text=True)


def test_space_page_shows_public_ideas_only(client, make_space, make_idea):
    space = make_space(slug="zocalo")
    make_idea(space, title="Visible bench")
    make_idea(space, title="Waiting for moderation", status="pending")
    html = client.get("/spaces/zocalo").get_data(as_text=True)
    assert "Visible bench" in html and "Waiting for moderation" not in html
    assert 'id="space-map"' in html


def test_script_in_a_title_is_shown_as_text(client, make_space, make_idea):
    space = make_space(slug="zocalo")
    make_idea(space, title='<script>alert("x")</script>')
    html = client.get("/spaces/zocalo").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_every_page_carries_a_csrf_token(client, make_space):
    make_space(slug="zocalo")
    for path in ("/", "/spaces/zocalo", "/auth/login", "/auth/register"):
        assert csrf_token(client, path)


@pytest.mark.parametrize("path", ["/spaces/nowhere", "/no/such/page"])
def test_404_is_a_styled_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Not found" in html and "Back to the spaces" in html and "<nav" in html


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/nothing-here", 404),
    ("post", "/api/spaces", 405),
])
def test_api_errors_are_json(client, method, path, status):
    response = getattr(client, method)(path, headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == status
    assert response.is_json and set(response.get_json()) == {"error"}


def test_api_post_without_csrf_token_is_json_400(app, client):
    @app.post("/api/test/echo")
    def echo():
        return {"ok": True}

    response = client.post("/api/test/echo", json={})
    assert response.status_code == 400
    assert "security token" in response.get_json()["error"]


@pytest.fixture
def crashing_app(app_config):
    """An app that shows its 500 page instead of raising, as in production."""
    from app import create_app
    from app.extensions import db

    app = create_app({**app_config, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def test_500_page_hides_details(crashing_app, caplog):
    client = crashing_app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "kaboom" not in html
    api = client.get("/api/boom")
    assert api.status_code == 500 and "kaboom" not in api.get_json()["error"]
    assert "kaboom" in caplog.text  # logged for the operator


def test_403_page_for_people(client, app):
    from flask import abort

    @app.get("/test/forbidden")
    def forbidden():
        abort(403)

    response = client.get("/test/forbidden")
    assert response.status_code == 403
    assert "No access" in response.get_data(as_text=True)


def test_layout_is_responsive(client):
    html = client.get("/").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


@pytest.mark.parametrize("method, path, kwargs", [
    ("get", "/spaces/zo%00calo", {}),
    ("get", "/api/spaces?x=%00", {}),
    ("post", "/api/spaces/zocalo/ideas", {"json": {"title": "a\u0000b"}}),
])
def test_nul_characters_are_bad_input_not_a_500(client, make_space, method, path, kwargs):
    """PostgreSQL cannot store U+0000; found by the fuzz suite on PostgreSQL."""
    make_space(slug="zocalo")
    response = getattr(client, method)(path, headers={"X-CSRFToken": csrf_token(client)}, **kwargs)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.get_json() == {"error": "Text cannot contain NUL characters."}


def test_every_table_sits_in_a_scroll_region_the_keyboard_can_reach():
    """A table wider than a phone scrolls sideways; without tabindex and a name the keyboard
    cannot scroll it (axe: scrollable-region-focusable). E-mails have no scrolling."""
    import pathlib
    import re

    outside = []
    for path in pathlib.Path("app/templates").rglob("*.html"):
        if path.parts[2] == "mail":
            continue
        source = path.read_text(encoding="utf-8")
        for table in re.finditer(r"<table\b", source):
            before = source[:table.start()]
            if before.rfind("{% call scroll_region(") <= before.rfind("{% endcall %}"):
                outside.append(f"{path}:{before.count(chr(10)) + 1}")
    assert outside == []
