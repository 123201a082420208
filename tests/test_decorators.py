"""Permission decorators: who gets in, who gets 403, who is sent to log in."""
import pytest

from app.auth.decorators import facilitator_required, permission_required, staff_required


@pytest.fixture
def guarded(app):
    """A staff-only page and API endpoint added for the test."""

    @app.get("/test/staff-only")
    @staff_required
    def staff_only():
        return "staff area"

    @app.get("/api/test/staff-only")
    @staff_required
    def staff_only_api():
        return {"ok": True}

    @app.get("/test/sessions-only")
    @facilitator_required
    def sessions_only():
        return "sessions"

    return app


@pytest.mark.parametrize("role, status", [
    ("resident", 403), ("facilitator", 200), ("staff", 200), ("admin", 200),
])
def test_facilitators_and_staff_run_sessions(guarded, client, login, make_user, role, status):
    login(make_user(role=role))
    assert client.get("/test/sessions-only").status_code == status


@pytest.mark.parametrize("role, links", [
    ("resident", set()), ("facilitator", {"/sessions/"}), ("staff", {"/sessions/", "/staff/"}),
])
def test_the_header_asks_the_same_rules(client, login, make_user, role, links):
    login(make_user(role=role))
    html = client.get("/").get_data(as_text=True)
    assert {link for link in ("/sessions/", "/staff/") if f'href="{link}"' in html} == links


@pytest.mark.parametrize("role, status", [
    ("resident", 403), ("facilitator", 403), ("staff", 200), ("admin", 200),
])
def test_roles(guarded, client, login, make_user, role, status):
    login(make_user(role=role))
    response = client.get("/test/staff-only")
    assert response.status_code == status
    if status == 403:
        assert "does not have access" in response.get_data(as_text=True)
    api = client.get("/api/test/staff-only")
    assert api.status_code == status
    if status == 403:
        assert api.get_json() == {"error": "Your account does not have access to this page."}


def test_anonymous_is_sent_to_login_with_way_back(guarded, client):
    response = client.get("/test/staff-only")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/test/staff-only"


def test_anonymous_api_call_gets_401_json(guarded, client):
    response = client.get("/api/test/staff-only")
    assert response.status_code == 401
    assert response.get_json() == {"error": "Please log in first."}


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown action"):
        permission_required("rule_the_city")
